package minimize

import (
	"errors"
	"slices"
	"testing"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sched"
)

// resetAfterCheck is a fake concurrent failure: some thread A resets a
// timer to a when of at least 150, another thread B calls checkTimers,
// and the schedule runs B at some choice point before A at a later one.
func resetAfterCheck(p ops.ConcProgram) bool {
	has := func(i int, f func(c port.Call) bool) bool { return slices.ContainsFunc(p.Threads[i].Calls, f) }
	for a := range p.Threads {
		if !has(a, func(c port.Call) bool { return c.Kind == port.ResetTimer && c.When >= 150 }) {
			continue
		}
		for b := range p.Threads {
			if b == a || !has(b, func(c port.Call) bool { return c.Kind == port.CheckTimers }) {
				continue
			}
			if i := slices.Index(p.Schedule, b); i >= 0 && slices.Contains(p.Schedule[i+1:], a) {
				return true
			}
		}
	}
	return false
}

const concFake = `procs 3
timers 4
P0: t0.startTimer(when=200, period=0, f=fire(a0), seq=0)
advance(5)
P1: t1.startTimer(when=300, period=0, f=fire(a1), seq=0)
thread P0:
    P0: t0.stopTimer()
    P0: t0.resetTimer(when=180)
    advance(3)
thread P1:
    P1: checkTimers(P1)
    P1: t1.resetTimer(when=120)
thread P2:
    P2: checkTimers(P0)
    timeSleepUntil()
schedule M0*3 M1*2 M2*4 M0*2 M1 M2*5 M0*3
`

func TestMinimizeConcFake(t *testing.T) {
	p, err := ops.ParseConc("fake.ops", []byte(concFake))
	if err != nil {
		t.Fatal(err)
	}
	got, st, err := Conc(p, resetAfterCheck)
	if err != nil {
		t.Fatal(err)
	}
	const want = `# timerdiff script v1
procs 2
timers 1
thread P0:
    P0: t0.resetTimer(when=180)
thread P1:
    P1: checkTimers(P1)
schedule M1 M0
`
	if got.Script() != want {
		t.Errorf("Conc =\n%s\nwant\n%s", got.Script(), want)
	}
	if st.OpsBefore != 10 || st.OpsAfter != 2 || st.ThreadsBefore != 3 || st.ThreadsAfter != 2 || st.SwitchesBefore != 6 || st.SwitchesAfter != 1 {
		t.Errorf("ConcStats = %v, want 10 ops -> 2, 3 threads -> 2, 6 switches -> 1", st)
	}
	if !resetAfterCheck(got) {
		t.Fatalf("result does not fail:\n%s", got.Script())
	}
	for _, n := range ConcNeighbours(got) {
		if n.Validate() == nil && resetAfterCheck(n) {
			t.Errorf("result is not 1-minimal: neighbour still fails:\n%s", n.Script())
		}
	}
	again, _, _ := Conc(p, resetAfterCheck)
	if !again.Equal(got) {
		t.Errorf("two minimizations differ:\n%s\n%s", got.Script(), again.Script())
	}
}

// Candidates that break the API contract or name a missing M never reach
// the predicate.
func TestMinimizeConcValidates(t *testing.T) {
	p, err := ops.ParseConc("fake.ops", []byte(concFake))
	if err != nil {
		t.Fatal(err)
	}
	keep := func(q ops.ConcProgram) bool {
		if err := q.Validate(); err != nil || q.Schedule == nil {
			t.Fatalf("predicate called with an invalid program (%v):\n%s", err, q.Script())
		}
		return resetAfterCheck(q)
	}
	if _, _, err := Conc(p, keep); err != nil {
		t.Fatal(err)
	}
	p.Schedule = sched.Schedule{0, 1, 2}
	if _, _, err := Conc(p, keep); !errors.Is(err, ErrNoFailure) {
		t.Errorf("Conc(passing program) error = %v, want ErrNoFailure", err)
	}
}

func TestWithoutThread(t *testing.T) {
	p := ops.ConcProgram{Threads: make([]port.Thread, 3), Schedule: sched.Schedule{0, 1, 2, 1, 0, 2}}
	if got, want := withoutThread(p, 1).Schedule, (sched.Schedule{0, 1, 0, 1}); !slices.Equal(got, want) {
		t.Errorf("withoutThread(1).Schedule = %v, want %v", got, want)
	}
	if got := withoutThread(ops.ConcProgram{Threads: make([]port.Thread, 2), Schedule: sched.Schedule{1, 1}}, 1).Schedule; got == nil || len(got) != 0 {
		t.Errorf("withoutThread of the only scheduled M = %#v, want an empty, non-nil schedule", got)
	}
}

// TestConcPs: the Ps are renumbered in order of first use, the threads'
// calls, target Ps and the schedule's move tokens together.
func TestConcPs(t *testing.T) {
	p, err := ops.ParseConc("ps.ops", []byte(`procs 4
timers 3
P3: t2.startTimer(when=200, period=0, f=fire(a2), seq=0)
thread P2:
    P2: t2.resetTimer(when=150)
thread P1:
    P1: checkTimers(P3)
schedule M0 P1 M1 M0
`))
	if err != nil {
		t.Fatal(err)
	}
	q, ok := concPs(p)
	if !ok {
		t.Fatal("concPs does not apply")
	}
	q = concTimers(q)
	const want = `# timerdiff script v1
procs 4
timers 1
P0: t0.startTimer(when=200, period=0, f=fire(a0), seq=0)
thread P1:
    P1: t0.resetTimer(when=150)
thread P2:
    P2: checkTimers(P0)
schedule M0 P2 M1 M0
`
	if q.Script() != want {
		t.Errorf("renumbered:\n%s\nwant\n%s", q.Script(), want)
	}
	if err := q.Validate(); err != nil {
		t.Error(err)
	}
	if got := concCutPs(q).Procs; got != 3 {
		t.Errorf("concCutPs: procs %d, want 3", got)
	}
}
