package sim

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/sim/atomic"
)

// The fixtures use the ports' status values: timerRemoved, timerWaiting,
// timerLocked, timerModified.
const (
	stRemoved  = 0
	stWaiting  = 1
	stLocked   = 2
	stModified = 3
)

// fixture is a small World with two Ps' timersLocks, allpLock and two
// timers' status words, built with the World's own constructors.
type fixture struct {
	w       *World
	allp    Mutex
	timers  [2]Mutex
	status  [2]atomic.Uint32
	counter atomic.Uint32
}

// testFile is this file, as the World's PortFile: Where names the
// functions of this file that are on the stack.
const testFile = "internal/sim/sim_test.go"

func newFixture(budget int) *fixture {
	f := &fixture{w: NewWorld(Config{
		StepBudget:   budget,
		Clock:        100,
		LockedStatus: stLocked,
		StatusNames:  []string{"timerRemoved", "timerWaiting", "timerLocked", "timerModified"},
		PortFile:     testFile,
	})}
	f.allp = NewMutex("allpLock", ClassAllp)
	for i := range f.timers {
		f.timers[i] = NewMutex(fmt.Sprintf("P%d.timersLock", i), ClassTimers)
		f.status[i].Bind(f.w.NewWord(fmt.Sprintf("t%d.status", i), KindTimerStatus, fmt.Sprintf("t%d", i)))
		f.status[i].SetRaw(stWaiting) // in a heap, unless an op says otherwise
	}
	f.counter.Bind(f.w.NewWord("P0.numTimers", KindPlain, ""))
	return f
}

// lockTimer and unlockTimer take and release timer i's lock the way the
// ports do: a CAS into timerLocked, a store out of it.
func (f *fixture) lockTimer(i int) {
	if !f.status[i].CompareAndSwap(f.status[i].Load(), stLocked) {
		panic("fixture: lockTimer CAS failed")
	}
}

func (f *fixture) unlockTimer(i int) { f.status[i].Store(stWaiting) }

// catch runs fn and returns what it panicked with, or nil.
func catch(fn func()) (r any) {
	defer func() { r = recover() }()
	fn()
	return nil
}

// ops is a tiny language for lock sequences: "T0" locks P0.timersLock,
// "t1" locks timer 1, "A" locks allpLock; a leading "-" unlocks.
func (f *fixture) run(ops string) {
	for _, op := range strings.Fields(ops) {
		unlock := strings.HasPrefix(op, "-")
		op = strings.TrimPrefix(op, "-")
		i := 0
		if len(op) > 1 {
			i = int(op[1] - '0')
		}
		switch {
		case op[0] == 'A' && !unlock:
			f.w.LockMutex(&f.allp)
		case op[0] == 'A':
			f.w.UnlockMutex(&f.allp)
		case op[0] == 'T' && !unlock:
			f.w.LockMutex(&f.timers[i])
		case op[0] == 'T':
			f.w.UnlockMutex(&f.timers[i])
		case op[0] == 't' && !unlock:
			f.lockTimer(i)
		case op[0] == 'r' && !unlock:
			// A timer locked from timerRemoved: in no heap.
			f.status[i].SetRaw(0)
			f.lockTimer(i)
		case op[0] == 'k' && !unlock:
			// A timer locked inside acquireLockRank: ranked.
			f.w.RankTimer(true)
			f.lockTimer(i)
		case op[0] == 'k':
			f.unlockTimer(i)
			f.w.RankTimer(false)
		case op[0] == 't':
			f.unlockTimer(i)
		default:
			panic("fixture: bad op " + op)
		}
	}
}

func edgeStrings(es []LockEdge) []string {
	var s []string
	for _, e := range es {
		ok := "ok"
		if !e.RankOK {
			ok = "VIOLATION"
		}
		s = append(s, fmt.Sprintf("%s->%s %s", e.From, e.To, ok))
	}
	return s
}

