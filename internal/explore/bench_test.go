package explore

import (
	"runtime/debug"
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

// BenchmarkUnbounded is the unbounded search (no moves, with the
// reduction) of the two-M corpus programs it runs to completion within
// 250,000 schedules a version (11 of 13: not modtimer_cas_races_runtimer
// and its twin modtimer_spins_on_runtimer), both versions in parallel,
// as `difftest explore -complete` runs them: with the GC target difftest
// sets (1000%, cmd/difftest tuneGC), since the search keeps a few MB
// live and allocates hundreds of MB a second. Issue 13's goal: each
// under 10 s.
//
//	go test ./internal/explore -run '^$' -bench Unbounded -benchtime 1x
func BenchmarkUnbounded(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(1000))
	for _, name := range []string{
		"adjusttimers_vs_modtimer",
		"deltimer_spins_on_runtimer",
		"deltimer_vs_runtimer",
		"drain_periodic_at_maxwhen",
		"modtimer_nextwhen_under_lock",
		"modtimer_removed_scheduled",
		"modtimer_removed_vs_steal",
		"periodic_vs_ticker_reset",
		"sleep_vs_steal",
		"stop_restart_vs_owner",
		"wake_time_vs_modtimer",
	} {
		b.Run(name, func(b *testing.B) {
			p, _, err := ops.ReadConcFile("../../corpus/concurrent/" + name + ".ops")
			if err != nil {
				b.Fatal(err)
			}
			var schedules int
			for b.Loop() {
				r, err := Pair(oldimpl.Impl, newimpl.Impl, p, Options{Bound: -1, Max: 250_000})
				if err != nil {
					b.Fatal(err)
				}
				if !r.Old.Complete || !r.New.Complete {
					b.Fatalf("not complete within 250,000 schedules: %d + %d", r.Old.Schedules, r.New.Schedules)
				}
				schedules = r.Old.Schedules + r.New.Schedules
			}
			b.ReportMetric(float64(schedules), "schedules/op")
		})
	}
}
