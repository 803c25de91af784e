package sim

import (
	"errors"
	"fmt"
	"iter"
	"strings"
)

// Chooser decides which M runs at a scheduling point where more than one
// can. Strategies (choices from fuzz bytes, PCT, bounded enumeration,
// replay of a stored schedule) implement it; see package sched.
type Chooser interface {
	// Choose returns an index into runnable, which is sorted by M ID.
	// cur is the index in runnable of the M that was running, or -1 if
	// that M cannot go on (it finished, blocks or spins). Choosing
	// another index while cur >= 0 is a preemption.
	Choose(runnable []*M, cur int) int
}

// Conc interleaves several Ms, each a coroutine (iter.Pull) that runs
// only while it holds the one token, switching only at the World's
// scheduling points: an M gives the token back to Run, which resumes the
// M it was given to. It is deterministic: the interleaving depends only
// on the Chooser's answers. Coroutines, not goroutines and channels: a
// coroutine switch stays on Run's thread, where a channel handoff readies
// a goroutine and wakes another thread to run it (wakep), and, in a
// libFuzzer build, whose target runs on a thread locked by the cgo
// callback, must hand the thread itself over.
//
// An M that spins (osyield) waits until the atomic word it loaded last
// changes (until any word changes or a lock is released, if it loaded
// none): every osyield of the ported time.go is in a loop that loads a
// timer's status word and yields while it is locked, and leaves only
// on another value, so the iterations that would load the same value
// again are left out. One that blocks in lock waits
// until the lock is free; a preempted goroutine waits until the scheduler
// M that runs in its place has finished. When no M can run and some are
// not done, the one to resume next ends its call with a Hang: a deadlock
// if it was blocked, a livelock if it was spinning.
//
// Besides the threads' Ms that Run starts, the port may Spawn scheduler
// Ms during the run (the scheduler that runs on a P whose goroutine was
// preempted, an M that wakep starts): they get the next M IDs, in the
// order they are spawned, so a schedule names them like any other M.
type Conc struct {
	w  *World
	ch Chooser
	ms []*M

	aborted bool
	stuck   *Hang // delivered to the next M woken

	cutter SpinCutter // the Chooser, if it cuts spins; else nil
	crash  any        // a panic that was not the code under test's

	// next is the M that Run resumes when the running one gives the token
	// away (switchTo, handOff), nil once every M has ended.
	next *M

	// The schedule: at each point where several Ms could run, the one
	// chosen (preceded by MigrateMark+p where the running goroutine was
	// preempted and resumes on P p, and by NoRescueMark where a rescue
	// did not happen). Preemptions counts the switches away from an M
	// that could have gone on and the preemptions of goroutines at safe
	// points; Migrations the preempted goroutines that resumed on
	// another P.
	Choices     []int
	Preemptions int
	Migrations  int

	// Preempt, if set, lets a Migrator chooser preempt goroutines at safe
	// points.
	Preempt *Preempt

	// runBuf holds pick's runnable Ms: the Chooser gets a slice of it,
	// which would make a local array escape at every choice.
	runBuf [8]*M

	// slice counts the steps the running M took while nothing changed.
	slice struct {
		m        *M
		progress uint64
		steps    int
	}
}

// Migrator is a Chooser that may also preempt the running goroutine at a
// safe point (World.SafePoint) where the port says it is preemptible.
// options lists the Ps it may then resume on: options[0] is its own P
// (its M runs the scheduler in its place, then resumes it), the others
// Ps it may resume on at once, on another M (the head of the idle list,
// which pidleget takes). Migrate returns an index into options, or -1 not
// to preempt.
type Migrator interface {
	Migrate(m *M, options []int) int
}

// Rescuer is a Chooser that also decides whether one of the runtime's
// rescues happens (World.Rescue): true, the default, lets it happen;
// false is the schedule in which it does not (for wakep: another M is
// spinning, so wakep starts none).
type Rescuer interface {
	Rescue(m *M, what string) bool
}

