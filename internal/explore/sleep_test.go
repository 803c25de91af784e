package explore

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
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

// compareWhole explores p on impl with whole (capped at limit) and, if
// that search ends, with red, and fails unless red ends and reaches the
// same outcomes and oracle classes (sameReach). It returns both results,
// or nil when the whole search did not end (logged: not compared).
func compareWhole(t *testing.T, name string, impl port.Impl, p ops.ConcProgram, whole, red Options, limit int) (*Result, *Result) {
	t.Helper()
	whole.Max = limit
	w := explorep(t, impl, p, whole)
	if !w.Complete {
		t.Logf("%s %s: more than %d schedules with %+v: not compared", name, impl.Name(), limit, whole)
		return nil, nil
	}
	r := explorep(t, impl, p, red)
	if !r.Complete {
		t.Errorf("%s %s: the search with %+v is not complete", name, impl.Name(), red)
	}
	sameReach(t, name+" "+impl.Name(), w, r)
	if r.Escaped > 0 {
		t.Errorf("%s %s: %d outcomes or findings escaped the reduction with %+v (rule 10)", name, impl.Name(), r.Escaped, red)
	}
	return w, r
}

// coverage checks that random runs reach no outcome or oracle class
// that red, a complete search, misses: each call of the function it
// returns checks one run (label names it in a failure) and returns the
// run's outcome key.
func coverage(t *testing.T, what string, red *Result) func(tr *run.ConcTrace, label string) string {
	reached := map[string]bool{}
	for _, k := range keys(red) {
		reached[k] = true
	}
	shown := map[string]bool{}
	for _, c := range classes(red) {
		shown[c] = true
	}
	return func(tr *run.ConcTrace, label string) string {
		t.Helper()
		if tr.Err != "" {
			t.Fatalf("%s: %s", what, tr.Err)
		}
		o := abstract(tr)
		k := o.Key()
		if !reached[k] {
			t.Errorf("%s: %s reaches an outcome the reduced search does not:\n%s", what, label, k)
			reached[k] = true // once
		}
		for _, pr := range oracle.Of(tr) {
			if c := string(pr.Kind); !shown[c] {
				t.Errorf("%s: %s shows an oracle class the reduced search does not: %s", what, label, c)
				shown[c] = true
			}
		}
		return k
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
			full, red := compareWhole(t, name, impl, p, Options{Bound: -1, NoReduction: true}, Options{Bound: -1}, limit)
			if full == nil {
				continue
			}
			t.Logf("%s %s: %d schedules without reduction, %d with (%d alternatives pruned, %d asleep)", name, impl.Name(), full.Schedules, red.Schedules, red.Pruned, red.Slept)
			compared++
			pruned += red.Pruned
		}
	}
	if compared < 6 || pruned == 0 {
		t.Errorf("only %d searches compared, %d alternatives pruned: the test shows nothing", compared, pruned)
	}
}

// The reduction loses nothing on the corpus programs too large to compare
// whole (TestUnboundedReductionSound): on every corpus and findings
// script whose reduced unbounded search ends within coverCap schedules,
// every outcome and oracle class that pctRuns random schedules reach
// (PCT, depths 1 to 4: a chooser that offers no preemption at a safe
// point and lets every rescue happen, so each is a schedule of the
// unbounded search with no moves) is among those the reduced search
// reaches, on both versions. A footprint that leaves out plain state a
// step touches lets the reduction skip an order of two steps that
// matters; random schedules try such orders anywhere in a run.
func TestUnboundedReductionCoversCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("whole searches")
	}
	coverCap, pctRuns, least := 30000, 2000, 16
	if raceEnabled {
		coverCap, pctRuns, least = 1000, 200, 4
	}
	checked, sampled := 0, 0
	for name, p := range corpusPrograms(t) {
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			red := explorep(t, impl, p, Options{Bound: -1, Max: coverCap})
			if !red.Complete {
				t.Logf("%s %s: more than %d schedules with the reduction: not checked", name, impl.Name(), coverCap)
				continue
			}
			what := name + " " + impl.Name()
			check := coverage(t, what, red)
			seen := map[string]bool{}
			for i := range pctRuns {
				ch := &sched.PCT{Seed: uint64(i), Depth: 1 + i%4}
				tr := run.Concurrent(impl, p.Config(), p.Ops, p.Threads, ch, false)
				seen[check(&tr, fmt.Sprintf("PCT seed %d depth %d", i, 1+i%4))] = true
			}
			t.Logf("%s: %d schedules with the reduction (complete), %d outcomes; %d PCT runs reach %d of them", what, red.Schedules, len(red.Outcomes), pctRuns, len(seen))
			checked++
			sampled += len(seen)
		}
	}
	if checked < least {
		t.Errorf("only %d searches checked (%d outcomes sampled): the test shows little", checked, sampled)
	}
}
