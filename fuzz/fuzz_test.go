package fuzz

import (
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sim"
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
	oldImpl, newImpl, _, err := Pair()
	if err != nil {
		f.Fatal(err)
	}
	// The ops of every input are decoded into one array: the engine runs
	// one input at a time, and nothing keeps a Program past its run.
	var buf []port.Call
	f.Fuzz(func(t *testing.T, data []byte) {
		sim.GrowStack(byte(len(data))) // see sim.GrowStack
		p := ops.DecodeInto(buf, data)
		if cap(p.Ops) > cap(buf) {
			buf = p.Ops
		}
		if check.EqualPair(oldImpl, newImpl, p) {
			return
		}
		// The lockstep check found a difference: build both traces to
		// locate it. The two verdicts must agree. The go-cmp diff of the
		// step is left to the replay line (check.Locate links no go-cmp,
		// whose coverage counters would slow every exec).
		r := check.Locate(oldImpl, newImpl, p)
		if r.Report.Equal() {
			panic("check.Equal and check.Locate disagree on:\n" + p.Script())
		}
		file := "fuzz/testdata/fuzz/FuzzDiff/<the file Go names below>"
		if seed := seedFile(data); seed != "" {
			file = seed // Go names it seed#N and writes no file
		}
		t.Fatal(r.Failure(Difftest("minimize", file)) + "The go-cmp diff and both versions step by step: " + Difftest("replay", file) + "\n")
	})
}