func TestLockOrder(t *testing.T) {
	tests := []struct {
		name   string
		calls  []string // one lock sequence per call
		edges  []string
		cycles []string
	}{
		{
			name:  "new modtimer: timer released before timers",
			calls: []string{"t0 -t0 T0 -T0"},
		},
		{
			name:  "runtimer: timers then timer",
			calls: []string{"T0 t0 -t0 -T0"},
			edges: []string{"timers->timer ok"},
		},
		{
			name:  "old modtimer alone: timer then timers is a rank violation but no cycle",
			calls: []string{"t0 T0 -T0 -t0"},
			edges: []string{"timer->timers VIOLATION"},
		},
		{
			name:   "old modtimer and runtimer: a cycle, even in different calls and on different locks",
			calls:  []string{"t0 T0 -T0 -t0", "T1 t1 -t1 -T1"},
			edges:  []string{"timer->timers VIOLATION", "timers->timer ok"},
			cycles: []string{"timers -> timer -> timers"},
		},
		{
			name:  "old modtimer's removed path and runtimer: the held timer is in no heap, so no cycle two Ms can wait on",
			calls: []string{"r0 T0 -T0 -t0", "T1 t1 -t1 -T1"},
			edges: []string{"timer->timers VIOLATION", "timers->timer ok"},
		},
		{
			name:  "adoptTimers: timers nest, a declared self-cycle",
			calls: []string{"T0 T1 -T1 -T0", "T1 T0 -T0 -T1"},
			edges: []string{"timers->timers ok"},
		},
		{
			name:   "two timers at once: timer does not nest",
			calls:  []string{"t0 t1 -t1 -t0"},
			edges:  []string{"timer->timer VIOLATION"},
			cycles: []string{"timer -> timer"},
		},
		{
			name:  "procresize: allp then timers then timer",
			calls: []string{"A T0 t0 -t0 -T0 -A"},
			edges: []string{"allp->timers ok", "allp->timer ok", "timers->timer ok"},
		},
		{
			name:  "each pair recorded once",
			calls: []string{"T0 t0 -t0 -T0", "T1 t1 -t1 -T1", "T0 t1 -t1 -T0"},
			edges: []string{"timers->timer ok"},
		},
		{
			name:   "three-class cycle",
			calls:  []string{"T0 t0 -t0 -T0", "t0 A -A -t0", "A T0 -T0 -A"},
			edges:  []string{"timers->timer ok", "timer->allp VIOLATION", "allp->timers ok"},
			cycles: []string{"allp -> timers -> timer -> allp"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(0)
			for i, c := range tt.calls {
				f.w.BeginCall(i)
				f.run(c)
				if h := f.w.Cur().Held(); len(h) != 0 {
					t.Fatalf("after call %d %q: M0 holds %q, want nothing", i, c, h)
				}
			}
			if got := edgeStrings(f.w.LockOrder()); !slices.Equal(got, tt.edges) {
				t.Errorf("LockOrder() = %q, want %q", got, tt.edges)
			}
			if got := f.w.LockCycles(); !slices.Equal(got, tt.cycles) {
				t.Errorf("LockCycles() = %q, want %q", got, tt.cycles)
			}
		})
	}
}

// TestLockEdgeSite checks what an edge says about where it was first seen.
func TestLockEdgeSite(t *testing.T) {
	f := newFixture(0)
	f.w.BeginCall(0)
	f.run("T0 -T0")
	f.w.BeginCall(7)
	oldModtimerOrder(f)
	f.w.BeginCall(8)
	f.run("t1 T1 -T1 -t1")
	es := f.w.LockOrder()
	if len(es) != 1 {
		t.Fatalf("LockOrder() = %v, want one edge", es)
	}
	e := es[0]
	if e.From != ClassTimer || e.To != ClassTimers || e.FromLock != "t0" || e.ToLock != "P0.timersLock" || e.Call != 7 || e.RankOK {
		t.Errorf("edge = %+v, want timer -> timers, t0 then P0.timersLock, call 7, not RankOK", e)
	}
	if !strings.Contains(e.Where, "oldModtimerOrder") {
		t.Errorf("edge.Where = %q, want it to name oldModtimerOrder", e.Where)
	}
	if s := e.String(); !strings.Contains(s, "rank violation") {
		t.Errorf("edge.String() = %q, want it to say rank violation", s)
	}
}

