package explore

import (
	"fmt"
	"testing"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/internal/sim/atomic"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

// stepOrder is a Chooser that runs, at each choice point, the M whose
// step comes next in order (by the steps ended so far), and counts the
// points where that M could not run.
type stepOrder struct {
	order  []int
	steps  *sim.Steps
	missed int
}

func (o *stepOrder) TrackSteps() *sim.Steps { return o.steps }

func (o *stepOrder) Choose(runnable []*sim.M, cur int) int {
	if k := len(o.steps.Done); k < len(o.order) {
		for i, m := range runnable {
			if m.ID == o.order[k] {
				return i
			}
		}
		o.missed++
	}
	return max(cur, 0)
}

func runSteps(impl port.Impl, p ops.ConcProgram, order []int) (key string, steps []sim.Footprint, missed int) {
	ch := &stepOrder{order: order, steps: &sim.Steps{}}
	tr := run.Concurrent(impl, p.Config(), p.Ops, p.Threads, ch, false)
	o := abstract(&tr)
	return o.Key(), ch.steps.Done, ch.missed
}

// Rule 7's claim, tried on random runs of every corpus program: where a
// run switches from one M to another and the two steps there are
// independent, the run with those two steps swapped is a run too (the
// second step's M could run before the first: independent steps do not
// enable each other) and reaches the same Outcome. A relation that
// misses a dependence, such as a spinning M's next step on the write
// that let it go on, fails here.
func TestIndependentStepsCommute(t *testing.T) {
	runs := 150
	if raceEnabled {
		runs = 15
	}
	swaps, skipped := 0, 0
	for name, p := range corpusPrograms(t) {
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			bad := 0
			for seed := range runs {
				ch := &sched.PCT{Seed: uint64(seed), Depth: 1 + seed%4}
				tr := run.Concurrent(impl, p.Config(), p.Ops, p.Threads, ch, false)
				// The run's steps: its schedule replayed (every spin
				// goes on: no SpinCutter, rule 9).
				g := &guided{prefix: tr.Choices, left: -1, steps: &sim.Steps{}}
				run.Concurrent(impl, p.Config(), p.Ops, p.Threads, stayingGuided{g}, false)
				if g.left >= 0 {
					t.Fatalf("%s %s, PCT seed %d: the schedule does not replay", name, impl.Name(), seed)
				}
				steps := g.steps.Done
				order := make([]int, len(steps))
				for i := range steps {
					order[i] = steps[i].M
				}
				key, steps, missed := runSteps(impl, p, order)
				if missed > 0 {
					// A run whose order is not all in its steps (a
					// spawned scheduler M, a FairSlice switch) is left
					// out.
					skipped++
					continue
				}
				for i := 0; i+1 < len(steps) && bad < 3; i++ {
					a, b := &steps[i], &steps[i+1]
					if a.M == b.M || a.Dependent(b) {
						continue
					}
					swaps++
					swapped := append([]int(nil), order...)
					swapped[i], swapped[i+1] = swapped[i+1], swapped[i]
					k, _, missed := runSteps(impl, p, swapped)
					switch {
					case missed > 0:
						t.Errorf("%s %s, PCT seed %d depth %d: steps %d (%s) and %d (%s) are independent, but M%d cannot run before the first", name, impl.Name(), seed, 1+seed%4, i, describe(a), i+1, describe(b), b.M)
						bad++
					case k != key:
						t.Errorf("%s %s, PCT seed %d depth %d: steps %d (%s) and %d (%s) are independent, but swapping them changes the outcome", name, impl.Name(), seed, 1+seed%4, i, describe(a), i+1, describe(b))
						bad++
					}
				}
			}
		}
	}
	t.Logf("%d swaps tried; %d runs did not replay by their steps", swaps, skipped)
	if swaps < 100 {
		t.Errorf("only %d swaps tried: the test shows little", swaps)
	}
}

func describe(f *sim.Footprint) string {
	s := fmt.Sprintf("M%d", f.M)
	for _, x := range f.Reads {
		s += " reads " + locName(x)
	}
	for _, x := range f.Writes {
		s += " writes " + locName(x)
	}
	return s
}

func locName(x any) string {
	switch x := x.(type) {
	case *atomic.Word:
		return x.Name
	case *sim.Lock:
		return x.Name
	}
	return fmt.Sprintf("%T", x)
}
