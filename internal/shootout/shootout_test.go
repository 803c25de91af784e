package shootout

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/newimpl"
)

// demoProgram is the concurrent corpus program of the demonstration.
const demoProgram = "../../corpus/concurrent/modtimer_removed_vs_steal.ops"

func readDemo(t *testing.T) ops.ConcProgram {
	t.Helper()
	p, _, err := ops.ReadConcFile(demoProgram)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Toy symptoms, not bugs: they show the harness at work.
var (
	preempted = func(tr *run.ConcTrace) bool { return tr.Preemptions >= 1 }
	// Three preemptions: more than PCT of depth 3 places (though an M
	// that unblocks can take the token from a lower-priority one).
	preempted3 = func(tr *run.ConcTrace) bool { return tr.Preemptions >= 3 }
	// M1's first steal runs t0, which M0's modtimer adds to P0 during
	// the run: an ordering of the two threads' calls, not a count.
	stealsT0 = func(tr *run.ConcTrace) bool {
		if len(tr.Threads) < 2 || len(tr.Threads[1]) == 0 {
			return false
		}
		return slices.ContainsFunc(tr.Threads[1][0].Out.Fires, func(f port.Fire) bool { return f.What == "fire(a0)" })
	}
)

// The demonstration: every standard strategy on two toy symptoms of one
// corpus program, run on the new version. It prints the table.
func TestShootoutDemo(t *testing.T) {
	p := readDemo(t)
	name := strings.TrimSuffix(filepath.Base(demoProgram), ".ops")
	cases := []Case{
		ConcCase(name+": preempted", newimpl.Impl, p, preempted),
		ConcCase(name+": 3 preemptions", newimpl.Impl, p, preempted3),
		ConcCase(name+": M1's first steal runs t0", newimpl.Impl, p, stealsT0),
	}
	const trials, budget = 8, 100
	var rs []Result
	for _, c := range cases {
		for _, s := range Standard() {
			r := Run(c, s, trials, budget)
			rs = append(rs, r)
			for i, tr := range r.Trials {
				if tr.Schedules < 1 || tr.Schedules > budget || !tr.Found && tr.Schedules != budget {
					t.Errorf("%s, %s, trial %d: %+v out of bounds", c.Name, s.Name, i, tr)
				}
				// The seed reproduces the detecting schedule.
				if tr.Found && !c.Detect(s.New(tr.Seed, c.Hint)) {
					t.Errorf("%s, %s, trial %d: seed %#x did not detect again", c.Name, s.Name, i, tr.Seed)
				}
			}
		}
	}
	var b strings.Builder
	if err := Table(&b, rs); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d trials, budget %d schedules each, new version:\n%s", trials, budget, b.String())
	// Preempting once is easy for every strategy that preempts at all.
	for _, r := range rs[:len(Standard())] {
		if r.Strategy != "pct-d1" && r.Found() != trials {
			t.Errorf("%s under %s: found in %d of %d trials, want all", r.Case, r.Strategy, r.Found(), trials)
		}
	}
}

// Found and Schedules depend only on the seeds: two runs agree.
func TestRunDeterministic(t *testing.T) {
	c := ConcCase("demo", newimpl.Impl, readDemo(t), stealsT0)
	for _, s := range Standard() {
		a, b := Run(c, s, 3, 30), Run(c, s, 3, 30)
		for i := range a.Trials {
			x, y := a.Trials[i], b.Trials[i]
			if x.Found != y.Found || x.Schedules != y.Schedules || x.Seed != y.Seed {
				t.Errorf("%s trial %d: %+v then %+v", s.Name, i, x, y)
			}
		}
	}
}

func TestRunBudgetAndTable(t *testing.T) {
	calls := 0
	never := Case{Name: "never", Detect: func(sim.Chooser) bool { calls++; return false }}
	always := Case{Name: "always", Detect: func(sim.Chooser) bool { return true }}
	s := Standard()[0]
	r := Run(never, s, 3, 7)
	if calls != 21 || r.Found() != 0 || len(r.Trials) != 3 {
		t.Fatalf("never: %d detector calls, %d found, %d trials; want 21, 0, 3", calls, r.Found(), len(r.Trials))
	}
	for _, tr := range r.Trials {
		if tr.Schedules != 7 {
			t.Errorf("never: a trial ran %d schedules, want the budget 7", tr.Schedules)
		}
	}
	if _, ok := r.Median(); ok {
		t.Errorf("never: a median detection")
	}
	a := Run(always, s, 2, 7)
	if n, ok := a.Median(); !ok || n != 1 || a.Trials[1].Seed != Seed(1, 0) {
		t.Errorf("always: median %d (%t), trial 1 seed %#x; want 1 and Seed(1, 0)", n, ok, a.Trials[1].Seed)
	}
	// Misses count as worse than any find: 1 of 3 found is a miss.
	m := Result{Budget: 50, Trials: []Trial{{Found: true, Schedules: 3}, {Schedules: 50}, {Schedules: 50}}}
	if _, ok := m.Median(); ok {
		t.Errorf("1 of 3 found: the median is a find")
	}
	m.Trials[1] = Trial{Found: true, Schedules: 40}
	if n, ok := m.Median(); !ok || n != 40 {
		t.Errorf("2 of 3 found (3, 40): median %d (%t), want 40", n, ok)
	}
	var b strings.Builder
	Table(&b, []Result{r, a})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "0/3") || !strings.Contains(lines[1], "> 7") || !strings.Contains(lines[2], "2/2") {
		t.Errorf("table:\n%s", b.String())
	}
}

// The hook for exhaustive search: one trial, given the whole case.
func TestExhaustiveHook(t *testing.T) {
	p := readDemo(t)
	c := ConcCase("demo", newimpl.Impl, p, preempted)
	var got []int
	s := Strategy{Name: "explore", Exhaustive: func(c Case, budget int) Trial {
		got = append(got, budget, len(c.Program.Threads))
		return Trial{Found: true, Schedules: 5}
	}}
	r := Run(c, s, 10, 99)
	if !slices.Equal(got, []int{99, len(p.Threads)}) || len(r.Trials) != 1 || r.Found() != 1 {
		t.Errorf("the exhaustive hook was called with %v and gave %d trials", got, len(r.Trials))
	}
	if want := []int{2, 2}; !slices.Equal(c.Hint.Calls, want) {
		t.Errorf("Hint.Calls = %v, want %v", c.Hint.Calls, want)
	}
}

func TestSeed(t *testing.T) {
	seen := map[uint64]bool{}
	for tr := range 4 {
		for i := range 1000 {
			seen[Seed(tr, i)] = true
		}
	}
	if len(seen) != 4000 {
		t.Errorf("%d distinct seeds of 4000", len(seen))
	}
}
