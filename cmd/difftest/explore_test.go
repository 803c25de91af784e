package main

import (
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/newimpl"
)

// The concurrent programs live with package explore.
const exploreData = "../../internal/explore/testdata/"

func TestExploreEqual(t *testing.T) {
	t.Parallel()
	code, out, errOut := difftestRun(t, "explore", "-bound", "1", exploreData+"removed_vs_steal.ops")
	if code != 0 {
		t.Fatalf("explore = exit %d, want 0; stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"removed_vs_steal.ops: 2 threads, bound 1\n",
		"verdict: equal: 0 divergences, 0 lost behaviours, 0 new-version problems\n",
		"known (old version alone): lock order: timer -> timers: ",
		"\n    lock rank violation: timer -> timers: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "explore: ") || !strings.Contains(errOut, " schedules/s; old ") {
		t.Errorf("stderr has no progress line: %q", errOut)
	}
	_, again, _ := difftestRun(t, "explore", "-bound", "1", exploreData+"removed_vs_steal.ops")
	if again != out {
		t.Errorf("two runs print different summaries:\n%s\n---\n%s", out, again)
	}
}

// flipConc is a new version with a bug in concurrent runs: the last call
// of thread 0 reports the opposite Pending when thread 1 ran first.
type flipConc struct{ port.Impl }

func (f flipConc) Open(cfg port.Config) port.World { return flipConcWorld{f.Impl.Open(cfg)} }

type flipConcWorld struct{ port.World }

func (w flipConcWorld) Concurrent(threads []port.Thread, ch sim.Chooser, record bool) (port.ConcOutcome, error) {
	co, err := w.World.Concurrent(threads, ch, record)
	if err == nil && len(co.Choices) > 0 && co.Choices[0] == 1 {
		if outs := co.Outcomes[0]; len(outs) > 0 {
			outs[len(outs)-1].Pending = !outs[len(outs)-1].Pending
		}
	}
	return co, err
}

func TestExploreDivergence(t *testing.T) {
	t.Parallel()
	code, out, _ := difftestRunWith(t, flipConc{newimpl.Impl}, "explore", "-bound", "0", exploreData+"modified_vs_steal.ops")
	if code != 1 {
		t.Fatalf("explore of a buggy version = exit %d, want 1; stdout:\n%s", code, out)
	}
	for _, want := range []string{
		"verdict: diverged: 1 divergences, 0 lost behaviours",
		"DIVERGENCE 1: an outcome only the new version reaches",
		"\nschedule M1",
		"diff (-old +new):",
		"bound artifact: an outcome the old version reaches within the bound",
		"To re-run: go run ./cmd/difftest explore -bound 0 " + exploreData + "modified_vs_steal.ops\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}

func TestExploreUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"explore"}, "explore: no files"},
		{[]string{"explore", "-bound", "-2", exploreData + "sleep.ops"}, "-bound -2"},
		{[]string{"explore", "-max", "x", exploreData + "sleep.ops"}, "invalid value"},
		{[]string{"explore", "testdata/no-such-file.ops"}, "no-such-file.ops"},
		{[]string{"explore", "testdata/bad.ops"}, "testdata/bad.ops:"},
	} {
		code, _, errOut := difftestRun(t, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("difftest %s = exit %d, stderr %q; want 2 and %q", strings.Join(tc.args, " "), code, errOut, tc.want)
		}
	}
}

// The out-of-contract mode: on corpus/contract's program the new version's
// deltimer crashes on a nil P that the old version never reaches, and
// every line says CONTRACT BROKEN; the default mode refuses the program.
func TestExploreBreakContract(t *testing.T) {
	t.Parallel()
	const file = "../../corpus/contract/deltimer_in_removed_window.ops"
	code, out, errOut := difftestRun(t, "explore", "-bound", "1", "-break-contract", file)
	if code != 1 {
		t.Fatalf("explore -break-contract = exit %d, want 1; stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for name, text := range map[string]string{"stdout": out, "stderr": errOut} {
		for l := range strings.Lines(text) {
			if !strings.HasPrefix(l, contractPrefix) {
				t.Errorf("%s line without %q: %q", name, contractPrefix, l)
			}
		}
	}
	for _, want := range []string{
		"breaks the API contract: thread 1 (P1) call 0 (P1: t0.stopTimer()): API contract",
		"DIVERGENCE 1: an outcome only the new version reaches",
		// Grouped by cause: the signature names the ported call that
		// crashed, with its line; then the problem with its numbers.
		`PROBLEM (new version): throw: panic: runtime error: invalid memory address or nil pointer dereference at deltimer -> sigpanic (newimpl/time.go:304): `,
		`    throw "panic: runtime error: invalid memory address or nil pointer dereference" at M1 call 0: P1: t0.stopTimer(), in deltimer < stopTimer (`,
		"To re-run: go run ./cmd/difftest explore -break-contract -bound 1 " + file + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	code, _, errOut = difftestRun(t, "explore", "-bound", "1", file)
	if code != 2 || !strings.Contains(errOut, "API contract: t0 is used by thread 0 too") {
		t.Errorf("explore without -break-contract = exit %d, stderr %q; want 2 and the contract error", code, errOut)
	}
	code, out, _ = difftestRun(t, "explore", "-bound", "0", "-break-contract", exploreData+"sleep.ops")
	if code != 0 || !strings.Contains(out, contractPrefix+exploreData+"sleep.ops respects the API contract") {
		t.Errorf("explore -break-contract of an in-contract program = exit %d, want 0 and a line saying it respects the contract:\n%s", code, out)
	}
}

func TestPrefixWriter(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	w := &prefixWriter{w: &b, prefix: "> "}
	for _, s := range []string{"a\nb", "c\n", "", "\n\nd\n"} {
		if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
			t.Errorf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if want := "> a\n> bc\n> \n> \n> d\n"; b.String() != want {
		t.Errorf("prefixWriter wrote %q, want %q", b.String(), want)
	}
}