// Preempt is the port's side of preempting goroutines.
type Preempt struct {
	// Preemptible reports whether the goroutine on m may be preempted at
	// its current safe point: a user goroutine, m.locks == 0, no lock
	// held (canPreemptM).
	Preemptible func(m *M) bool
	// Options returns the Ps the goroutine on m may resume on: its own
	// first, then where it may move. When they depend on other Ms'
	// state (where they are, what the idle list holds beyond what only
	// global steps change), it marks m's last step global
	// (World.MarkLastGlobal): the offer depends on when m got there.
	Options func(m *M) []int
	// Do preempts the goroutine on m, which resumes on P p, and returns
	// the scheduler M it spawned (Conc.Spawn) to run on m's old P. If p
	// is m's own P, the goroutine resumes only when that M has finished.
	Do func(m *M, p int) *M
	// MayNotRescue reports whether a rescue may be missed now: some M
	// other than m may be spinning (see Rescuer).
	MayNotRescue func(m *M) bool
}

// STWMark marks, among Preempt.Options, a stop of the world: STWMark+n
// means that while the goroutine is stopped at its safe point, the world
// is stopped and procresize(n) runs on its P, every other M waiting for
// it. The port offers it only when every other M can stop.
const STWMark = 1 << 19

// ChoicesHinter is a Chooser that knows about how many choices a run will
// record (Conc.Choices): a capacity, so that they are not reallocated as
// they grow.
type ChoicesHinter interface {
	ChoicesHint() int
}

// MigrateMark marks a preemption in Conc.Choices: MigrateMark+p means the
// running goroutine was preempted at that choice point and resumes on P
// p (before the choice of the M to run, which follows it).
const MigrateMark = 1 << 20

// NoRescueMark marks, in Conc.Choices, a rescue that did not happen
// (Rescuer): the schedule's "spinning" token.
const NoRescueMark = 1 << 21

var errAbort = errors.New("sim: run aborted")

// IsAbort reports whether a recovered panic is the unwinding of an M whose
// run was aborted (another M threw or hung).
func IsAbort(r any) bool { return r == errAbort }

// NewConc returns a concurrent scheduler over w's Ms, installed in w.
func NewConc(w *World, ch Chooser) *Conc {
	c := &Conc{w: w, ch: ch}
	if h, ok := ch.(ChoicesHinter); ok {
		c.Choices = make([]int, 0, h.ChoicesHint())
	}
	w.sched = c
	w.setTrack(nil)
	if t, ok := ch.(StepTracker); ok {
		w.setTrack(t.TrackSteps())
	}
	c.cutter, _ = ch.(SpinCutter)
	return c
}

// SpinCutter is a Chooser that leaves out the schedules in which an M
// goes on after a step that wrote nothing and left it where it began
// (GenMC's spin-assume transformation): a spin in osyield (every osyield
// of the ported time.go ends a loop iteration that loaded a timer's
// status word and found it locked), a retry (a failed compare-and-swap
// whose M then loads the same word again, with nothing but acquirem and
// releasem between) and a lock of a mutex another M holds. A schedule in
// which the M goes on reaches what the same schedule without that
// iteration or attempt reaches, in which the M's next load, or its lock,
// comes after the write or release that let it go on. Under a
// SpinCutter such an M never runs again in the run. When no M can run
// and one of them waits on a word that has changed, or a lock that has
// been released, since it began to wait, the run is not one the program
// can make (that M would go on): Conc calls Cut and unwinds the Ms, as
// after Abort. When no M can run and none of them does, the run hangs
// as it would without the cut; a throw ends it as always.
type SpinCutter interface {
	Cut()
}

