package regress

import (
	"math/rand/v2"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// benchInputs are fixed pseudo-random fuzz inputs of about 24 ops each:
// the same for every run, so numbers compare across commits.
func benchInputs() [][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	in := make([][]byte, 256)
	for i := range in {
		in[i] = ops.RandomBytes(rng, 24)
	}
	return in
}

// BenchmarkHarness is one FuzzDiff execution: decode, run both versions
// with snapshots and verification after every op, compare.
func BenchmarkHarness(b *testing.B) {
	in := benchInputs()
	ops0 := 0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r := check.Program(ops.Decode(in[i%len(in)]))
		ops0 += r.Ops()
		if !r.Report.Equal() {
			b.Fatal(r.Failure(""))
		}
	}
	b.ReportMetric(float64(ops0)/float64(b.N), "ops/program")
}

// BenchmarkBare runs both versions on the same decoded programs and
// observes nothing: the floor the harness's cost is measured against.
func BenchmarkBare(b *testing.B) {
	in := benchInputs()
	progs := make([]ops.Program, len(in))
	for i, d := range in {
		progs[i] = ops.Decode(d)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := progs[i%len(progs)]
		run.Bare(check.Old, p.Config(), p.Ops)
		run.Bare(check.New, p.Config(), p.Ops)
	}
}

// BenchmarkLockstep is FuzzDiff's hot path: decode, then both versions in
// lockstep compared into reused buffers, traces built only on a
// divergence.
func BenchmarkLockstep(b *testing.B) {
	in := benchInputs()
	var buf []port.Call // as FuzzDiff decodes
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := ops.DecodeInto(buf, in[i%len(in)])
		if cap(p.Ops) > cap(buf) {
			buf = p.Ops
		}
		if !check.Equal(p) {
			b.Fatal("divergence")
		}
	}
}

// BenchmarkConcurrent is one FuzzConcurrent execution: decode a
// concurrent program and a schedule, run both versions under it and
// judge the new one (asking the old version again only when the new one
// shows a problem). The inputs are fixed, as benchInputs', so numbers
// compare across commits.
func BenchmarkConcurrent(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	in := make([][]byte, 256)
	for i := range in {
		d := make([]byte, 24+rng.IntN(104))
		for j := range d {
			d[j] = byte(rng.Uint32())
		}
		in[i] = d
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, rest := ops.DecodeConc(in[i%len(in)])
		check.Conc(p, func() sim.Chooser { return sched.NewBytes(rest) })
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "schedules/s")
}
