package sim

import (
	"fmt"

	"github.com/timerdiff/timerdiff/internal/sim/atomic"
)

// Word kinds understood by the World (atomic.Word.Kind).
const (
	KindPlain       = iota // a counter or time: only a scheduling point
	KindTimerStatus        // a timer's status word, which is also its lock
)

// Config describes the parts of a World that depend on the port.
type Config struct {
	// StepBudget bounds the scheduling points one call may take; past it
	// the call ends in a Hang. 0 means DefaultStepBudget.
	StepBudget int
	// Clock is the initial virtual time returned by nanotime.
	Clock int64
	// LockedStatus is the timer status value that means "locked"
	// (timerLocked), RemovedStatus the one that means "in no heap"
	// (timerRemoved); StatusNames names every status value for reports.
	LockedStatus  uint32
	RemovedStatus uint32
	StatusNames   []string
	// Words and TimerWords, if not zero, are how many words and how many
	// of them KindTimerStatus the port expects to make with NewWord: a
	// hint, so that they are allocated at once.
	Words, TimerWords int
	// PortFile is the path suffix of the ported time.go ("oldimpl/time.go"),
	// used to name the functions in a Throw, Hang or lock-order site.
	PortFile string
	// NoSites records lock-order edges without their Where: the stack
	// walk that names the functions of a rank violation is the costliest
	// part of recording an edge, and a judge that reads only the edges'
	// classes, RankOK and the cycles (the lockstep one) never reads it.
	// Everything else is recorded and checked as without it.
	NoSites bool
	// Reuse, if set, is a World its caller is done with and keeps
	// nothing of, not even its Ms: NewWorld returns it rewritten as a new
	// World, with the arrays of its words and timer locks (NewWord
	// rewrites each one it hands out) and its M0, which spares a caller
	// that opens one World after another (the lockstep judge) their
	// allocation. The World Reuse was is gone.
	Reuse *World
}

// DefaultStepBudget is far above what any call of the real code takes on
// the small worlds timerdiff builds (a few hundred steps).
const DefaultStepBudget = 100_000

// World is one simulated runtime: the Ms, the virtual clock, the lock-order
// recorder and the log of wakeNetPoller calls. The Ps and Gs are the
// port's own types; the World only sees their words and locks.
//
// A World is used by one goroutine at a time (the M holding the token).
type World struct {
	cfg   Config
	clock int64
	ms    []*M
	cur   *M
	sched Scheduler
	// progress counts writes and unlocks: a spinning M can only get
	// anywhere after one (see Conc).
	progress uint64
	events   *[]Event // the event log, when recording

	// OnUnlock, if set, is called after every unlock of a runtime mutex,
	// by the M that unlocked it: a moment when what the lock guards must
	// be consistent. It runs in the unlock's step, so it must put what it
	// reads of other Ms' state in the step's footprint (Touch), or mark
	// the step global (Shared).
	OnUnlock func(l *Lock)
	status   []*Lock // the lock of each timer status word, by Word.ID
	order    lockOrder
	edgeBuf  [4]LockEdge // order.edges' first array: a World sees a few edges
	track    *Steps      // the steps' footprints, when the Chooser wants them
	// untracked is track == nil, for the words' RawQuiet: Raw then skips
	// RawAccess, which would do nothing.
	untracked bool

	// words and locks are NewWord's: the unused rest of its last chunks;
	// wordArr and lockArr the whole of its first ones (for Config.Reuse).
	words   []atomic.Word
	locks   []Lock
	wordArr []atomic.Word
	lockArr []Lock
}

