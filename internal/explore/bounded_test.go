package explore

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

// The bounded search without BoundedSleep, which presumes nothing (rule
// 3), is an independent reference for the reduced unbounded one (rules 7
// to 9): a schedule with at most b preemptions of which m are moves is a
// schedule of the unbounded mode with Moves m, so every outcome and
// oracle class it reaches must be among those of the reduced search with
// Moves m, when that search ends. On every corpus and findings program,
// at bounds 1 to 3 (each bounded search capped at boundedCap schedules:
// what it visits is a set of real schedules either way), on both
// versions, for m = 0 where the reduced search ends within reducedCap
// schedules and, where the reduced search with one move ends within
// movesCap schedules, m = 1. Unlike the comparisons with the unreduced
// unbounded search (TestUnboundedReductionSound, TestSpinCutSound), which
// end only on small programs, this one reaches the corpus's large
// programs, exhaustively up to the bound; unlike the random runs of the
// coverage tests, it tries every placement of a few preemptions. (Rule
// 10's check does the same at bound 1 on every reduced search, for the
// version under test; this test goes to bound 3 on the ports.)
func TestBoundedWithinReduced(t *testing.T) {
	if testing.Short() {
		t.Skip("whole searches")
	}
	maxBound, boundedCap, reducedCap, movesCap, least := 3, 20000, 30000, 5000, 80
	if raceEnabled {
		maxBound, boundedCap, reducedCap, movesCap, least = 2, 500, 1000, 0, 40
	}
	checks, schedules, withMove := 0, 0, 0
	for name, p := range corpusPrograms(t) {
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			// reduced[m] is the reduced search with Moves m, if it ended.
			var reduced [2]*Result
			reduced[0] = explorep(t, impl, p, Options{Bound: -1, Max: reducedCap})
			if !reduced[0].Complete {
				t.Logf("%s %s: more than %d schedules with the reduction: not checked", name, impl.Name(), reducedCap)
				continue
			}
			if reduced[0].Escaped > 0 {
				t.Errorf("%s %s: %d outcomes or findings escaped the reduction (rule 10)", name, impl.Name(), reduced[0].Escaped)
			}
			if movesCap > 0 {
				if r := explorep(t, impl, p, Options{Bound: -1, Moves: 1, Max: movesCap}); r.Complete {
					reduced[1] = r
				}
			}
			var check [2]func(*run.ConcTrace, string) string
			for m, r := range reduced {
				if r != nil {
					check[m] = coverage(t, fmt.Sprintf("%s %s with %d moves", name, impl.Name(), m), r)
				}
			}
			for b := 1; b <= maxBound; b++ {
				var checked [2]int
				opt := Options{Bound: b, Max: boundedCap, Visit: func(tr *run.ConcTrace) {
					m := movesOf(tr)
					if m >= len(check) || check[m] == nil {
						return
					}
					check[m](tr, fmt.Sprintf("bound %d %s", b, sched.Schedule(tr.Choices).Line()))
					checked[m]++
				}}
				r := explorep(t, impl, p, opt)
				t.Logf("%s %s bound %d: %d schedules (complete: %v); checked %d with no move against %d reduced, %d with one against %d", name, impl.Name(), b, r.Schedules, r.Complete, checked[0], reduced[0].Schedules, checked[1], schedulesOf(reduced[1]))
				checks++
				schedules += checked[0] + checked[1]
				withMove += checked[1]
			}
		}
	}
	if checks < least || schedules == 0 || movesCap > 0 && withMove == 0 {
		t.Errorf("%d bounded searches checked, %d schedules, %d with a move: the test shows little", checks, schedules, withMove)
	}
}

func schedulesOf(r *Result) int {
	if r == nil {
		return 0
	}
	return r.Schedules
}

// Rule 3's sleep sets keep the bound and lose nothing: on every corpus
// and findings program whose bounded search ends within boundedCap
// schedules, at bounds 1 to 3, both versions, the search with
// BoundedSleep reaches the same outcomes and oracle classes as the one
// without, in no more schedules, and the sets skip some.
func TestBoundedSleepSound(t *testing.T) {
	if testing.Short() {
		t.Skip("whole searches")
	}
	maxBound, boundedCap, least := 3, 30000, 80
	if raceEnabled {
		maxBound, boundedCap, least = 2, 1000, 30
	}
	compared, slept := 0, 0
	for name, p := range corpusPrograms(t) {
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			for b := 1; b <= maxBound; b++ {
				what := fmt.Sprintf("%s bound %d", name, b)
				_, red := compareWhole(t, what, impl, p, Options{Bound: b}, Options{Bound: b, BoundedSleep: true}, boundedCap)
				if red == nil {
					continue
				}
				compared++
				slept += red.Slept
			}
		}
	}
	if compared < least || slept == 0 {
		t.Errorf("only %d searches compared, %d alternatives asleep: the test shows little", compared, slept)
	}
}

// Rule 10's check adds what a reduced search missed: a search whose
// result lost every outcome and finding gets back exactly those of the
// check's schedules (the unreduced bound-1 ones with no move for the
// unbounded mode; every unreduced bound-2 one for BoundedSleep at bound
// 3), counted as escaped, and is no longer complete; an intact one gets
// nothing.
func TestCrossCheck(t *testing.T) {
	p, _, err := ops.ReadConcFile("../../corpus/concurrent/modtimer_nextwhen_under_lock.ops")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		search       Options
		check, moves int
	}{
		{Options{Bound: -1}, 1, 0},
		{Options{Bound: 3, BoundedSleep: true}, 2, 2},
	} {
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			what := fmt.Sprintf("%s %+v", impl.Name(), tc.search)
			want := map[string]bool{}
			explorep(t, impl, p, Options{Bound: tc.check, Visit: func(tr *run.ConcTrace) {
				if movesOf(tr) <= tc.moves {
					o := abstract(tr)
					want["outcome "+o.Key()] = true
					for _, f := range oracle.Of(tr) {
						want["finding "+findingKey(f)] = true
					}
				}
			}})
			e := newExplorer(impl, p.Config(), p.Ops, p.Threads, tc.search, nil)
			if err := e.search(); err != nil {
				t.Fatal(err)
			}
			if err := e.crossCheck(); err != nil {
				t.Fatal(err)
			}
			if e.res.Escaped != 0 || !e.res.Complete {
				t.Errorf("%s: the check of an intact search: %d escaped, complete %v", what, e.res.Escaped, e.res.Complete)
			}
			e.res.Outcomes, e.res.Findings = nil, nil
			if err := e.crossCheck(); err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, o := range e.res.Outcomes {
				got["outcome "+o.Outcome.Key()] = true
			}
			for _, f := range e.res.Findings {
				got["finding "+findingKey(f.Problem)] = true
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s: what the check added (-want +got):\n%s", what, d)
			}
			if e.res.Escaped != len(want) || e.res.Complete {
				t.Errorf("%s: %d escaped (want %d), complete %v", what, e.res.Escaped, len(want), e.res.Complete)
			}
		}
	}
}
