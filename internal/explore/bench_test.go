package explore

import (
	"testing"

	"github.com/timerdiff/timerdiff/internal/ops"
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

// BenchmarkReduction sets side by side, in one run, the unbounded
// search of small programs with and without the partial-order reduction
// (rules 7 and 8 of the package doc), and the bound-2 search (which has
// none, rule 3) of the benchmark program and the two programs of issue
// 13.
func BenchmarkReduction(b *testing.B) {
	progs := []struct{ name, path string }{
		{"bench", "testdata/bench.ops"},
		{"modtimer_cas_races_runtimer", "../../corpus/concurrent/modtimer_cas_races_runtimer.ops"},
		{"two_resetters_one_stealer", "../../corpus/concurrent/two_resetters_one_stealer.ops"},
	}
	unbounded := []struct{ name, path string }{
		{"two_stops", "testdata/two_stops.ops"},
		{"stop_vs_check", "testdata/stop_vs_check.ops"},
		{"start_vs_check", "testdata/start_vs_check.ops"},
	}
	pair := func(b *testing.B, path string, opt Options) {
		p, _, err := ops.ReadConcFile(path)
		if err != nil {
			b.Fatal(err)
		}
		var schedules int
		for b.Loop() {
			r, err := Pair(oldimpl.Impl, newimpl.Impl, p, opt)
			if err != nil {
				b.Fatal(err)
			}
			if !r.Old.Complete || !r.New.Complete {
				b.Fatal("incomplete")
			}
			schedules = r.Old.Schedules + r.New.Schedules
		}
		b.ReportMetric(float64(schedules), "schedules/op")
	}
	for _, pr := range unbounded {
		b.Run(pr.name+"/unbounded/dpor", func(b *testing.B) { pair(b, pr.path, Options{Bound: -1}) })
		b.Run(pr.name+"/unbounded/unreduced", func(b *testing.B) { pair(b, pr.path, Options{Bound: -1, NoReduction: true}) })
	}
	for _, pr := range progs {
		b.Run(pr.name+"/bound2", func(b *testing.B) { pair(b, pr.path, Options{Bound: 2}) })
	}
}