// Run runs body(m) for every M in ms on its own coroutine, one at a
// time, and returns when all have ended. body must return after Abort.
func (c *Conc) Run(ms []*M, body func(m *M)) {
	c.ms = make([]*M, 0, len(ms)+4) // room for a few scheduler Ms
	for _, m := range ms {
		c.start(m, body)
	}
	defer func() {
		// A panic out of an M's coroutine (its own are recovered in
		// thread, so one raised while it gave the token away): unwind the
		// Ms still suspended before passing it on, as the goroutines they
		// stand for die with the process.
		if r := recover(); r != nil {
			c.aborted = true
			for _, m := range c.ms {
				m.stop()
			}
			panic(r)
		}
	}()
	c.next = c.choose(nil)
	c.w.cur = c.next
	for c.next != nil {
		m := c.next
		c.next = nil
		m.resume()
	}
	for _, m := range c.ms {
		m.stop() // each has ended: this only releases the coroutine
	}
	if c.crash != nil {
		panic(c.crash)
	}
}

// Spawn starts m, a scheduler M, running body during the run: it becomes
// runnable at once and is scheduled like the others.
func (c *Conc) Spawn(m *M, body func(m *M)) {
	m.Sched = true
	c.w.Shared()
	c.start(m, body)
}

func (c *Conc) start(m *M, body func(m *M)) {
	c.ms = append(c.ms, m)
	m.finished = false
	m.moved = Site{}
	m.resume, m.stop = iter.Pull(func(yield func(struct{}) bool) {
		m.yield = yield
		c.thread(m, body)
	})
}

func (c *Conc) thread(m *M, body func(m *M)) {
	defer func() {
		if r := recover(); r != nil && r != errAbort {
			c.crash = r
			c.aborted = true
		}
		if c.w.cur == m && !c.aborted {
			c.w.endStep()
		}
		m.finished = true
		c.handOff()
	}()
	m.started = true
	if c.aborted {
		panic(errAbort)
	}
	GrowStack(0)
	body(m)
}

// GrowStack grows the calling goroutine's stack to 16 KB in one step,
// while it is shallow; pass any byte (it keeps the frame from being
// optimized away). A new goroutine's stack starts at 2 KB, and a run of
// the ports then grew it several times, deep in the code under test,
// where copying a stack walks every frame (runtime.newstack was 9% of
// the unbounded search's time, and 5% of the sequential fuzz target's
// under go test -fuzz, whose engine runs every input on a new
// goroutine). The frame below makes newstack pick 16 KB at once. Every
// run calls it on its threads' goroutines (iter.Pull makes new ones).
//
//go:noinline
func GrowStack(b byte) byte {
	var pad [12 << 10]byte
	pad[int(b)%len(pad)] = b
	return pad[len(pad)-1-int(b)%len(pad)]
}

// Abort ends the run: the Ms not yet done are unwound one by one, without
// running any more of the code under test. Called after a throw or hang.
func (c *Conc) Abort() {
	c.w.Shared()
	c.aborted = true
}

// Aborted reports whether Abort was called.
func (c *Conc) Aborted() bool { return c.aborted }

// handOff gives the token away from an M that has ended.
func (c *Conc) handOff() {
	if c.aborted {
		for _, n := range c.ms {
			if !n.finished {
				c.w.cur, c.next = n, n
				return
			}
		}
		return
	}
	if next := c.pick(nil, false); next != nil {
		c.w.cur, c.next = next, next
		return
	}
	// Ms remain but none can run: wake the first with the Hang to end
	// its call (unwind it, if the run is cut).
	for _, n := range c.ms {
		if !n.finished {
			if !c.cutEnd() {
				c.stuck = c.stuckHang(n)
			}
			c.w.cur, c.next = n, n
			return
		}
	}
}

// cutEnd reports whether, with no M able to run, the run is cut (see
// SpinCutter): a cut M waits on a word that has changed since its load.
// It then marks the run aborted, so that the Ms unwind, and tells the
// cutter.
func (c *Conc) cutEnd() bool {
	if c.cutter == nil {
		return false
	}
	for _, m := range c.ms {
		if !m.cut || m.finished {
			continue
		}
		if m.blockedOn != nil && m.blockedOn.releases != m.cutReleases || m.spinWord != nil && m.spinWord.Changes != m.spinChanges {
			c.aborted = true
			c.cutter.Cut()
			return true
		}
	}
	return false
}

