package mutants

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// A version that breaks its locking escapes the reductions of difftest
// explore (package explore, rules 7 and 10): the mutant that writes
// nextwhen after unlocking the timer reaches, in schedules that the
// unbounded search's reduction skips, a throw in
// updateTimerModifiedEarliest. The check at bound 1 must bring it back
// and say that the search is not complete; without the check the report
// shows the heap violation alone.
func TestReductionEscapeCaught(t *testing.T) {
	if testing.Short() {
		t.Skip("builds difftest with a mutant")
	}
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	var m *Mutant
	for i := range Catalog {
		if Catalog[i].Name == "cat/modtimer/unlock-before-nextwhen" {
			m = &Catalog[i]
		}
	}
	if m == nil {
		t.Fatal("the mutant is not in the catalog")
	}
	bin, err := BuildCommand(root, t.TempDir(), "./cmd/difftest", *m)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "explore", "-complete", "corpus/concurrent/modtimer_nextwhen_under_lock.ops")
	cmd.Dir = root
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("explore -complete on the mutant: %v (want exit status 1: diverged)\n%s", err, out)
	}
	for _, want := range []string{
		"the reduction was escaped",
		"PROBLEM (new version): throw: panic: runtime error: invalid memory address or nil pointer dereference at updateTimerModifiedEarliest",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("explore -complete on the mutant does not say %q:\n%s", want, out)
		}
	}
}
