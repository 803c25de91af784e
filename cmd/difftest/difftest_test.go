package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/port/porttest"
	"github.com/timerdiff/timerdiff/newimpl"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// difftestRun runs a command line and returns its exit code and output.
func difftestRun(t *testing.T, args ...string) (code int, out, errOut string) {
	t.Helper()
	return difftestRunWith(t, nil, args...)
}

// difftestRunWith is difftestRun with newImpl as the new version (nil:
// the default one, as without -new).
func difftestRunWith(t *testing.T, newImpl port.Impl, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	cl := newCLI(&o, &e)
	if newImpl != nil {
		cl.newImpl = newImpl
	}
	code = cl.exitCode(cl.difftest(args))
	return code, o.String(), e.String()
}

// buggy is a new version with a sequential bug: porttest.FlipPending.
var buggy = porttest.FlipPending(newimpl.Impl)

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestReplayGolden(t *testing.T) {
	t.Parallel()
	code, out, errOut := difftestRun(t, "replay", "testdata/corpus/small.ops")
	if code != 0 || errOut != "" {
		t.Fatalf("replay = exit %d, stderr %q; want 0, \"\"", code, errOut)
	}
	golden(t, "replay.golden", out)
}

func TestRunGolden(t *testing.T) {
	t.Parallel()
	code, out, errOut := difftestRun(t, "run", "-count", "50", "-seed", "1", "-corpus", "testdata/corpus")
	if code != 0 {
		t.Fatalf("run = exit %d, want 0\n%s", code, out)
	}
	golden(t, "run.golden", out)
	// The concurrent part says how far it is on stderr; its last line
	// (the time aside) is the count the summary reports.
	last := regexp.MustCompile(`(?m)^difftest: concurrent: [0-9.]+s: 12 programs \([0-9.]+/s\); causes: 0 known \(0 programs\), 0 new \(0 programs\), 0 shared$`)
	if !last.MatchString(errOut) {
		t.Errorf("stderr lacks the concurrent part's last progress line:\n%s", errOut)
	}
}

func TestRunDeterministic(t *testing.T) {
	t.Parallel()
	_, a, _ := difftestRun(t, "run", "-count", "300", "-seed", "5", "-corpus", "testdata/corpus")
	_, b, _ := difftestRun(t, "run", "-count", "300", "-seed", "5", "-corpus", "testdata/corpus")
	if a != b {
		t.Errorf("two runs with -seed 5 -count 300 differ:\n%s\n%s", a, b)
	}
}

func TestRunDivergence(t *testing.T) {
	t.Parallel()
	var code int
	var out string
	code, out, _ = difftestRunWith(t, buggy, "run", "-count", "200", "-seed", "3", "-corpus", "")
	if code != 1 {
		t.Fatalf("run with a bug = exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{
		"divergences: 1: program ",
		"result divergence at op 2: ",
		"ops -> 3 ops",
		`To re-run: go run ./cmd/difftest run -seed 3 -count `,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("run with a bug: output lacks %q:\n%s", want, out)
		}
	}
	// The re-run line, run as printed, diverges at the same program
	// with the same minimized case.
	args := rerunArgs(t, out, "run")
	code, again, _ := difftestRunWith(t, buggy, args...)
	if code != 1 {
		t.Errorf("%q = exit %d, want 1", args, code)
	}
	if d, d2 := line(out, "divergences: "), line(again, "divergences: "); d != d2 {
		t.Errorf("%q: %s, want %s", args, d2, d)
	}
	if a, b := out[strings.Index(out, "timerdiff: old and new"):], again[strings.Index(again, "timerdiff: old and new"):]; a != b {
		t.Errorf("%q reports another divergence:\n%s\nwant:\n%s", args, b, a)
	}
}

