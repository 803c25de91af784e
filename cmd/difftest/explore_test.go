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
	code, out, errOut := difftestRun(t, "explore", "-bound", "1", exploreData+"removed_vs_steal.ops")
	if code != 0 {
		t.Fatalf("explore = exit %d, want 0; stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"removed_vs_steal.ops: 2 threads, bound 1\n",
		"verdict: equal: 0 divergences, 0 lost behaviours, 0 new-version problems\n",
		"known (old version alone): lock order: timer -> timers",
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
	newImpl = flipConc{newimpl.Impl}
	defer func() { newImpl = newimpl.Impl }()
	code, out, _ := difftestRun(t, "explore", "-bound", "0", exploreData+"modified_vs_steal.ops")
	if code != 1 {
		t.Fatalf("explore of a buggy version = exit %d, want 1; stdout:\n%s", code, out)
	}
	for _, want := range []string{
		"verdict: diverged: 1 divergences, 0 lost behaviours",
		"DIVERGENCE 1: an outcome only the new version reaches",
		"\nschedule M1",
		"diff (-old +new):",
		"bound artifact: an outcome the old version reaches within the bound",
		"To re-run: difftest explore -bound 0 " + exploreData + "modified_vs_steal.ops\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}

func TestExploreUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"explore"}, "explore: no files"},
		{[]string{"explore", "-bound", "-1", exploreData + "sleep.ops"}, "-bound -1"},
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