func oldModtimerOrder(f *fixture) { f.run("t0 T0 -T0 -t0") }

func TestTimerStatusIsLock(t *testing.T) {
	f := newFixture(0)
	steps := []struct {
		do   func()
		held []string
	}{
		{func() { f.status[0].Store(stWaiting) }, nil},
		{func() { f.status[0].CompareAndSwap(stWaiting, stLocked) }, []string{"t0"}},
		{func() { f.w.LockMutex(&f.timers[0]) }, []string{"t0", "P0.timersLock"}},
		{func() { f.status[0].CompareAndSwap(stWaiting, stModified) }, []string{"t0", "P0.timersLock"}}, // fails: still locked
		{func() { f.status[0].CompareAndSwap(stLocked, stModified) }, []string{"P0.timersLock"}},
		{func() { f.status[0].Add(-1) }, []string{"P0.timersLock", "t0"}}, // any write into timerLocked acquires
		{func() { f.w.UnlockMutex(&f.timers[0]) }, []string{"t0"}},
		{func() { f.status[0].Store(stRemoved) }, nil},
	}
	for i, s := range steps {
		s.do()
		if got := f.w.Cur().Held(); !slices.Equal(got, s.held) {
			t.Errorf("step %d: Held() = %q, want %q", i, got, s.held)
		}
	}
	if l := f.timers[0].Owner(); l != nil {
		t.Errorf("P0.timersLock owner = M%d after unlock, want none", l.ID)
	}
}

func TestHangs(t *testing.T) {
	tests := []struct {
		name   string
		budget int
		do     func(f *fixture)
		kind   HangKind
		what   string // substring of Hang.What
	}{
		{
			name: "self-deadlock on a mutex",
			do:   func(f *fixture) { f.run("T0 T0") },
			kind: HangDeadlock, what: "lock(P0.timersLock): already held by this M (M0)",
		},
		{
			name: "osyield on a locked timer",
			do: func(f *fixture) {
				f.lockTimer(1)
				f.status[1].Load()
				f.w.Osyield()
			},
			kind: HangSpin, what: "osyield spinning on t1.status == timerLocked (locked by M0)",
		},
		{
			name: "osyield after a plain load",
			do: func(f *fixture) {
				f.counter.Load()
				f.w.Osyield()
			},
			kind: HangSpin, what: "osyield after loading P0.numTimers",
		},
		{
			name: "osyield with nothing loaded",
			do:   func(f *fixture) { f.w.Osyield() },
			kind: HangSpin, what: "osyield; no other M can run",
		},
		{
			name:   "step budget",
			budget: 10,
			do: func(f *fixture) {
				for {
					f.counter.Add(1)
				}
			},
			kind: HangBudget, what: "step budget of 10 exceeded",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(tt.budget)
			f.w.BeginCall(0)
			r := catch(func() { tt.do(f) })
			h, ok := r.(*Hang)
			if !ok {
				t.Fatalf("panic = %#v, want a *Hang", r)
			}
			if h.Kind != tt.kind || !strings.Contains(h.What, tt.what) {
				t.Errorf("Hang = %v %q, want %v containing %q", h.Kind, h.What, tt.kind, tt.what)
			}
			if h.M != 0 {
				t.Errorf("Hang.M = %d, want 0", h.M)
			}
			if !strings.Contains(h.Where, "catch") {
				t.Errorf("Hang.Where = %q, want it to name catch, a function of PortFile on the stack", h.Where)
			}
			if !strings.Contains(h.Error(), h.Kind.String()) {
				t.Errorf("Hang.Error() = %q, want it to name %v", h.Error(), h.Kind)
			}
		})
	}
}

