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

// BenchmarkReduction sets side by side, in one run, the bound-2 searches
// with and without the reduction (since rule 3 was dropped, the same
// search: the sleep sets of rule 7 are off with a bound) of the benchmark program and the two programs of
// issue 13, and, for the smallest programs, the unbounded search with
// and without the sleep sets.
func BenchmarkReduction(b *testing.B) {
	progs := []struct{ name, path string }{
		{"bench", "testdata/bench.ops"},
		{"modtimer_cas_races_runtimer", "../../corpus/concurrent/modtimer_cas_races_runtimer.ops"},
		{"two_resetters_one_stealer", "../../corpus/concurrent/two_resetters_one_stealer.ops"},
	}
	unbounded := []struct{ name, path string }{
		{"two_stops", "testdata/two_stops.ops"},
		{"stop_vs_check", "testdata/stop_vs_check.ops"},
	}
	for _, pr := range unbounded {
		p, _, err := ops.ReadConcFile(pr.path)
		if err != nil {
			b.Fatal(err)
		}
		for _, red := range []bool{true, false} {
			name := pr.name + "/unbounded/sleepsets"
			if !red {
				name = pr.name + "/unbounded/unreduced"
			}
			b.Run(name, func(b *testing.B) {
				var schedules int
				for b.Loop() {
					r, err := Pair(oldimpl.Impl, newimpl.Impl, p, Options{Bound: -1, NoReduction: !red})
					if err != nil {
						b.Fatal(err)
					}
					if !r.Old.Complete || !r.New.Complete {
						b.Fatal("incomplete")
					}
					schedules = r.Old.Schedules + r.New.Schedules
				}
				b.ReportMetric(float64(schedules), "schedules/op")
			})
		}
	}
	for _, pr := range progs {
		p, _, err := ops.ReadConcFile(pr.path)
		if err != nil {
			b.Fatal(err)
		}
		for _, red := range []bool{true, false} {
			name := pr.name + "/bound2/reduced"
			if !red {
				name = pr.name + "/bound2/unreduced"
			}
			b.Run(name, func(b *testing.B) {
				var schedules int
				for b.Loop() {
					r, err := Pair(oldimpl.Impl, newimpl.Impl, p, Options{Bound: 2, NoReduction: !red})
					if err != nil {
						b.Fatal(err)
					}
					schedules = r.Old.Schedules + r.New.Schedules
				}
				b.ReportMetric(float64(schedules), "schedules/op")
			})
		}
	}
}
