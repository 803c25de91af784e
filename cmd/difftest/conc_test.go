package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/newimpl"
)

// throwConc is a new version with a bug in concurrent runs: when M1 makes
// the first choice, thread 0's first call throws.
type throwConc struct{ port.Impl }

func (f throwConc) Open(cfg port.Config) port.World { return throwConcWorld{f.Impl.Open(cfg)} }

type throwConcWorld struct{ port.World }

const injected = "injected: M1 ran first"

func (w throwConcWorld) Concurrent(threads []port.Thread, ch sim.Chooser, record bool) (port.ConcOutcome, error) {
	co, err := w.World.Concurrent(threads, ch, record)
	if err == nil && len(co.Choices) > 0 && co.Choices[0] == 1 && len(co.Outcomes[0]) > 0 {
		co.Outcomes[0][0].Throw = injected
	}
	return co, err
}

// concBuggy is a new version with a concurrent bug: throwConc.
var concBuggy port.Impl = throwConc{newimpl.Impl}

func TestReplayConcGolden(t *testing.T) {
	t.Parallel()
	code, out, errOut := difftestRun(t, "replay", "testdata/conc.ops")
	if code != 0 || errOut != "" {
		t.Fatalf("replay = exit %d, stderr %q; want 0, \"\"\n%s", code, errOut, out)
	}
	golden(t, "replay_conc.golden", out)
}

func TestReplayConcPCT(t *testing.T) {
	t.Parallel()
	code, out, _ := difftestRun(t, "replay", "-pct", "5", "-both", "../../corpus/concurrent/modtimer_removed_vs_steal.ops")
	if code != 0 {
		t.Fatalf("replay -pct 5 = exit %d, want 0\n%s", code, out)
	}
	for _, want := range []string{
		"schedule: PCT seed 5 depth 2, for both versions\n",
		"verdict: ok: the new version shows no problem\n",
		"known (old version alone, lock order): lock rank violation: timer -> timers: ",
		"timeline of the new version:\nverdict: The new version shows no problem of its own.\n",
		"\nnew: 2 Ms, ",
		"timeline of the old version:\nverdict: ",
		"\nold: 2 Ms, ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("replay -pct 5 -both: output lacks %q:\n%s", want, out)
		}
	}
	// Without -pct, a script with no schedule line runs under seed 0.
	_, out, _ = difftestRun(t, "replay", "../../corpus/concurrent/modtimer_removed_vs_steal.ops")
	if !strings.Contains(out, "schedule: PCT seed 0 depth 2, for both versions\n") {
		t.Errorf("replay without -pct: want PCT seed 0 depth 2:\n%s", out)
	}
}

func TestReplayConcHTML(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "t.html")
	code, out, _ := difftestRun(t, "replay", "-html", path, "testdata/conc.ops")
	if code != 0 || !strings.Contains(out, "wrote "+path+"\n") {
		t.Fatalf("replay -html = exit %d, want 0 and a wrote line\n%s", code, out)
	}
	page, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(page), "<svg") {
		t.Fatalf("HTML page: %v, %.100q", err, page)
	}
	code, _, errOut := difftestRun(t, "replay", "-html", path, "testdata/conc.ops")
	if code != 2 || !strings.Contains(errOut, "exists; not overwriting it") {
		t.Errorf("replay -html onto an existing file = exit %d, stderr %q; want 2, not overwriting", code, errOut)
	}
}