func TestStepBudget(t *testing.T) {
	f := newFixture(5)
	for call := 0; call < 3; call++ {
		f.w.BeginCall(call)
		if f.w.Steps() != 0 {
			t.Fatalf("call %d: Steps() = %d after BeginCall, want 0", call, f.w.Steps())
		}
		for i := 0; i < 5; i++ {
			f.counter.Add(1) // exactly the budget: no hang
		}
		if f.w.Steps() != 5 {
			t.Fatalf("call %d: Steps() = %d, want 5", call, f.w.Steps())
		}
	}
	r := catch(func() { f.w.Step() })
	if h, ok := r.(*Hang); !ok || h.Kind != HangBudget || h.Steps != 6 {
		t.Errorf("sixth step: panic = %#v, want a step-budget Hang at step 6", r)
	}
	if got := NewWorld(Config{}).cfg.StepBudget; got != DefaultStepBudget {
		t.Errorf("StepBudget 0 becomes %d, want DefaultStepBudget %d", got, DefaultStepBudget)
	}
}

func TestThrows(t *testing.T) {
	tests := []struct {
		name string
		do   func(f *fixture)
		msg  string
	}{
		{"throw", func(f *fixture) { f.w.Throw("timer data corruption") }, "timer data corruption"},
		{"unlock of an unlocked mutex", func(f *fixture) { f.run("-T1") }, "unlock of unlocked lock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(0)
			r := catch(func() { tt.do(f) })
			th, ok := r.(*Throw)
			if !ok || th.Msg != tt.msg {
				t.Fatalf("panic = %#v, want *Throw %q", r, tt.msg)
			}
			if !strings.Contains(th.Where, "catch") {
				t.Errorf("Throw.Where = %q, want it to name catch, a function of PortFile on the stack", th.Where)
			}
		})
	}
}

func TestClockAndWakes(t *testing.T) {
	f := newFixture(0)
	if got := f.w.Now(); got != 100 {
		t.Fatalf("Now() = %d, want the configured 100", got)
	}
	f.w.Advance(0)
	f.w.Advance(25)
	if got := f.w.Now(); got != 125 {
		t.Errorf("Now() after Advance(0), Advance(25) = %d, want 125", got)
	}
	if r := catch(func() { f.w.Advance(-1) }); r == nil {
		t.Errorf("Advance(-1) did not panic")
	}
	if got := f.w.Now(); got != 125 {
		t.Errorf("Now() after a refused Advance(-1) = %d, want 125", got)
	}
	f.w.WakeNetPoller(130)
	f.w.WakeNetPoller(120)
	if got := f.w.TakeWakes(); !slices.Equal(got, []int64{130, 120}) {
		t.Errorf("TakeWakes() = %v, want [130 120]", got)
	}
	if got := f.w.TakeWakes(); got != nil {
		t.Errorf("second TakeWakes() = %v, want nil", got)
	}
	if got := f.w.StatusName(9); got != "status(9)" {
		t.Errorf("StatusName(9) = %q, want status(9)", got)
	}
	if got := f.w.StatusName(stLocked); got != "timerLocked" {
		t.Errorf("StatusName(2) = %q, want timerLocked", got)
	}
}

// script is a fixed run touching every part of the World; determinism
// means it gives the same observations every time, on a fresh World.
func script(f *fixture) string {
	var b strings.Builder
	f.w.BeginCall(0)
	f.run("A T0 t0 -t0 -T0 -A")
	f.w.WakeNetPoller(150)
	f.w.Advance(10)
	f.w.BeginCall(1)
	f.run("t1 T1 -T1 -t1")
	fmt.Fprintf(&b, "steps=%d now=%d wakes=%v\n", f.w.Steps(), f.w.Now(), f.w.TakeWakes())
	f.w.BeginCall(2)
	r := catch(func() { f.run("T0 T0") })
	fmt.Fprintf(&b, "hang=%v\n", r)
	for _, e := range f.w.LockOrder() {
		fmt.Fprintf(&b, "%v\n", e)
	}
	fmt.Fprintf(&b, "cycles=%q held=%q\n", f.w.LockCycles(), f.w.Cur().Held())
	return b.String()
}