// rerunArgs returns the difftest arguments of the "To re-run:" line in
// out, which must run cmd: the words after ./cmd/difftest, with shell
// quotes removed.
func rerunArgs(t *testing.T, out, cmd string) []string {
	t.Helper()
	l := line(out, "To re-run: ")
	_, rest, ok := strings.Cut(l, " ./cmd/difftest ")
	if !ok || !strings.HasPrefix(l, "To re-run: go run ") {
		t.Fatalf("no re-run line in\n%s", out)
	}
	args := strings.Fields(rest)
	for i, a := range args {
		if uq, err := strconv.Unquote(a); err == nil {
			args[i] = uq
		}
	}
	if args[0] != cmd {
		t.Fatalf("re-run line %q runs %s, want %s", l, args[0], cmd)
	}
	return args
}

// line returns the first line of out that starts with prefix, or "".
func line(out, prefix string) string {
	for l := range strings.Lines(out) {
		if strings.HasPrefix(l, prefix) {
			return strings.TrimSuffix(l, "\n")
		}
	}
	return ""
}

func TestReplayDivergence(t *testing.T) {
	t.Parallel()
	var code int
	var out string
	code, out, _ = difftestRunWith(t, buggy, "replay", "testdata/corpus")
	if code != 1 {
		t.Fatalf("replay with a bug = exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{
		"!   2  P0: t0.stopTimer()",
		"<- first divergence (result)",
		"result divergence at op 2: P0: t0.stopTimer()",
		"2 programs: 0 equal, 2 diverge",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("replay with a bug: output lacks %q:\n%s", want, out)
		}
	}
}

func TestMinimize(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "small")
	var code int
	var stdout0, stderr0 string
	code, stdout0, stderr0 = difftestRunWith(t, buggy, "minimize", "testdata/corpus/small.ops", "-o", out)
	if code != 0 {
		t.Fatalf("minimize = exit %d, want 0\n%s%s", code, stdout0, stderr0)
	}
	if !strings.Contains(stdout0, "testdata/corpus/small.ops: 7 ops -> 3 ops") {
		t.Errorf("minimize output lacks the op counts:\n%s", stdout0)
	}
	script, err := ops.ReadFile(out + ".ops")
	if err != nil {
		t.Fatal(err)
	}
	fuzzed, err := ops.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !script.Equal(fuzzed) || len(script.Ops) != 3 || script.Ops[2].Kind != port.StopTimer {
		t.Errorf("minimized script and fuzz file:\n%s\n%s\nwant the same 3 ops ending in stopTimer", script.Script(), fuzzed.Script())
	}
	// The re-run line, run as printed, shows the same divergence.
	args := rerunArgs(t, stdout0, "replay")
	code, again, _ := difftestRunWith(t, buggy, args...)
	if want := "!   2  P0: t0.stopTimer()"; code != 1 || !strings.Contains(again, want) {
		t.Errorf("%q = exit %d, want 1 and %q:\n%s", args, code, want, again)
	}

	// A crasher file as go test -fuzz writes it works as well, and
	// nothing is overwritten.
	code, stdout0, stderr0 = difftestRunWith(t, buggy, "minimize", out, "-o", out)
	if code != 2 || !strings.Contains(stderr0, "is the input; not overwriting") {
		t.Errorf("minimize onto its input = exit %d, stderr %q; want 2, \"... is the input; not overwriting ...\"", code, stderr0)
	}
	code, stdout0, stderr0 = difftestRunWith(t, buggy, "minimize", "-o", out+"2", out)
	if code != 0 || !strings.Contains(stdout0, ": 3 ops -> 3 ops") {
		t.Errorf("minimize of a fuzz file = exit %d:\n%s%s", code, stdout0, stderr0)
	}
}

func TestMinimizeEqual(t *testing.T) {
	t.Parallel()
	code, out, _ := difftestRun(t, "minimize", "-o", filepath.Join(t.TempDir(), "x"), "testdata/corpus/sleep.ops")
	if code != 0 || !strings.Contains(out, "nothing to minimize") {
		t.Errorf("minimize of an equal program = exit %d, %q; want 0 (nothing found), \"... nothing to minimize\"", code, out)
	}
}

