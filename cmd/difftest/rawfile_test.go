package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/ops"
)

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o666); err != nil {
		t.Fatal(err)
	}
	return path
}

// A raw FuzzDiff crash reads as the program it was made from: replay,
// minimize and corpus convert accept it.
func TestRawSequential(t *testing.T) {
	t.Parallel()
	p, err := ops.ReadFile("testdata/corpus/small.ops")
	if err != nil {
		t.Fatal(err)
	}
	data, err := ops.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	crash := writeFile(t, filepath.Join(dir, "crash-5eed"), corpus.Raw(data))
	code, script, _ := difftestRun(t, "corpus", "convert", crash)
	if code != 0 || script != p.Script() {
		t.Fatalf("corpus convert %s = exit %d\n%s\nwant\n%s", crash, code, script, p.Script())
	}
	if code, out, errOut := difftestRun(t, "replay", crash); code != 0 || errOut != "" || !strings.Contains(out, "== "+crash) {
		t.Fatalf("replay %s = exit %d, stderr %q\n%s", crash, code, errOut, out)
	}
	if code, out, errOut := difftestRunWith(t, buggy, "minimize", "-o", filepath.Join(dir, "min"), crash); code != 0 {
		t.Fatalf("minimize with a bug = exit %d, stderr %q\n%s", code, errOut, out)
	}
	if _, err := ops.ReadFile(filepath.Join(dir, "min.ops")); err != nil {
		t.Fatal(err)
	}
}

// A raw input under a FuzzConcurrent folder, or with FuzzConcurrent in its
// name, is a concurrent case: corpus convert prints its program with the
// schedule the new version ran, which replays.
func TestRawConcurrent(t *testing.T) {
	t.Parallel()
	p, _, err := ops.ReadConcFile("testdata/conc.ops")
	if err != nil {
		t.Fatal(err)
	}
	data, err := ops.EncodeConc(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, crash := range []string{
		writeFile(t, filepath.Join(dir, "FuzzConcurrent", "crash-5eed"), corpus.Raw(data)),
		writeFile(t, filepath.Join(dir, "crash-FuzzConcurrent-5eed"), corpus.Raw(data)),
	} {
		if conc, err := corpus.IsConc(crash); !conc || err != nil {
			t.Fatalf("corpus.IsConc(%s) = %v, %v", crash, conc, err)
		}
		code, script, errOut := difftestRun(t, "corpus", "convert", crash)
		if code != 0 || errOut != "" {
			t.Fatalf("corpus convert %s = exit %d, stderr %q", crash, code, errOut)
		}
		got, err := ops.ParseConc("converted", []byte(script))
		if err != nil {
			t.Fatalf("%v\n%s", err, script)
		}
		if got.Schedule == nil {
			t.Errorf("converted script has no schedule line:\n%s", script)
		}
		got.Schedule, p.Schedule = nil, nil
		if !got.Equal(p) {
			t.Errorf("converted program:\n%s\nwant\n%s", got.Script(), p.Script())
		}
		conv := writeFile(t, filepath.Join(dir, "conv.ops"), []byte(script))
		if code, out, errOut := difftestRun(t, "replay", conv); code != 0 || errOut != "" {
			t.Errorf("replay of the converted script = exit %d, stderr %q\n%s", code, errOut, out)
		}
		if code, out, errOut := difftestRun(t, "replay", crash); code != 0 || errOut != "" {
			t.Errorf("replay %s = exit %d, stderr %q\n%s", crash, code, errOut, out)
		}
	}
}

// A raw input too short to hold the target's []byte is an input error
// naming the file.
func TestRawTooShort(t *testing.T) {
	t.Parallel()
	crash := writeFile(t, filepath.Join(t.TempDir(), "crash-0"), []byte{0, 0})
	code, _, errOut := difftestRun(t, "replay", crash)
	if code != 2 || !strings.Contains(errOut, crash+": a raw libFuzzer input of 2 bytes") {
		t.Errorf("replay %s = exit %d, stderr %q; want 2 and a line naming the file", crash, code, errOut)
	}
}

// corpus convert -raw writes a script as the raw libFuzzer input of its
// target, which reads back as the same program: a sequential script as
// FuzzDiff's, a concurrent one as FuzzConcurrent's (without its schedule
// line, which it says). It never overwrites, and takes scripts only.
func TestConvertToRaw(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()

	seq := filepath.Join(dir, "seq")
	if code, _, errOut := difftestRun(t, "corpus", "convert", "-raw", seq, "testdata/corpus/small.ops"); code != 0 || !strings.Contains(errOut, "raw libFuzzer input of FuzzDiff") {
		t.Fatalf("corpus convert -raw of a sequential script = exit %d, stderr %q", code, errOut)
	}
	want, _ := ops.ReadFile("testdata/corpus/small.ops")
	if code, script, _ := difftestRun(t, "corpus", "convert", seq); code != 0 || script != want.Script() {
		t.Errorf("read back = exit %d\n%s\nwant\n%s", code, script, want.Script())
	}

	conc := filepath.Join(dir, "FuzzConcurrent", "in")
	if err := os.MkdirAll(filepath.Dir(conc), 0o777); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := difftestRun(t, "corpus", "convert", "-raw", conc, "testdata/conc.ops")
	if code != 0 || !strings.Contains(errOut, "schedule line is not carried") || !strings.Contains(errOut, "raw libFuzzer input of FuzzConcurrent") {
		t.Fatalf("corpus convert -raw of a concurrent script = exit %d, stderr %q", code, errOut)
	}
	p, _, err := ops.ReadConcFile("testdata/conc.ops")
	if err != nil {
		t.Fatal(err)
	}
	_, script, _ := difftestRun(t, "corpus", "convert", conc)
	got, err := ops.ParseConc("converted", []byte(script))
	if err != nil {
		t.Fatalf("%v\n%s", err, script)
	}
	got.Schedule, p.Schedule = nil, nil
	if !got.Equal(p) {
		t.Errorf("read back:\n%s\nwant\n%s", got.Script(), p.Script())
	}

	before, _ := os.ReadFile(seq)
	if code, _, errOut := difftestRun(t, "corpus", "convert", "-raw", seq, "testdata/conc.ops"); code != 2 || !strings.Contains(errOut, "exists") {
		t.Errorf("corpus convert -raw onto an existing file = exit %d, stderr %q; want 2", code, errOut)
	}
	if after, _ := os.ReadFile(seq); string(after) != string(before) {
		t.Errorf("corpus convert -raw changed the existing %s", seq)
	}
	if code, _, errOut := difftestRun(t, "corpus", "convert", "-raw", filepath.Join(dir, "x"), seq); code != 2 || !strings.Contains(errOut, "converts a script") {
		t.Errorf("corpus convert -raw of a fuzz file = exit %d, stderr %q; want 2", code, errOut)
	}
}
