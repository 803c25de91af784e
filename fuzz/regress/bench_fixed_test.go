package regress

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// BenchmarkConcurrentFixed is FuzzConcurrent's per-exec work (both
// versions and the judge) on a fixed set of programs, corpus/concurrent
// (or the scripts in TIMERDIFF_BENCH_PROGS, to set another tree's
// binary side by side on the same files), under PCT seeds 0..7: unlike
// BenchmarkConcurrent, whose fuzz bytes decode to other programs when
// the decoder changes, its workload stays put.
func BenchmarkConcurrentFixed(b *testing.B) {
	dir := os.Getenv("TIMERDIFF_BENCH_PROGS")
	if dir == "" {
		dir = "../../corpus/concurrent"
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.ops"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no scripts in %s (%v)", dir, err)
	}
	sort.Strings(paths)
	var progs []ops.ConcProgram
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		q, err := ops.ParseConc(p, src)
		if err != nil {
			b.Fatal(err)
		}
		q.Schedule = nil // the PCT seeds choose
		progs = append(progs, q)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := progs[i%len(progs)]
		seed := uint64(i/len(progs)) % 8
		check.Conc(p, func() sim.Chooser { return &sched.PCT{Seed: seed, Depth: 2} })
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "schedules/s")
}