func TestCorpusCheck(t *testing.T) {
	t.Parallel()
	if code, out, _ := difftestRun(t, "corpus", "check", "testdata/corpus"); code != 0 || out != "testdata/corpus: 2 files, 0 bad\n" {
		t.Errorf("corpus check testdata/corpus = exit %d, %q", code, out)
	}
	// Files and directories mix; a concurrent script named explicitly is checked as one.
	if code, out, _ := difftestRun(t, "corpus", "check", "testdata/corpus", "testdata/conc.ops"); code != 0 || out != "testdata/corpus testdata/conc.ops: 3 files, 0 bad\n" {
		t.Errorf("corpus check testdata/corpus testdata/conc.ops = exit %d, %q", code, out)
	}
	code, out, _ := difftestRun(t, "corpus", "check", "testdata")
	want := "testdata/bad.ops:3: P0: t7.stopTimer(): timer t7 does not exist (1 timers)\n"
	if code != 1 || !strings.HasPrefix(out, want) {
		t.Errorf("corpus check testdata = exit %d, %q; want 1, %q...", code, out, want)
	}
}

func TestCorpusAdd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, out, errOut := difftestRun(t, "corpus", "add", "-dir", dir, "testdata/corpus/small.ops")
	if code != 0 || !strings.Contains(out, "(regression seed: ") {
		t.Fatalf("corpus add = exit %d, %q %q", code, out, errOut)
	}
	if _, out, _ = difftestRun(t, "corpus", "add", "testdata/corpus/small.ops", "-dir", dir); !strings.Contains(out, "already in the corpus") {
		t.Errorf("corpus add again = %q, want \"... already in the corpus ...\"", out)
	}
	code, out, errOut = difftestRunWith(t, buggy, "corpus", "add", "-dir", dir, "testdata/corpus/sleep.ops")
	if code != 0 || !strings.Contains(out, "(finding: result divergence at op 2, minimized 4 ops -> 3 ops") {
		t.Errorf("corpus add of a divergent program = exit %d, %q %q", code, out, errOut)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("corpus has %d files, want 2", len(entries))
	}
	// A directory adds each of its programs: here both are already in.
	if code, out, _ = difftestRun(t, "corpus", "add", "-dir", dir, "testdata/corpus"); code != 0 || strings.Count(out, "already in the corpus") != 1 {
		t.Errorf("corpus add of a directory = exit %d, %q; want 0, small.ops already in, sleep.ops added as a seed", code, out)
	}
	for _, e := range entries {
		if !regexp.MustCompile(`^[0-9a-f]{16}\.ops$`).MatchString(e.Name()) {
			t.Errorf("corpus file %q is not named by content hash", e.Name())
		}
		if _, err := ops.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			t.Error(err)
		}
	}
}

func TestCorpusConvert(t *testing.T) {
	t.Parallel()
	code, fuzzText, _ := difftestRun(t, "corpus", "convert", "testdata/corpus/small.ops")
	if code != 0 || !strings.HasPrefix(fuzzText, "go test fuzz v1\n[]byte(") {
		t.Fatalf("corpus convert script = exit %d, %q", code, fuzzText)
	}
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte(fuzzText), 0o666); err != nil {
		t.Fatal(err)
	}
	_, script, _ := difftestRun(t, "corpus", "convert", path)
	want, _ := ops.ReadFile("testdata/corpus/small.ops")
	if script != want.Script() {
		t.Errorf("convert back = \n%s\nwant\n%s", script, want.Script())
	}
}

