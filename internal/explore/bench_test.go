package explore

import (
	"testing"

	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

// BenchmarkPairBound2 is the bounded-exhaustive search (bound 2) of
// testdata/bench.ops, a 2-M program with 3 ops per thread, on both
// versions in parallel, and their comparison.
func BenchmarkPairBound2(b *testing.B) {
	p := read(b, "bench.ops")
	var schedules int
	for b.Loop() {
		r, err := Pair(oldimpl.Impl, newimpl.Impl, p, Options{Bound: 2})
		if err != nil {
			b.Fatal(err)
		}
		if !r.Equal() {
			b.Fatalf("diverged:\n%s", r)
		}
		schedules = r.Old.Schedules + r.New.Schedules
	}
	b.ReportMetric(float64(schedules), "schedules/op")
}