// NewWorld returns a World with one M (M0) running and the sequential
// scheduler: any spin or blocked lock is a Hang.
func NewWorld(cfg Config) *World {
	if cfg.StepBudget == 0 {
		cfg.StepBudget = DefaultStepBudget
	}
	r := cfg.Reuse
	cfg.Reuse = nil
	if r == nil {
		w := &World{cfg: cfg, clock: cfg.Clock, sched: Sequential{}, untracked: true}
		w.order.edges = w.edgeBuf[:0]
		w.cur = w.NewM()
		return w
	}
	// The World r, rewritten as a new one (every field above), keeping
	// the arrays of its words, timer locks, status list, Ms and lock-order
	// edges, and its M0, rewritten as NewM makes one.
	wordArr, lockArr, status, ms, edges := r.wordArr, r.lockArr, r.status[:0], r.ms[:0], r.order.edges[:0]
	var m0 *M
	if len(r.ms) > 0 {
		m0 = r.ms[0]
	} else {
		m0 = new(M)
	}
	w := r
	*w = World{cfg: cfg, clock: cfg.Clock, sched: Sequential{}, untracked: true}
	w.order.edges = w.edgeBuf[:0]
	if cap(edges) > len(w.edgeBuf) {
		w.order.edges = edges // a grown array (LockOrder hands out copies)
	}
	if n := w.cfg.Words; n > 0 && cap(wordArr) >= n {
		w.words, w.wordArr, w.cfg.Words = wordArr[:n], wordArr[:n], 0
		clear(w.words)
	}
	if n := w.cfg.TimerWords; n > 0 && cap(lockArr) >= n {
		w.locks, w.lockArr, w.cfg.TimerWords = lockArr[:n], lockArr[:n], 0
		clear(w.locks)
	}
	w.status = status
	*m0 = M{}
	m0.held = m0.heldBuf[:0]
	w.ms = append(ms, m0)
	w.cur = m0
	return w
}

// NewM adds an M to the World.
func (w *World) NewM() *M {
	m := &M{ID: len(w.ms)}
	m.held = m.heldBuf[:0]
	w.ms = append(w.ms, m)
	return m
}

// Ms returns the World's Ms in ID order.
func (w *World) Ms() []*M { return w.ms }

// Cur returns the M that is running.
func (w *World) Cur() *M { return w.cur }

// SetScheduler replaces the scheduler (the default is Sequential).
func (w *World) SetScheduler(s Scheduler) { w.sched = s; w.setTrack(nil) }

// setTrack sets track, and untracked to match: every change of track goes
// through here.
func (w *World) setTrack(t *Steps) { w.track, w.untracked = t, t == nil }

// Now returns the virtual clock, for observers: it is in no footprint.
func (w *World) Now() int64 { return w.clock }

// clockVar names the virtual clock in footprints: Nanotime reads it,
// Advance writes it.
var clockVar = Var{Name: "clock"}

// Nanotime returns the virtual clock: the runtime's nanotime, a plain
// read of the clock in the running M's step.
func (w *World) Nanotime() int64 {
	if w.track != nil {
		w.touch(&clockVar, false)
	}
	return w.clock
}

// Advance moves the virtual clock forward by d (d >= 0), a write of the
// clock in the running M's step.
func (w *World) Advance(d int64) {
	if d < 0 {
		panic(fmt.Sprintf("sim: Advance(%d): the clock does not go back", d))
	}
	if w.track != nil {
		w.touch(&clockVar, true)
	}
	w.clock += d
}

// BeginCall starts call number i on the running M: it resets the M's
// step count and labels the lock-order sites it produces.
func (w *World) BeginCall(i int) {
	w.cur.call = i
	w.cur.steps = 0
	w.cur.sharedCall = false
	w.cur.lastLoad = nil
}

// Steps returns the scheduling points taken by the running M's call.
func (w *World) Steps() int { return w.cur.steps }

// WakeNetPoller records a wakeNetPoller(when) call.
func (w *World) WakeNetPoller(when int64) { w.cur.wakes = append(w.cur.wakes, when) }

// TakeWakes returns the running M's wakeNetPoller calls since its last
// TakeWakes.
func (w *World) TakeWakes() []int64 {
	wk := w.cur.wakes
	if len(wk) == 0 {
		return nil // none (the M keeps a recycled buffer)
	}
	w.cur.wakes = nil
	return wk
}

// RecycleWakes gives m a slice TakeWakes returned, which its caller is
// done with, for m's next wakeNetPoller calls to append to.
func (m *M) RecycleWakes(wk []int64) {
	if m.wakes == nil && wk != nil {
		m.wakes = wk[:0]
	}
}

// NewWord returns a word of the given kind bound to this World. For
// KindTimerStatus words the World also creates the timer's lock, named
// like the word's owner.
func (w *World) NewWord(name string, kind int, lockName string) *atomic.Word {
	if len(w.words) == 0 {
		w.words = make([]atomic.Word, chunk(&w.cfg.Words))
		if w.wordArr == nil {
			w.wordArr = w.words
		}
	}
	wd := &w.words[0]
	w.words = w.words[1:]
	*wd = atomic.Word{Name: name, Kind: kind, Obs: w, RawObs: w, RawQuiet: &w.untracked}
	if kind == KindTimerStatus {
		wd.ID = len(w.status)
		if len(w.locks) == 0 {
			w.locks = make([]Lock, chunk(&w.cfg.TimerWords))
			if w.lockArr == nil {
				w.lockArr = w.locks
			}
		}
		l := &w.locks[0]
		w.locks = w.locks[1:]
		*l = Lock{Name: lockName, Class: ClassTimer}
		w.status = append(w.status, l)
	}
	return wd
}