func TestCorpusStats(t *testing.T) {
	t.Parallel()
	code, out, _ := difftestRun(t, "corpus", "stats", "testdata/corpus")
	if code != 0 {
		t.Fatalf("corpus stats = exit %d\n%s", code, out)
	}
	for _, want := range []string{`testdata/corpus: 2 programs, 11 ops\n`, `\n  stopTimer +1\n`, `\n  sleep +2\n`, `\n  deltimer  waiting +1\n`, `\n  3/11 branches hit\n`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("corpus stats lacks %q:\n%s", want, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string // in the one line on stderr
	}{
		{nil, "no command"},
		{[]string{"frob"}, `unknown command "frob"`},
		{[]string{"run", "-count", "5", "-time", "1s"}, "-time and -count are exclusive"},
		{[]string{"run", "-count", "0"}, "-count 0 is not positive"},
		{[]string{"run", "-count", "x"}, `invalid value "x" for flag -count`},
		{[]string{"run", "-frob"}, "flag provided but not defined: -frob"},
		{[]string{"run", "extra"}, `unexpected argument "extra"`},
		{[]string{"run", "-corpus", "testdata/missing"}, "testdata/missing: no such file or directory"},
		{[]string{"replay"}, "replay: no files"},
		{[]string{"replay", "testdata/missing.ops"}, "testdata/missing.ops: no such file or directory"},
		{[]string{"replay", "testdata/bad.ops"}, "testdata/bad.ops:3: P0: t7.stopTimer(): timer t7 does not exist"},
		{[]string{"replay", "testdata"}, "testdata/bad.ops:3: "},
		{[]string{"minimize"}, "minimize: want one FILE, have 0 arguments"},
		{[]string{"minimize", "a", "b"}, "minimize: want one FILE, have 2 arguments"},
		{[]string{"minimize", "testdata/bad.ops"}, "testdata/bad.ops:3: "},
		{[]string{"corpus"}, "corpus: no subcommand"},
		{[]string{"corpus", "frob"}, `corpus: unknown subcommand "frob"`},
		{[]string{"corpus", "check"}, "corpus check: no FILE or DIR"},
		{[]string{"corpus", "check", "testdata/missing"}, "no such file or directory"},
		{[]string{"corpus", "add"}, "corpus add: no FILE or DIR"},
		{[]string{"corpus", "convert", "testdata/bad.ops"}, "testdata/bad.ops:3: "},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := difftestRun(t, tt.args...)
			if code != 2 || out != "" || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("difftest %q = exit %d, stdout %q, stderr %q; want 2, \"\", one line with %q", tt.args, code, out, errOut, tt.want)
			}
		})
	}
}

// TestHelp pins every command's usage (go test -update rewrites the
// goldens): printed on stderr for -h and for help CMD, exit 0.
func TestHelp(t *testing.T) {
	t.Parallel()
	for _, cmd := range [][]string{{}, {"run"}, {"replay"}, {"minimize"}, {"corpus"}, {"corpus", "check"}, {"corpus", "add"}, {"corpus", "convert"}, {"corpus", "stats"}, {"explore"}, {"mutants"}, {"bench"}, {"series"}} {
		name := strings.Join(append([]string{"difftest"}, cmd...), "_")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := difftestRun(t, append(slices.Clone(cmd), "-h")...)
			if code != 0 || out != "" || !strings.HasPrefix(errOut, "usage: difftest") {
				t.Fatalf("difftest %q -h = exit %d, stdout %q, stderr %q; want 0, \"\", usage", cmd, code, out, errOut)
			}
			golden(t, filepath.Join("help", name+".golden"), errOut)
			code, out, errHelp := difftestRun(t, append([]string{"help"}, cmd...)...)
			if code != 0 || out != "" || errHelp != errOut {
				t.Errorf("difftest help %q = exit %d, stdout %q, stderr %q; want 0 and the -h usage", cmd, code, out, errHelp)
			}
		})
	}
}

// One test per exit code, each through the command line as a user types
// it.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		impl port.Impl // the new version; nil: the default
		args []string
		want int
	}{
		{"0 clean", nil, []string{"replay", "testdata/corpus"}, exitOK},
		{"0 help", nil, []string{"help"}, exitOK},
		{"1 found", buggy, []string{"replay", "testdata/corpus"}, exitFound},
		{"1 bad corpus file", nil, []string{"corpus", "check", "testdata/bad.ops"}, exitFound},
		{"2 usage", nil, []string{"run", "-count", "0"}, exitUsage},
		{"2 unreadable input", nil, []string{"replay", "testdata/missing.ops"}, exitUsage},
		{"3 internal: an I/O error", buggy, []string{"minimize", "-o", filepath.Join(notDir, "small"), "testdata/corpus/small.ops"}, exitInternal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := difftestRunWith(t, tc.impl, tc.args...)
			if code != tc.want {
				t.Errorf("difftest %q = exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tc.args, code, tc.want, out, errOut)
			}
		})
	}
}