func (c *Conc) stuckHang(m *M) *Hang {
	var others []string
	for _, n := range c.ms {
		if n != m && !n.finished {
			others = append(others, c.state(n))
		}
	}
	what := fmt.Sprintf("M%d %s", m.ID, c.state(m))
	if len(others) > 0 {
		what += "; " + strings.Join(others, "; ")
	}
	kind := HangSpin
	if m.blockedOn != nil {
		kind = HangDeadlock
	}
	return &Hang{Kind: kind, What: what + "; no M can run", M: m.ID, Steps: m.steps}
}

func (c *Conc) state(m *M) string {
	switch {
	case m.blockedOn != nil:
		return fmt.Sprintf("M%d blocked in lock(%s) held by M%d", m.ID, m.blockedOn.Name, m.blockedOn.owner.ID)
	case m.spinning && m.lastLoad != nil:
		return fmt.Sprintf("M%d spinning in osyield on %s", m.ID, m.lastLoad.Name)
	case m.spinning:
		return fmt.Sprintf("M%d spinning in osyield", m.ID)
	case m.waitFor != nil && !m.waitFor.finished:
		return fmt.Sprintf("M%d preempted, waiting for the scheduler on M%d", m.ID, m.waitFor.ID)
	}
	return fmt.Sprintf("M%d running", m.ID)
}

func (c *Conc) runnable(m *M) bool {
	switch {
	case m.finished:
		return false
	case m.blockedOn != nil && m.blockedOn.owner != nil:
		return false
	case m.cut:
		return false
	case m.spinning && m.spinWord != nil && m.spinWord.Changes == m.spinChanges:
		return false
	case m.spinning && m.spinWord == nil && c.w.progress == m.spinSeen:
		return false
	case m.waitFor != nil && !m.waitFor.finished:
		return false
	}
	return true
}

// choose asks the Chooser among the runnable Ms; cur is the running M if
// it may go on, else nil. It returns nil if no M can run.
func (c *Conc) choose(cur *M) *M {
	next, _ := c.choosePreempt(cur)
	return next
}

// choosePreempt is choose, and reports whether cur's goroutine was
// preempted at its safe point first.
func (c *Conc) choosePreempt(cur *M) (*M, bool) {
	offered, preempted := false, false
	if cur != nil && cur.safe != "" && c.Preempt != nil {
		offered, preempted = c.preempt(cur)
	}
	if preempted {
		// The goroutine was preempted: what runs next is the
		// scheduler's choice, not a further preemption.
		cur = nil
	}
	// A safe point where the Migrator was asked and said no is always a
	// recorded choice point, even with one M to run: otherwise a
	// recorded preemption could replay at an earlier safe point.
	return c.pick(cur, offered && !preempted), preempted
}

// pick chooses the M to run among the runnable ones; with record, it
// asks the Chooser and records its answer even if only one M can run.
func (c *Conc) pick(cur *M, record bool) *M {
	run := c.runBuf[:0]
	ci := -1
	for _, m := range c.ms {
		if c.runnable(m) {
			if m == cur {
				ci = len(run)
			}
			run = append(run, m)
		}
	}
	switch {
	case len(run) == 0:
		return nil
	case len(run) == 1 && !record:
		return run[0]
	}
	if ci >= 0 && len(run) > 1 && c.unfair(cur) {
		// The OS does not let a thread spin forever while others wait:
		// the next runnable M gets the token, whatever the chooser.
		return run[(ci+1)%len(run)]
	}
	i := c.ch.Choose(run, ci)
	if i < 0 || i >= len(run) {
		panic(fmt.Sprintf("sim: Chooser returned %d of %d runnable Ms", i, len(run)))
	}
	if ci >= 0 && i != ci {
		c.Preemptions++
	}
	c.Choices = append(c.Choices, run[i].ID)
	return run[i]
}

// FairSlice is how many steps in a row an M may take while nothing in the
// World changes (no write to an atomic word, no unlock) before Conc hands
// the token to another runnable M without asking the chooser. Only a spin
// that never calls osyield runs that long: real Ms are OS threads, which
// run in parallel or are preempted by the OS, so such a spin ends when
// the M it waits for gets to run.
const FairSlice = 1000

