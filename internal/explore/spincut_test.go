package explore

import (
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
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
			whole := explorep(t, impl, p, Options{Bound: -1, NoSpinCut: true, Max: cutCap})
			if !whole.Complete {
				t.Logf("%s %s: more than %d schedules without the cut: not compared", name, impl.Name(), cutCap)
				continue
			}
			red := explorep(t, impl, p, Options{Bound: -1})
			if !red.Complete {
				t.Errorf("%s %s: the search with the cut is not complete", name, impl.Name())
			}
			sameReach(t, name+" "+impl.Name()+" spin cut", whole, red)
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
