package corpus

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/ops"
)

func TestIsRaw(t *testing.T) {
	script := "procs 1\ntimers 1\nP0: t0.startTimer(when=105, period=0, f=fire(a0), seq=0)\n"
	for _, c := range []struct {
		name string
		src  string
		want bool
	}{
		{"x.ops", script, false},
		{"f", "go test fuzz v1\n[]byte(\"\\x00\")\n", false},
		{"crash-0a1b", "procs 1\n", true}, // libFuzzer's name decides, even for text
		{"timeout-0a1b", "", true},
		{strings.Repeat("ab", 20), "anything", true}, // a corpus file: sha1 name
		{"x", "\x00\x00\x00\x03abc", true},
		{"x", "procs 1\xff", true},
	} {
		if got := IsRaw(c.name, []byte(c.src)); got != c.want {
			t.Errorf("IsRaw(%q, %q) = %v, want %v", c.name, c.src, got, c.want)
		}
	}
}

// The committed corpus reads: Read leaves the concurrent, findings and
// contract folders out, ReadConc reads the concurrent one.
func TestReadCommitted(t *testing.T) {
	root := filepath.Join("..", "..", Root)
	files, err := Read(root)
	if err != nil || len(files) == 0 {
		t.Fatalf("Read(%s) = %d files, %v", root, len(files), err)
	}
	for _, f := range files {
		if f.Err != nil {
			t.Error(f.Err)
		}
		for _, d := range []string{Concurrent, Findings, Contract} {
			if strings.Contains(filepath.ToSlash(f.Path), "/"+d+"/") {
				t.Errorf("Read returned %s, under %s", f.Path, d)
			}
		}
	}
	conc, err := ReadConc(filepath.Join(root, Concurrent))
	if err != nil || len(conc) == 0 {
		t.Fatalf("ReadConc = %d files, %v", len(conc), err)
	}
	for _, f := range conc {
		if f.Err != nil {
			t.Error(f.Err)
		}
	}
}

// Runs: the schedule line alone when there is one, else PCT seeds 0..11
// at depths 1..3.
func TestRuns(t *testing.T) {
	p, err := ops.ParseConc("x", []byte("procs 2\ntimers 1\nthread P0:\n    P0: t0.startTimer(when=105, period=0, f=fire(a0), seq=0)\nthread P1:\n    P1: checkTimers(P0)\n"))
	if err != nil {
		t.Fatal(err)
	}
	runs := Runs(p)
	if len(runs) != PCTSeeds || runs[0].Name != "PCT seed 0 depth 1" || runs[11].Name != "PCT seed 11 depth 3" {
		t.Errorf("Runs without a schedule line: %d runs, first %q", len(runs), runs[0].Name)
	}
	p.Schedule = []int{0, 1}
	if runs := Runs(p); len(runs) != 1 || runs[0].Name != "schedule line" {
		t.Errorf("Runs with a schedule line = %v", runs)
	}
}