func TestDeterminism(t *testing.T) {
	first := script(newFixture(0))
	for i := 0; i < 3; i++ {
		if got := script(newFixture(0)); got != first {
			t.Fatalf("run %d differs from run 0:\n%s\nwant:\n%s", i+1, got, first)
		}
	}
	if !strings.Contains(first, "timers -> timer -> timers") {
		t.Errorf("the script's cycle is missing:\n%s", first)
	}
}

// TestWorldsIsolated checks that two Worlds share no state.
func TestWorldsIsolated(t *testing.T) {
	a, b := newFixture(0), newFixture(0)
	a.run("t0 T0")
	a.w.Advance(5)
	a.w.WakeNetPoller(1)
	if got := b.w.Cur().Held(); got != nil {
		t.Errorf("fresh World's M0 holds %q", got)
	}
	if got := b.w.LockOrder(); got != nil {
		t.Errorf("fresh World's LockOrder() = %v", got)
	}
	if b.w.Now() != 100 || b.w.TakeWakes() != nil {
		t.Errorf("fresh World: Now() = %d, wakes = %v", b.w.Now(), b.w.TakeWakes())
	}
	b.run("T0 -T0") // b's P0.timersLock is b's own
	if r := catch(func() { a.run("T0") }); r == nil {
		t.Errorf("a's P0.timersLock was released by b's unlock")
	}
}

// TestOnUnlock: the hook runs after every unlock of a mutex, when the
// lock is already free, and not for timer status locks.
func TestOnUnlock(t *testing.T) {
	f := newFixture(0)
	var got []string
	f.w.OnUnlock = func(l *Lock) {
		if l.Owner() != nil {
			t.Errorf("OnUnlock(%s): lock still held by M%d", l.Name, l.Owner().ID)
		}
		got = append(got, l.Name)
	}
	f.run("T0 t1 -t1 A -A -T0 T1 -T1")
	want := []string{"allpLock", "P0.timersLock", "P1.timersLock"}
	if !slices.Equal(got, want) {
		t.Errorf("OnUnlock calls = %q, want %q", got, want)
	}
}

// stay keeps the running M running: the least fair chooser.
type stay struct{}

func (stay) Choose(runnable []*M, cur int) int { return max(cur, 0) }

// TestSpinWaitsOnItsWord: an M in osyield after loading a locked timer's
// status runs again once that word changes, not when another word does
// (the ports' osyield loops leave only on another status).
func TestSpinWaitsOnItsWord(t *testing.T) {
	f := newFixture(0)
	f.lockTimer(1) // held by M0 before the run
	m1 := f.w.NewM()
	ms := []*M{f.w.Cur(), m1}
	c := NewConc(f.w, stay{})
	var spun, afterOther, afterOwn bool
	c.Run(ms, func(m *M) {
		if m == m1 {
			for f.status[1].Load() == stLocked {
				spun = true
				f.w.Osyield()
			}
			return
		}
		// M0 runs first (stay picks the lowest M); let M1 load and spin.
		for !m1.spinning {
			c.switchTo(m, m1)
		}
		f.counter.Store(1)
		afterOther = c.runnable(m1)
		f.unlockTimer(1)
		afterOwn = c.runnable(m1)
	})
	if !spun {
		t.Fatal("M1 never spun on t1.status")
	}
	if afterOther {
		t.Error("a store to P0.numTimers made the M spinning on t1.status runnable")
	}
	if !afterOwn {
		t.Error("unlocking t1 did not make the M spinning on t1.status runnable")
	}
}

// TestFairSlice: an M spinning on loads without osyield, under a chooser
// that never switches, still lets the M it waits for run after FairSlice
// steps without progress, as an OS would.
func TestFairSlice(t *testing.T) {
	f := newFixture(0)
	m1 := f.w.NewM()
	ms := []*M{f.w.Cur(), m1}
	c := NewConc(f.w, stay{})
	loads := 0
	c.Run(ms, func(m *M) {
		if m == ms[0] {
			for f.counter.Load() == 0 {
				loads++
				if loads > 10*FairSlice {
					t.Error("the spinning M never let the other one run")
					return
				}
			}
			return
		}
		f.counter.Store(1)
	})
	if loads < FairSlice-1 || loads > FairSlice+1 {
		t.Errorf("spun %d loads before the other M ran; want about FairSlice (%d)", loads, FairSlice)
	}
}