// unfair reports whether cur has run FairSlice steps without progress.
func (c *Conc) unfair(cur *M) bool {
	if cur != c.slice.m || c.w.progress != c.slice.progress {
		c.slice.m, c.slice.progress, c.slice.steps = cur, c.w.progress, 0
	}
	c.slice.steps++
	if c.slice.steps < FairSlice {
		return false
	}
	c.slice.steps = 0
	if c.w.track != nil {
		c.w.track.Unfair++
	}
	return true
}

// switchTo passes the token from m to next and waits for it to come back.
func (c *Conc) switchTo(m, next *M) {
	if c.w.events != nil {
		why := "preempted"
		switch {
		case m.blockedOn != nil:
			why = "blocked"
		case m.spinning:
			why = "spinning"
		}
		c.w.record(fmt.Sprintf("switch M%d -> M%d (%s)", m.ID, next.ID, why))
	}
	c.w.cur, c.next = next, next
	if !m.yield(struct{}{}) { // back to Run, which resumes next
		panic(errAbort) // Run is unwinding: stop
	}
	c.w.cur = m
	if c.aborted {
		panic(errAbort)
	}
	if h := c.stuck; h != nil {
		c.stuck = nil
		h.Where, h.Site = c.w.where()
		panic(h)
	}
}

// Step implements Scheduler: another M may run before m's next primitive.
// A goroutine preempted at a safe point resumes at the same point, where
// another preemption request can stop it again.
func (c *Conc) Step(w *World, m *M) {
	for {
		next, preempted := c.choosePreempt(m)
		if next != m {
			c.switchTo(m, next)
		}
		if !preempted {
			return
		}
	}
}

// Spin implements Scheduler: m waits in osyield until the word it loaded
// last changes (or, with no load, until another M makes progress). The
// osyield's step reads that word: it is dependent with its writes alone.
func (c *Conc) Spin(w *World, m *M, what string) {
	// m waits for a change after the load that made it spin: one that
	// came between the load and here (another M ran at the osyield's
	// step) already lets it go on.
	m.spinning, m.spinSeen = true, m.loadSeen
	m.spinWord, m.spinChanges = m.lastLoad, m.loadChanges
	m.cut = c.cutter != nil && m.spinWord != nil
	defer func() { m.spinning, m.spinWord, m.cut = false, nil, false }()
	if w.track != nil {
		if m.spinWord != nil {
			w.touch(m.spinWord, false)
		} else {
			w.track.cur(w).ReadsProgress = true
		}
		w.endStep()
		if m.spinWord == nil {
			w.track.spunOn(m)
		}
	}
	next := c.choose(nil)
	if next == nil {
		if c.cutEnd() {
			panic(errAbort)
		}
		panic(w.hang(HangSpin, what+"; "+c.others(m)+"no M can make progress"))
	}
	if next != m {
		c.switchTo(m, next)
	}
	// The step m takes next could not run before the write that let it
	// go on: it reads the word m waited on (or progress), so that the
	// partial-order reduction orders it after that write.
	if w.track != nil {
		if m.spinWord != nil {
			w.touch(m.spinWord, false)
		} else {
			w.track.cur(w).ReadsProgress = true
		}
	}
}

// cutRetry cuts m (see SpinCutter) at the load that retries its failed
// compare-and-swap: it never runs again, waiting on m.retry as it was
// at the load before.
func (c *Conc) cutRetry(m *M) {
	m.cut, m.spinWord, m.spinChanges = true, m.retry, m.retryChanges
	m.retry = nil
	c.w.touch(m.spinWord, false) // as a spin's osyield reads its word
	c.w.endStep()
	next := c.choose(nil)
	if next == nil {
		if c.cutEnd() {
			panic(errAbort)
		}
		panic("sim: a cut M's word did not change")
	}
	c.switchTo(m, next)
	panic("sim: a cut M ran again")
}