// chunk is how many Words (or timer Locks) NewWord allocates at once: the
// Config's hint the first time, then wordChunk. A World makes a few dozen,
// and a search one World per schedule.
func chunk(hint *int) int {
	n := *hint
	*hint = 0
	if n <= 0 {
		n = wordChunk
	}
	return n
}

const wordChunk = 16

// Access implements atomic.Observer: every atomic operation is a step.
func (w *World) Access(wd *atomic.Word, op atomic.Op) {
	if m := w.cur; m.retry != nil {
		if op == atomic.OpLoad && wd == m.retry && wd.Changes != m.retryChanges {
			// A retry: the M loads again the word its compare-and-swap
			// failed on, having written nothing since its last load.
			w.sched.(*Conc).cutRetry(m)
		}
		m.retry = nil
	}
	if w.events != nil {
		w.record(wd.Name + "." + op.String())
	}
	w.Step()
	if w.track != nil {
		// A read, until Wrote says the operation changed the word: a
		// compare-and-swap that fails, a store of the value the word
		// holds or an add of 0 leaves memory as a load does, and
		// commutes with loads and with each other (rule 7).
		w.touch(wd, false)
	}
	if op == atomic.OpLoad {
		w.cur.lastLoad, w.cur.loadSeen, w.cur.loadChanges = wd, w.progress, wd.Changes
		if w.track != nil {
			w.cur.loadStep = len(w.track.Done)
		}
	}
}

// Wrote implements atomic.Observer: a timer status word moving into the
// locked status acquires the timer's lock; moving out releases it.
func (w *World) Wrote(wd *atomic.Word, old, nw uint64) {
	w.progress++
	wd.Changes++
	if w.track != nil {
		w.track.cur(w).BumpsProgress = true
		w.touch(wd, true)
	}
	if wd.Kind != KindTimerStatus {
		return
	}
	locked := uint64(w.cfg.LockedStatus)
	l := w.status[wd.ID]
	switch {
	case nw == locked:
		l.ranked = w.cur.rankedTimer > 0
		l.noHeap = old == uint64(w.cfg.RemovedStatus)
		w.acquire(l)
	case old == locked:
		w.release(l)
	}
}

// StatusName names a timer status value ("timerLocked").
func (w *World) StatusName(v uint32) string {
	if int(v) < len(w.cfg.StatusNames) {
		return w.cfg.StatusNames[v]
	}
	return fmt.Sprintf("status(%d)", v)
}

// Step is one scheduling point: every primitive passes through it.
func (w *World) Step() {
	m := w.cur
	m.retry = nil
	m.steps++
	if m.steps > w.cfg.StepBudget {
		panic(w.hang(HangBudget, fmt.Sprintf("step budget of %d exceeded", w.cfg.StepBudget)))
	}
	m.safe, m.markSafe = m.markSafe, ""
	w.endStep()
	w.sched.Step(w, m)
	m.safe = ""
}

// MarkSafe makes the running M's next Step a safe point named what: a
// place where the runtime may preempt the goroutine it runs. The runtime
// preempts a goroutine synchronously, at the prologue of a call that is
// not nosplit (newstack, when stackguard0 == stackPreempt), and only if
// canPreemptM holds (m.locks == 0, no runtime lock held) on a user
// goroutine, never on g0; it never preempts runtime code asynchronously
// (isAsyncSafePoint). The port marks the Steps that are such prologues
// (lock's, for instance) and the points between a thread's calls; whether
// the goroutine there is a user goroutine with m.locks == 0 is its
// Preempt.Preemptible's to say.
func (w *World) MarkSafe(what string) { w.cur.markSafe = what }

// SafePoint is a Step that is a safe point named what (see MarkSafe).
func (w *World) SafePoint(what string) {
	w.MarkSafe(what)
	w.Step()
}

// Rescue asks whether one of the runtime's rescues happens now: what
// names it for the schedule ("wakep"). Outside a concurrent run, or with
// a Chooser that does not decide rescues, it happens. See Rescuer.
func (w *World) Rescue(what string) bool {
	w.Shared()
	if c, ok := w.sched.(*Conc); ok {
		return c.rescue(w.cur, what)
	}
	return true
}