// Lock order in tiers: a pair against mklockrank's order is ranked only if
// staticlockranking sees both locks (a timer only inside acquireLockRank),
// and a class cycle through a timer held in no heap is an inversion but
// not a potential deadlock.
func TestLockTiers(t *testing.T) {
	f := newFixture(0)
	f.w.BeginCall(0)
	f.run("r0 T0 -T0 -t0") // the old modtimer: CAS from timerRemoved, no acquireLockRank
	f.w.BeginCall(1)
	f.run("T1 t1 -t1 -T1") // runtimer at b5a99eaa: a CAS, unranked
	f.w.BeginCall(2)
	f.run("k1 A -A -k1") // a ranked timer, then allp
	var ranked []string
	for _, e := range f.w.LockOrder() {
		ranked = append(ranked, fmt.Sprintf("%s->%s ranked=%t noheap=%t", e.From, e.To, e.Ranked, e.NoHeap))
	}
	want := []string{"timer->timers ranked=false noheap=true", "timers->timer ranked=false noheap=false", "timer->allp ranked=true noheap=false"}
	if !slices.Equal(ranked, want) {
		t.Errorf("LockOrder() = %q, want %q", ranked, want)
	}
	if got := f.w.LockCycles(); len(got) != 0 {
		t.Errorf("LockCycles() = %q, want none: the timer -> timers edge cannot wait", got)
	}
	if got := f.w.ClassCycles(); !slices.Contains(got, "timers -> timer -> timers") {
		t.Errorf("ClassCycles() = %q, want the class-level timers -> timer -> timers", got)
	}
}

// choosePanics panics at its third choice: in the handoff of the first
// M to end, as a chooser given a schedule that does not fit might.
type choosePanics struct{ n int }

func (c *choosePanics) Choose(runnable []*M, cur int) int {
	if c.n++; c.n == 3 {
		panic("choosePanics")
	}
	return 0
}

// TestRunPanicUnwinds: a panic raised while an M gives the token away
// for good (in thread's handoff, outside its recover) reaches Run's
// caller, after the Ms still suspended have been unwound without running
// any more of their body: no coroutine is left behind.
func TestRunPanicUnwinds(t *testing.T) {
	f := newFixture(0)
	ms := []*M{f.w.Cur(), f.w.NewM(), f.w.NewM()}
	c := NewConc(f.w, &choosePanics{})
	var after []int
	before := runtime.NumGoroutine()
	r := catch(func() {
		c.Run(ms, func(m *M) {
			f.counter.Store(uint32(m.ID)) // a scheduling point: the second choice
			after = append(after, m.ID)
		})
	})
	if r != "choosePanics" {
		t.Fatalf("Run panicked with %v, want the chooser's panic", r)
	}
	if !slices.Equal(after, []int{0}) {
		t.Errorf("Ms %v ran to the end of their body, want only M0 (before the panic)", after)
	}
	if n := runtime.NumGoroutine(); n != before {
		t.Errorf("%d goroutines after Run, %d before: suspended Ms left behind", n, before)
	}
}

// cutter is stay as a SpinCutter.
type cutter struct {
	stay
	cuts int
}

func (c *cutter) Cut() { c.cuts++ }

