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
// shows the heap violation alone. The same for -reduce at bound 3, whose
// check runs at bound 2.
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
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-complete"}, []string{
			"the reduction was escaped",
			"PROBLEM (new version): throw: panic: runtime error: invalid memory address or nil pointer dereference at updateTimerModifiedEarliest",
		}},
		// Two of its outcomes need two preemptions: -reduce at bound 3
		// misses them, and the check at bound 2 brings them back.
		{[]string{"-reduce", "-bound", "3"}, []string{"the reduction was escaped"}},
	} {
		args := append(append([]string{"explore"}, tc.args...), "corpus/concurrent/modtimer_nextwhen_under_lock.ops")
		cmd := exec.Command(bin, args...)
		cmd.Dir = root
		out, err := cmd.Output()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("%s on the mutant: %v (want exit status 1: diverged)\n%s", args, err, out)
		}
		for _, want := range tc.want {
			if !strings.Contains(string(out), want) {
				t.Errorf("%s on the mutant does not say %q:\n%s", args, want, out)
			}
		}
	}
}
