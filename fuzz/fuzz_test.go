package fuzz

import (
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
)

// FuzzDiff decodes the fuzz bytes into a program, runs it on the old and
// the new version and fails on any divergence. Seeded from corpus/.
func FuzzDiff(f *testing.F) {
	seeds, err := seqSeeds() // read once: see seqSeeds
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range seeds {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := ops.Decode(data)
		if check.Equal(p) {
			return
		}
		// The lockstep check found a difference: build both traces to
		// explain it. The two verdicts must agree.
		r := check.Program(p)
		if r.Report.Equal() {
			panic("check.Equal and check.Program disagree on:\n" + p.Script())
		}
		t.Fatal(r.Failure("go run ./cmd/difftest minimize fuzz/testdata/fuzz/FuzzDiff/<file named above>"))
	})
}

// TestCorpus replays every committed corpus file: each must parse and
// show no divergence.
func TestCorpus(t *testing.T) {
	files, err := ReadCorpus(CorpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no corpus files under %s", CorpusDir)
	}
	for _, cf := range files {
		t.Run(cf.Path[len(CorpusDir)+1:], func(t *testing.T) {
			if cf.Err != nil {
				t.Fatal(cf.Err)
			}
			r := check.Program(cf.Program)
			if !r.Report.Equal() {
				t.Fatal(r.Failure("go run ./cmd/difftest replay corpus/" + cf.Path[len(CorpusDir)+1:]))
			}
		})
	}
}