// TestSpinCut: under a SpinCutter an M that spins never runs again; the
// run is cut (Cut, and the Ms unwound) when no M can run and the word it
// waits on has changed since its load, and hangs as without a cutter
// when the word has not.
func TestSpinCut(t *testing.T) {
	for _, unlock := range []bool{true, false} {
		f := newFixture(0)
		f.lockTimer(1) // held by M0 before the run
		m1 := f.w.NewM()
		ch := &cutter{}
		c := NewConc(f.w, ch)
		var resumed bool
		var got [2]any
		c.Run([]*M{f.w.Cur(), m1}, func(m *M) {
			got[m.ID] = catch(func() {
				if m == m1 {
					for f.status[1].Load() == stLocked {
						f.w.Osyield()
						resumed = true
					}
					return
				}
				for !m1.spinning {
					c.switchTo(m, m1)
				}
				if unlock {
					f.unlockTimer(1)
					if c.runnable(m1) {
						t.Error("unlocking t1 made the cut M runnable")
					}
				}
			})
		})
		if resumed {
			t.Errorf("unlock %v: the cut M went on after osyield", unlock)
		}
		if got[0] != nil {
			t.Errorf("unlock %v: M0 ended with %v", unlock, got[0])
		}
		if unlock {
			if ch.cuts != 1 || !IsAbort(got[1]) {
				t.Errorf("the word changed: %d cuts, M1 ended with %v; want 1 cut, M1 unwound", ch.cuts, got[1])
			}
			continue
		}
		if h, ok := got[1].(*Hang); ch.cuts != 0 || !ok || h.Kind != HangSpin {
			t.Errorf("the word never changed: %d cuts, M1 ended with %v; want no cut, a spin hang", ch.cuts, got[1])
		}
	}
}

// TestRetryCut: under a SpinCutter an M whose compare-and-swap of a
// status word fails, the word having changed since its load, is cut
// when its next primitive, releasem aside, loads that word again (a
// retry), and not when it loads another word.
func TestRetryCut(t *testing.T) {
	for _, retry := range []bool{true, false} {
		f := newFixture(0)
		m1 := f.w.NewM()
		ch := &cutter{}
		c := NewConc(f.w, ch)
		var failed, reloaded bool
		var end any
		c.Run([]*M{f.w.Cur(), m1}, func(m *M) {
			if m != m1 {
				return // M0 ends at once
			}
			end = catch(func() {
				s := f.status[1].Load()
				f.status[1].Store(stModified) // as another M's modification would
				failed = !f.status[1].CompareAndSwap(s, stLocked)
				f.w.Prim("releasem")
				if retry {
					f.status[1].Load()
				} else {
					f.status[0].Load()
				}
				reloaded = true
			})
		})
		if !failed {
			t.Fatal("the compare-and-swap did not fail")
		}
		if retry && (reloaded || ch.cuts != 1 || !IsAbort(end)) {
			t.Errorf("a retry: reloaded %v, %d cuts, M1 ended with %v; want the M cut at its load, 1 cut, M1 unwound", reloaded, ch.cuts, end)
		}
		if !retry && (!reloaded || ch.cuts != 0 || end != nil) {
			t.Errorf("a load of another word: reloaded %v, %d cuts, M1 ended with %v; want no cut", reloaded, ch.cuts, end)
		}
	}
}

// TestBlockCut: under a SpinCutter an M whose lock finds the mutex held
// never runs again; the run is cut once the holder releases it and no M
// can run, and deadlocks as without a cutter when nobody releases it.
func TestBlockCut(t *testing.T) {
	for _, release := range []bool{true, false} {
		f := newFixture(0)
		m1 := f.w.NewM()
		ch := &cutter{}
		c := NewConc(f.w, ch)
		var took bool
		var end [2]any
		c.Run([]*M{f.w.Cur(), m1}, func(m *M) {
			end[m.ID] = catch(func() {
				if m == m1 {
					f.w.LockMutex(&f.timers[0])
					took = true
					return
				}
				f.w.LockMutex(&f.timers[0])
				for m1.blockedOn == nil {
					c.switchTo(m, m1)
				}
				if release {
					f.w.UnlockMutex(&f.timers[0])
				}
			})
		})
		if took {
			t.Errorf("release %v: the cut M took the lock", release)
		}
		if release {
			if ch.cuts != 1 || !IsAbort(end[1]) {
				t.Errorf("the lock was released: %d cuts, M1 ended with %v; want 1 cut, M1 unwound", ch.cuts, end[1])
			}
			continue
		}
		if h, ok := end[1].(*Hang); ch.cuts != 0 || !ok || h.Kind != HangDeadlock {
			t.Errorf("the lock was never released: %d cuts, M1 ended with %v; want no cut, a deadlock", ch.cuts, end[1])
		}
	}
}
