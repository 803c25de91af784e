package regress

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/explore"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/series/vc6888d92"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// findingsWant says, for every finding, the kinds of problem the new
// version shows under the file's schedule.
var findingsWant = map[string][]oracle.Kind{
	"modtimer_adds_to_idle_p.ops":            {oracle.IdleAdd, oracle.Unnoticed},
	"modtimer_preempted_to_idle_p_steal.ops": {oracle.IdleAdd},
	"modtimer_adds_to_destroyed_p.ops":       {oracle.DeadAdd},
}

// findingsCause is the signature's sites of every finding's problems: the
// add in the new modtimer after t.unlock (newimpl/time.go: doaddtimer
// after lock(&pp.timersLock)), by a goroutine moved at the prologue of
// that lock.
var findingsCause = struct{ where, move sim.Site }{
	where: sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 369, Call: "doaddtimer"},
	move:  sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 368, Call: "lock"},
}

// TestFindings pins every documented difference between the real old and
// new versions, and upstream's fix as the ground truth:
//   - under the file's schedule the new version (2fb5ef88) shows the
//     problems findingsWant lists, and the old version none of them;
//   - exploring every schedule up to bound 1, the new version reaches
//     outcomes the old one does not, and the old version never has a timer
//     on an idle P or an unnoticed one;
//   - with upstream's fix (c6888d92) as the new version, the same
//     exploration finds nothing: no divergence, no problem.
//
// If a change to the ports or the model makes a finding disappear, or the
// fixed code show one, this fails, and the README's explanation must be
// revisited.
func TestFindings(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(findingsDir, "*.ops"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no findings under %s (%v)", findingsDir, err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			want, ok := findingsWant[name]
			if !ok {
				t.Fatalf("%s is not in findingsWant: say which problems it shows", name)
			}
			p, _, err := ops.ReadConcFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if p.Schedule == nil {
				t.Fatal("a finding must carry its schedule line")
			}
			r := check.Conc(p, func() sim.Chooser { return sched.Replay(p.Schedule) })
			for _, k := range want {
				if !slices.ContainsFunc(r.Problems, func(q oracle.Problem) bool { return q.Kind == k }) {
					t.Errorf("new version under the file's schedule: problems %v, want one of kind %q", r.Problems, k)
				}
				for _, q := range r.Problems {
					if q.Kind == k && (q.Sig.Where != findingsCause.where || q.Sig.Move != findingsCause.move) {
						t.Errorf("%s: signature %s, want the add at %s after a move at %s", k, q.Sig, findingsCause.where, findingsCause.move)
					}
				}
				if slices.ContainsFunc(oracle.Of(&r.Old), func(q oracle.Problem) bool { return q.Kind == k }) {
					t.Errorf("old version under the file's schedule shows a %q: %v", k, oracle.Of(&r.Old))
				}
			}
			rep, err := explore.Pair(check.Old, check.New, p, explore.Options{Bound: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Divergences) == 0 {
				t.Errorf("explore at bound 1 finds no outcome only the new version reaches:\n%s", rep)
			}
			for _, f := range rep.Old.Findings {
				if f.Kind == oracle.IdleAdd || f.Kind == oracle.Unnoticed {
					t.Errorf("the old version shows %s", &f)
				}
			}
			fixed, err := explore.Pair(check.Old, vc6888d92.Impl, p, explore.Options{Bound: 1})
			if err != nil {
				t.Fatal(err)
			}
			if !fixed.Equal() {
				t.Errorf("upstream's fix c6888d92 is not equal to the old version at bound 1:\n%s", fixed)
			}
		})
	}
}
