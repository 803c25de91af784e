package fuzz

import (
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// FuzzConcurrent decodes a concurrent program and a schedule from the same
// bytes (ops.DecodeConc, then sched.Bytes on the rest), runs the old and
// the new version on it, each under its own Bytes chooser over the same
// bytes (the interleavings differ where the versions take different
// steps), and fails when check.Conc finds a problem of the new version:
// a hang, a throw or heap violation the old version does not show, a
// lock-order violation, a lost timer (see check.ConcPair for the rules).
//
// A failure prints the problems, the program as a concurrent script with
// the schedule line that replays the new version's run, and how to re-run
// it (ConcResult.Failure); difftest minimize shrinks a crasher file.
func FuzzConcurrent(f *testing.F) {
	seeds, err := concSeeds() // read once: see concSeeds
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range seeds {
		f.Add(b)
	}
	oldImpl, newImpl, _, err := Pair()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, rest := ops.DecodeConc(data)
		if err := p.Validate(); err != nil {
			t.Fatalf("DecodeConc returned an invalid program: %v\n%s", err, p.Script())
		}
		r := check.ConcPair(oldImpl, newImpl, p, func() sim.Chooser { return sched.NewBytes(rest) }, false)
		if !r.OK() {
			t.Fatal(r.Failure(GoTest("./fuzz", "FuzzConcurrent/<the file Go names below>") + "; shrink it with " + Difftest("minimize", "fuzz/testdata/fuzz/FuzzConcurrent/<file>")))
		}
	})
}