// RankTimer records acquireLockRank(lockRankTimer) (on) and
// releaseLockRank(lockRankTimer) (off) on the running M: a timer lock it
// takes in between is ranked, as staticlockranking would see it.
func (w *World) RankTimer(on bool) {
	if on {
		w.cur.rankedTimer++
	} else if w.cur.rankedTimer > 0 {
		w.cur.rankedTimer--
	}
}

// Osyield is the runtime's osyield: the M gives up its time slice because
// it is waiting for another M. It is a step; what it waits for is the
// last word the M loaded.
func (w *World) Osyield() {
	if w.events != nil {
		w.record("osyield")
	}
	w.Step()
	what := "osyield"
	if wd := w.cur.lastLoad; wd != nil {
		what = "osyield after loading " + wd.Name
		if wd.Kind == KindTimerStatus {
			if l := w.status[wd.ID]; l.owner != nil {
				what = fmt.Sprintf("osyield spinning on %s == %s (locked by M%d)",
					wd.Name, w.StatusName(w.cfg.LockedStatus), l.owner.ID)
			}
		}
	}
	w.sched.Spin(w, w.cur, what)
}

// Throw ends the current call with the runtime's throw(msg).
func (w *World) Throw(msg string) {
	w.Shared()
	where, site := w.where()
	panic(&Throw{Msg: msg, Where: where, Site: site})
}

// SetCur makes m the running M (between runs of a concurrent scheduler).
func (w *World) SetCur(m *M) { w.cur = m }

// Prim is a primitive of the runtime other than an atomic operation, lock
// or osyield (acquirem, releasem): a named scheduling point.
func (w *World) Prim(name string) {
	if w.events != nil {
		w.record(name)
	}
	retry := w.cur.retry // acquirem and releasem change only the M's own state
	w.Step()
	w.cur.retry = retry
}

// Failed implements atomic.FailObserver: under a SpinCutter, a failed
// compare-and-swap of the word the M loaded last makes its next load of
// that word a retry (Conc.cutRetry) if nothing but acquirem and releasem
// comes between.
func (w *World) Failed(wd *atomic.Word) {
	if c, ok := w.sched.(*Conc); ok && c.cutter != nil && w.cur.lastLoad == wd {
		w.cur.retry, w.cur.retryChanges = wd, w.cur.loadChanges
	}
}

// Event is one thing one M did, recorded when the World records: for
// pictures of a concurrent run. Recording costs; campaigns leave it off.
type Event struct {
	M    int
	Call int      // the call the M was making
	What string   // "t3.status.CompareAndSwap", "lock(P0.timersLock)", "acquired t3", "switch M0 -> M1 (preempted)", ...
	Held []string // the locks the M holds at that moment
	// Mark and P say what a scheduling event is, for the pictures, so
	// that they need not read it back from What: MarkNone for the rest.
	Mark EventMark
	P    int // MarkPreempt: the P the scheduler runs on; MarkMove: the P the goroutine resumes on
}

// EventMark is what a recorded scheduling event is.
type EventMark uint8

const (
	MarkNone     EventMark = iota
	MarkPreempt            // "preempt at ...": the goroutine is preempted; its M runs the scheduler on P, then resumes it
	MarkMove               // "migrate at ...": the goroutine is preempted and resumes on the idle P
	MarkNoRescue           // "no wakep: ...": the rescue starts no M, another M being spinning
)

// Record turns the event log on (or off) and empties it.
func (w *World) Record(on bool) {
	if on {
		w.events = new([]Event)
	} else {
		w.events = nil
	}
}

// Events returns the events recorded so far.
func (w *World) Events() []Event {
	if w.events == nil {
		return nil
	}
	return *w.events
}

func (w *World) record(what string) { w.recordMark(what, MarkNone, 0) }

func (w *World) recordMark(what string, mark EventMark, p int) {
	*w.events = append(*w.events, Event{M: w.cur.ID, Call: w.cur.call, What: what, Held: w.cur.Held(), Mark: mark, P: p})
}

// Progress counts the changes to atomic words and the unlocks so far.
// The code under test changes no state without one of them, so equal
// Progress and clock mean an unchanged state: snapshots use it to skip
// work.
func (w *World) Progress() uint64 { return w.progress }