func TestReplayConcProblem(t *testing.T) {
	t.Parallel()
	var code int
	var out string
	code, out, _ = difftestRunWith(t, concBuggy, "replay", "-pct", "1", "testdata/conc.ops")
	if code != 1 {
		t.Fatalf("replay of a buggy version = exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{
		"verdict: PROBLEM: the new version shows 1 problems\n",
		`PROBLEM (throw): throw "` + injected + `" at M0 call 0`,
		"schedule: PCT seed 1 depth 2 (-pct: the file's own schedule is not used), for both versions\n",
		"the new version's run replays with: schedule M1*",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The buggy version under the script's schedule line, where M0 goes
	// first: no problem.
	code, out, _ = difftestRunWith(t, concBuggy, "replay", "testdata/conc.ops")
	if code != 0 {
		t.Errorf("replay (M0 first) of the buggy version = exit %d, want 0\n%s", code, out)
	}
}

func TestReplayConcUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"replay", "-pct", "1", "testdata/corpus/small.ops"}, "-pct applies only to concurrent files; testdata/corpus/small.ops is sequential"},
		{[]string{"replay", "-both", "testdata/conc.ops", "testdata/corpus"}, "-both applies only to concurrent files"},
		{[]string{"replay", "-depth", "0", "testdata/conc.ops"}, "-depth 0"},
		{[]string{"replay", "-html", "x.html", "testdata/conc.ops", "testdata/conc.ops"}, "-html wants exactly one concurrent file, have 2"},
		{[]string{"replay", "-pct", "x", "testdata/conc.ops"}, "invalid value"},
	} {
		code, _, errOut := difftestRun(t, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("difftest %s = exit %d, stderr %q; want 2 and one line with %q", strings.Join(tc.args, " "), code, errOut, tc.want)
		}
	}
}

// A FuzzConcurrent crasher: the program, then schedule bytes that let M1
// choose first.
func writeCrasher(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("testdata/conc.ops")
	if err != nil {
		t.Fatal(err)
	}
	q, err := ops.ParseConc("conc.ops", src)
	if err != nil {
		t.Fatal(err)
	}
	q.Schedule = nil
	data, err := ops.EncodeConc(q)
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, sched.SwitchAt+1)
	dir := filepath.Join(t.TempDir(), "testdata", "fuzz", "FuzzConcurrent")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "0123abcd")
	if err := os.WriteFile(path, ops.FuzzFile(data), 0o666); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMinimizeConc(t *testing.T) {
	t.Parallel()
	crasher := writeCrasher(t)
	out := filepath.Join(t.TempDir(), "small")
	var code int
	var stdoutText, errOut string
	code, stdoutText, errOut = difftestRunWith(t, concBuggy, "minimize", "-o", out, crasher)
	if code != 0 {
		t.Fatalf("minimize = exit %d, stderr %q, want 0\n%s", code, errOut, stdoutText)
	}
	script, err := os.ReadFile(out + ".ops")
	if err != nil {
		t.Fatal(err)
	}
	small, err := ops.ParseConc(out+".ops", script)
	if err != nil {
		t.Fatal(err)
	}
	// M1 must make the first choice, so both threads stay: thread 0 with
	// the call that throws, thread 1 with none.
	if len(small.Ops) != 0 || len(small.Threads) != 2 || len(small.Threads[0].Calls) != 1 || len(small.Threads[1].Calls) != 0 || small.Schedule.String() != "M1" {
		t.Errorf("minimized case:\n%s\nwant no setup, thread 0 with one call, thread 1 with none, schedule M1", script)
	}
	for _, want := range []string{"# problem (throw): throw \"" + injected, "# minimized by difftest from " + crasher} {
		if !strings.Contains(string(script), want) {
			t.Errorf("%s lacks %q:\n%s", out+".ops", want, script)
		}
	}
	if !strings.Contains(stdoutText, "wrote "+out+".ops\n") || !strings.Contains(stdoutText, "To re-run: go run ./cmd/difftest replay "+out+".ops\n") {
		t.Errorf("minimize output lacks the wrote and To re-run lines:\n%s", stdoutText)
	}
	// The re-run line, run as printed, replays it to the same problem.
	code, stdoutText, _ = difftestRunWith(t, concBuggy, rerunArgs(t, stdoutText, "replay")...)
	if code != 1 || !strings.Contains(stdoutText, "PROBLEM (throw)") {
		t.Errorf("replay of the minimized case = exit %d, want 1 and the throw:\n%s", code, stdoutText)
	}
	// -o names the output: it is overwritten.
	code, _, errOut = difftestRunWith(t, concBuggy, "minimize", "-o", out, crasher)
	if code != 0 || errOut != "" {
		t.Errorf("minimize -o onto an existing file = exit %d, stderr %q; want 0, overwritten", code, errOut)
	}
}

