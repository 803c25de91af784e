package explore

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

// corpusPrograms reads every script of corpus/concurrent and
// corpus/findings.
func corpusPrograms(t *testing.T) map[string]ops.ConcProgram {
	t.Helper()
	progs := map[string]ops.ConcProgram{}
	for _, dir := range []string{"../../corpus/concurrent", "../../corpus/findings"} {
		paths, err := corpus.ConcPaths(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			p, _, err := ops.ReadConcFile(path)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			progs[filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path)] = p
		}
	}
	if len(progs) == 0 {
		t.Fatal("no corpus programs")
	}
	return progs
}

// classes are the oracle classes (kinds) of a Result's findings.
func classes(r *Result) []string {
	var ks []string
	for _, f := range r.Findings {
		if k := string(f.Kind); !slices.Contains(ks, k) {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

// sameReach fails unless red reaches exactly full's outcomes and oracle
// classes: a reduction that loses one is wrong.
func sameReach(t *testing.T, what string, full, red *Result) {
	t.Helper()
	if d := cmp.Diff(keys(full), keys(red)); d != "" {
		t.Errorf("%s: outcomes without -want and with +got the reduction:\n%s", what, d)
	}
	if d := cmp.Diff(classes(full), classes(red)); d != "" {
		t.Errorf("%s: oracle classes without -want and with +got the reduction:\n%s", what, d)
	}
	if red.Schedules > full.Schedules {
		t.Errorf("%s: %d schedules with the reduction, %d without", what, red.Schedules, full.Schedules)
	}
}

// unboundedCap is the most schedules the unbounded search without
// reduction may take for a program to be compared in that mode: what
// runs in a few seconds.
const unboundedCap = 300

// tinyCap is that cap for testdata's small programs.
const tinyCap = 40000

// The reduction of the unbounded mode (rules 7 and 8 of the package doc)
// loses nothing: every program of the corpus and of testdata whose
// search without reduction completes within unboundedCap (tinyCap)
// schedules reaches the same outcomes and oracle classes with it, on
// both versions, and it prunes.
func TestUnboundedReductionSound(t *testing.T) {
	if testing.Short() {
		t.Skip("whole searches")
	}
	progs := corpusPrograms(t)
	for _, name := range []string{"two_stops.ops", "stop_vs_check.ops", "start_vs_check.ops"} {
		progs["testdata/"+name] = read(t, name)
	}
	compared, pruned := 0, 0
	for name, p := range progs {
		limit := unboundedCap
		if strings.HasPrefix(name, "testdata/") {
			limit = tinyCap
		}
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			full := explorep(t, impl, p, Options{Bound: -1, NoReduction: true, Max: limit})
			if !full.Complete {
				t.Logf("%s %s: more than %d schedules without reduction: not compared", name, impl.Name(), limit)
				continue
			}
			red := explorep(t, impl, p, Options{Bound: -1})
			if !red.Complete {
				t.Errorf("%s %s: the reduced unbounded search is not complete", name, impl.Name())
			}
			sameReach(t, name+" "+impl.Name()+" unbounded", full, red)
			t.Logf("%s %s: %d schedules without reduction, %d with (%d alternatives pruned, %d asleep)", name, impl.Name(), full.Schedules, red.Schedules, red.Pruned, red.Slept)
			compared++
			pruned += red.Pruned
		}
	}
	if compared < 6 || pruned == 0 {
		t.Errorf("only %d searches compared, %d alternatives pruned: the test shows nothing", compared, pruned)
	}
}
