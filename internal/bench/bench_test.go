package bench

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/explore"
	"github.com/timerdiff/timerdiff/internal/mutants"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/versions"
	"github.com/timerdiff/timerdiff/newimpl"
)

// Every case's edits apply to newimpl/time.go and its program is valid.
func TestCasesApply(t *testing.T) {
	root, err := mutants.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, c := range Cases {
		if names[c.Name] {
			t.Errorf("two cases named %s", c.Name)
		}
		names[c.Name] = true
		if _, err := c.Source(root); err != nil {
			t.Error(err)
		}
		p, err := c.Parse()
		if err != nil {
			t.Error(err)
			continue
		}
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		if _, err := versions.Lookup(c.Fixed); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
}

// The old version (b5a99eaa) never shows a case's symptom, and the fixed
// counterparts show nothing at all, not only not the symptom:
// no problem of any oracle in any schedule up to 2 preemptions, but the
// upstream properties that the old version (b5a99eaa) shows on the same
// program too (README "What it finds": adjusttimers leaves numTimers). And
// the real case (2fb5ef88 itself) shows its symptom there.
func TestFixedShowNothing(t *testing.T) {
	old, _ := versions.Lookup("b5a99eaa")
	for _, c := range Cases {
		p, err := c.Parse()
		if err != nil {
			t.Fatal(err)
		}
		shared := map[string]bool{}
		oldShows := false
		if _, err := explore.Explore(old.Impl, p.Config(), p.Ops, p.Threads, explore.Options{Bound: 2, Max: 20000,
			Visit: func(tr *run.ConcTrace) {
				for _, pr := range oracle.Of(tr) {
					shared[pr.Key()] = true
				}
				oldShows = oldShows || c.Shows(tr)
			}}); err != nil {
			t.Fatal(err)
		}
		if oldShows {
			t.Errorf("%s: the old version b5a99eaa shows the symptom too: it is no bug of the case", c.Name)
		}
		fixed, _ := versions.Lookup(c.Fixed)
		seen := map[string]bool{}
		res, err := explore.Explore(fixed.Impl, p.Config(), p.Ops, p.Threads, explore.Options{Bound: 2, Max: 20000,
			Visit: func(tr *run.ConcTrace) {
				for _, pr := range oracle.Of(tr) {
					if shared[pr.Key()] {
						if !seen[pr.Text] {
							seen[pr.Text] = true
							t.Logf("%s: %s shows an upstream property the old version shows too: %s", c.Name, fixed.Short, pr.Text)
						}
						continue
					}
					if !seen[pr.Text] {
						seen[pr.Text] = true
						t.Errorf("%s: the fixed counterpart %s shows %s: %s", c.Name, fixed.Short, pr.Kind, pr.Text)
					}
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Complete {
			t.Errorf("%s: exploring %s at bound 2 was cut at %d schedules", c.Name, fixed.Short, res.Schedules)
		}
		if c.Real() {
			found := false
			_, err := explore.Explore(newimpl.Impl, p.Config(), p.Ops, p.Threads, explore.Options{Bound: 2, Max: 20000,
				Visit: func(tr *run.ConcTrace) { found = found || c.Shows(tr) }})
			if err != nil || !found {
				t.Errorf("%s: 2fb5ef88 does not show %s at bound 2 (%v)", c.Name, c.Symptom, err)
			}
		}
	}
}

// The bench itself, small: every case detected by some strategy within
// 60 schedules per trial, and no fixed counterpart showing its symptom
// (benchworker -check). It builds the worker with the buggy versions.
func TestBenchSmall(t *testing.T) {
	root, err := mutants.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := Build(root, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-check", "-q", "-trials", "2", "-budget", "60").CombinedOutput()
	if err != nil {
		t.Fatalf("benchworker -check: %v\n%s", err, out)
	}
	for _, c := range Cases {
		if !strings.Contains(string(out), c.Name) {
			t.Errorf("the table has no row for %s:\n%s", c.Name, out)
		}
	}
	t.Logf("\n%s", out)
}