func TestMinimizeConcNoProblem(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "small")
	code, stdoutText, _ := difftestRun(t, "minimize", "-o", out, "testdata/conc.ops")
	if code != 0 || !strings.Contains(stdoutText, "shows no problem under its schedule line: nothing to minimize") {
		t.Errorf("minimize of a case without a problem = exit %d, want 0:\n%s", code, stdoutText)
	}
	code, _, errOut := difftestRun(t, "minimize", "-o", out, "../../corpus/concurrent/modtimer_removed_vs_steal.ops")
	if code != 2 || !strings.Contains(errOut, "no schedule line") {
		t.Errorf("minimize of a script without a schedule line = exit %d, stderr %q; want 2, no schedule line", code, errOut)
	}
	if _, err := os.Stat(out + ".ops"); err == nil {
		t.Errorf("%s.ops written for a case without a problem", out)
	}
}

// A FuzzConcurrent fuzz file replays under its schedule bytes; a
// directory mixes sequential and concurrent files.
func TestReplayConcInputs(t *testing.T) {
	t.Parallel()
	crasher := writeCrasher(t)
	code, out, _ := difftestRun(t, "replay", crasher)
	if code != 0 || !strings.Contains(out, "schedule: the fuzz file's 1 schedule bytes (sched.Bytes, as FuzzConcurrent reads them), for both versions\n") ||
		!strings.Contains(out, "new ran: schedule M1") {
		t.Errorf("replay of a FuzzConcurrent file = exit %d, want 0, its schedule bytes, M1 first:\n%s", code, out)
	}
	dir := t.TempDir()
	for _, f := range []string{"conc.ops", "corpus/small.ops"} {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ = difftestRun(t, "replay", dir)
	if code != 0 || !strings.HasSuffix(out, "\n2 programs (1 concurrent): 2 pass, 0 diverge or show a problem\n") {
		t.Errorf("replay of a mixed directory = exit %d, want 0 and the count line:\n%s", code, out)
	}
}

// TestMinimizeConcPair: the re-run line of a minimized case carries the
// pair the command line picked, and run as printed shows the problem.
func TestMinimizeConcPair(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "small")
	code, stdoutText, errOut := difftestRun(t, "minimize", "-new", "2fb5ef88", "-o", out, "../../corpus/findings/modtimer_adds_to_idle_p.ops")
	if code != 0 {
		t.Fatalf("minimize -new 2fb5ef88 = exit %d, stderr %q\n%s", code, errOut, stdoutText)
	}
	args := rerunArgs(t, stdoutText, "replay")
	if want := []string{"replay", "-new", "2fb5ef88", out + ".ops"}; !slices.Equal(args, want) {
		t.Errorf("re-run line runs %q, want %q", args, want)
	}
	code, again, _ := difftestRun(t, args...)
	if code != 1 || !strings.Contains(again, "timer on idle P") {
		t.Errorf("%q = exit %d, want 1 and the timer on an idle P:\n%s", args, code, again)
	}
}

// TestMinimizeConcRenumbers: minimize gives a concurrent case the smallest
// timer and P names that keep its problem (testdata/renumber.ops is the
// finding modtimer_adds_to_idle_p.ops with t2 for t0 and its Ps permuted).
func TestMinimizeConcRenumbers(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "small")
	code, stdoutText, errOut := difftestRun(t, "minimize", "-o", out, "testdata/renumber.ops")
	if code != 0 {
		t.Fatalf("minimize = exit %d, stderr %q\n%s", code, errOut, stdoutText)
	}
	script, err := os.ReadFile(out + ".ops")
	if err != nil {
		t.Fatal(err)
	}
	const want = `procs 3
timers 1
thread P0:
    P0: t0.startTimer(when=101, period=0, f=fire(a0), seq=0)
thread P1:
schedule M0*8 P2 M2
`
	if !strings.HasSuffix(string(script), want) {
		t.Errorf("minimized:\n%s\nwant it to end in\n%s", script, want)
	}
}