// Block implements Scheduler: m waits in lock until l is free.
func (c *Conc) Block(w *World, m *M, l *Lock) {
	m.blockedOn = l
	m.cut, m.cutReleases = c.cutter != nil, l.releases
	defer func() { m.blockedOn, m.cut = nil, false }()
	w.endStep()
	next := c.choose(nil)
	if next == nil {
		if c.cutEnd() {
			panic(errAbort)
		}
		panic(w.hang(HangDeadlock, fmt.Sprintf("lock(%s) held by M%d; ", l.Name, l.owner.ID)+c.others(m)+"no M can run"))
	}
	c.switchTo(m, next)
}

func (c *Conc) others(m *M) string {
	var b strings.Builder
	for _, n := range c.ms {
		if n != m && !n.finished {
			b.WriteString(c.state(n) + "; ")
		}
	}
	return b.String()
}

// preempt asks a Migrator whether the goroutine on m, at a safe point,
// is preempted, and where it resumes. It reports whether it asked, and
// whether the goroutine was preempted.
func (c *Conc) preempt(m *M) (offered, preempted bool) {
	if !c.Preempt.Preemptible(m) {
		return false, false
	}
	mg, ok := c.ch.(Migrator)
	if !ok {
		// A choice point all the same, so that schedules replay alike
		// under any chooser; nothing was offered, so the step is not
		// global.
		return true, false
	}
	opts := c.Preempt.Options(m)
	k := mg.Migrate(m, opts)
	if k < 0 || k >= len(opts) {
		return true, false
	}
	p := opts[k]
	c.Choices = append(c.Choices, MigrateMark+p)
	c.Preemptions++
	if p >= STWMark {
		if c.w.events != nil {
			c.w.recordMark(fmt.Sprintf("stop the world at %s: the goroutine on M%d is stopped; procresize(%d) runs on its P", m.safe, m.ID, p-STWMark), MarkPreempt, -1)
		}
		s := c.Preempt.Do(m, p)
		for _, n := range c.ms {
			if n != s && !n.finished {
				n.waitFor = s // stopped until the world starts again
			}
		}
		return true, true
	}
	if c.w.events != nil {
		if k == 0 {
			c.w.recordMark(fmt.Sprintf("preempt at %s: the goroutine on M%d is preempted; its M runs the scheduler on P%d, then resumes it", m.safe, m.ID, p), MarkPreempt, p)
		} else {
			c.w.recordMark(fmt.Sprintf("migrate at %s: the goroutine on M%d is preempted and resumes on P%d", m.safe, m.ID, p), MarkMove, p)
		}
	}
	s := c.Preempt.Do(m, p)
	if t := c.w.track; t != nil && t.running {
		// Do's own bookkeeping (the idle list, the mask) is a step of
		// its own, dependent with every step.
		t.open.Global = true
		c.w.endStep()
	}
	if k == 0 {
		m.waitFor = s
	} else {
		c.Migrations++
		// Rare (a few in a hundred runs): the stack walk is affordable.
		// A safe point named after a function ("lock", "timer.unlock")
		// is that function's prologue, so the site is its caller; the
		// others ("thread start", "between calls"), and a function
		// called from outside time.go, keep their name.
		m.moved = Site{Call: m.safe}
		if !strings.Contains(m.safe, " ") {
			if s := c.w.Here(shortName(m.safe)); s.Call == shortName(m.safe) {
				m.moved = s
			}
		}
	}
	return true, true
}

// rescue asks a Rescuer whether the rescue named what happens now.
func (c *Conc) rescue(m *M, what string) bool {
	r, ok := c.ch.(Rescuer)
	if !ok || c.Preempt == nil || c.Preempt.MayNotRescue == nil || !c.Preempt.MayNotRescue(m) {
		return true
	}
	if r.Rescue(m, what) {
		return true
	}
	c.Choices = append(c.Choices, NoRescueMark)
	if c.w.events != nil {
		c.w.recordMark(fmt.Sprintf("no %s: another M is spinning, so no M is started", what), MarkNoRescue, 0)
	}
	return false
}
