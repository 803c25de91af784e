package explore

import (
	"fmt"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

// Rule 9 loses nothing: on every corpus and findings program whose
// reduced unbounded search without the spin cut ends within cutCap
// schedules, the search with it reaches the same outcomes and oracle
// classes, on both versions, and it cuts.
func TestSpinCutSound(t *testing.T) {
	if testing.Short() {
		t.Skip("whole searches")
	}
	cutCap, least := 30000, 16
	if raceEnabled {
		cutCap, least = 2000, 4
	}
	compared, cut := 0, 0
	for name, p := range corpusPrograms(t) {
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			whole, red := compareWhole(t, name, impl, p, Options{Bound: -1, NoSpinCut: true}, Options{Bound: -1}, cutCap)
			if whole == nil {
				continue
			}
			t.Logf("%s %s: %d schedules without the cut, %d with (%d runs cut)", name, impl.Name(), whole.Schedules, red.Schedules, red.Cut)
			compared++
			cut += red.Cut
		}
	}
	if compared < least || cut == 0 {
		t.Errorf("only %d searches compared, %d runs cut: the test shows little", compared, cut)
	}
}

// Rule 9's premise, on random runs of every corpus program: every
// osyield of the ported time.go ends a loop iteration that did nothing
// but load one word (the M's last primitive before osyield is that
// load), and the M's first primitive after it goes on is a load of the
// same word. So an iteration that spun wrote nothing, and the M is where
// it was before it: the runs that rule 9 cuts add nothing.
func TestSpinIterationsOnlyLoad(t *testing.T) {
	runs, least := 400, 100
	if raceEnabled {
		runs, least = 40, 20
	}
	spins := 0
	for name, p := range corpusPrograms(t) {
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			for seed := range runs {
				ch := &sched.PCT{Seed: uint64(seed), Depth: 1 + seed%4}
				tr := run.Concurrent(impl, p.Config(), p.Ops, p.Threads, ch, true)
				evs := tr.Events
				for i, ev := range evs {
					if ev.What != "osyield" {
						continue
					}
					spins++
					// The M's primitives around the osyield; the
					// scheduler's switches, and other Ms, between.
					prev, next := "", ""
					for k := i - 1; k >= 0 && prev == ""; k-- {
						if evs[k].M == ev.M && !strings.HasPrefix(evs[k].What, "switch ") {
							prev = evs[k].What
						}
					}
					for k := i + 1; k < len(evs) && next == ""; k++ {
						if evs[k].M == ev.M && !strings.HasPrefix(evs[k].What, "switch ") {
							next = evs[k].What
						}
					}
					word, ok := strings.CutSuffix(prev, ".Load")
					if !ok || next != "" && next != prev {
						t.Errorf("%s %s, PCT seed %d depth %d: M%d %q, osyield, %q: not a loop that only loads %s", name, impl.Name(), seed, 1+seed%4, ev.M, prev, next, word)
					}
				}
			}
		}
	}
	t.Logf("%d osyields", spins)
	if spins < least {
		t.Errorf("only %d osyields seen: the test shows little", spins)
	}
}

// The reduction loses nothing with a move allowed either (a preemption
// of a goroutine at a safe point: Options.Moves 1), where the offers at
// safe points are global steps only when their options depend on other
// Ms (an idle P to move to, a stop of the world). The unreduced search
// with a move ends on none of the corpus programs within 20,000
// schedules, so the check is by random schedules: on every corpus and
// findings program whose reduced search with one move ends within
// movesCap schedules, every outcome and oracle class that pctRuns PCT
// runs with random moves (sched.Moves) reach with at most one move is
// among those the search reaches, on both versions.
func TestMovesReductionCoversCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("whole searches")
	}
	movesCap, pctRuns, least := 5000, 1000, 12
	if raceEnabled {
		movesCap, pctRuns, least = 1000, 100, 4
	}
	checked, withMove := 0, 0
	for name, p := range corpusPrograms(t) {
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			red := explorep(t, impl, p, Options{Bound: -1, Moves: 1, Max: movesCap})
			if !red.Complete {
				t.Logf("%s %s: more than %d schedules with a move: not checked", name, impl.Name(), movesCap)
				continue
			}
			what := name + " " + impl.Name() + " one move"
			check := coverage(t, what, red)
			for i := range pctRuns {
				ch := &sched.Moves{Chooser: &sched.PCT{Seed: uint64(i), Depth: 1 + i%4}, Seed: uint64(i), Prob: 1.0 / 8}
				tr := run.Concurrent(impl, p.Config(), p.Ops, p.Threads, ch, false)
				moves := 0
				for _, c := range tr.Choices {
					if c >= sim.MigrateMark {
						moves++
					}
				}
				if moves > 1 {
					continue
				}
				withMove += moves
				check(&tr, fmt.Sprintf("PCT seed %d with %d moves", i, moves))
			}
			t.Logf("%s: %d schedules with the reduction (complete), %d outcomes", what, red.Schedules, len(red.Outcomes))
			checked++
		}
	}
	if checked < least || withMove == 0 {
		t.Errorf("only %d searches checked, %d random runs with a move: the test shows little", checked, withMove)
	}
}
