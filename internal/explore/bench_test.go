package explore

import (
	"fmt"
	"hash/maphash"
	"runtime/debug"
	"testing"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/run"
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

// BenchmarkBoundedSleep sets side by side, in one run, the bounded
// search without and with rule 3's sleep sets (Options.BoundedSleep,
// explore -reduce; its time includes rule 10's check), at bounds 2 to 4
// (3 for the 3-M program, whose bound 4 takes minutes), with the GC
// target difftest sets (as BenchmarkUnbounded).
//
//	go test ./internal/explore -run '^$' -bench BoundedSleep -benchtime 1x -timeout 60m
func BenchmarkBoundedSleep(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(1000))
	for _, pr := range []struct {
		name, path string
		maxBound   int
	}{
		{"bench", "testdata/bench.ops", 4},
		{"modtimer_cas_races_runtimer", "../../corpus/concurrent/modtimer_cas_races_runtimer.ops", 4},
		{"two_resetters_one_stealer", "../../corpus/concurrent/two_resetters_one_stealer.ops", 3},
	} {
		p, _, err := ops.ReadConcFile(pr.path)
		if err != nil {
			b.Fatal(err)
		}
		for bound := 2; bound <= pr.maxBound; bound++ {
			for _, sleep := range []bool{false, true} {
				name := fmt.Sprintf("%s/bound%d/unreduced", pr.name, bound)
				if sleep {
					name = fmt.Sprintf("%s/bound%d/sleep", pr.name, bound)
				}
				b.Run(name, func(b *testing.B) {
					var schedules int
					for b.Loop() {
						r, err := Pair(oldimpl.Impl, newimpl.Impl, p, Options{Bound: bound, BoundedSleep: sleep})
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
}

// BenchmarkUnbounded is the unbounded search (no moves, with the
// reduction) of the 13 two-M corpus programs and the 3-M
// two_resetters_one_stealer, both versions in parallel,
// as `difftest explore -complete` runs them: with the GC target difftest
// sets (1000%, cmd/difftest tuneGC), since the search keeps a few MB
// live and allocates hundreds of MB a second. Issue 13's goal: each two-M
// program under 10 s. Beside it, nocut is the same search without rule
// 9's spin cut (Options.NoSpinCut), for the 12 programs it ends on
// within 250,000 schedules a version.
//
//	go test ./internal/explore -run '^$' -bench Unbounded -benchtime 1x
func BenchmarkUnbounded(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(1000))
	for _, pr := range []struct {
		name  string
		nocut bool // the search without the cut ends within 250,000 schedules a version
	}{
		{"adjusttimers_vs_modtimer", true},
		{"deltimer_spins_on_runtimer", true},
		{"deltimer_vs_runtimer", true},
		{"drain_periodic_at_maxwhen", true},
		{"modtimer_cas_races_runtimer", false},
		{"modtimer_nextwhen_under_lock", true},
		{"modtimer_removed_scheduled", true},
		{"modtimer_removed_vs_steal", true},
		{"modtimer_spins_on_runtimer", false},
		{"periodic_vs_ticker_reset", true},
		{"sleep_vs_steal", true},
		{"stop_restart_vs_owner", true},
		{"two_resetters_one_stealer", true},
		{"wake_time_vs_modtimer", true},
	} {
		p, _, err := ops.ReadConcFile("../../corpus/concurrent/" + pr.name + ".ops")
		if err != nil {
			b.Fatal(err)
		}
		search := func(b *testing.B, opt Options) {
			var schedules, cut int
			for b.Loop() {
				r, err := Pair(oldimpl.Impl, newimpl.Impl, p, opt)
				if err != nil {
					b.Fatal(err)
				}
				if !r.Old.Complete || !r.New.Complete {
					b.Fatalf("not complete within %d schedules: %d + %d", opt.Max, r.Old.Schedules, r.New.Schedules)
				}
				schedules, cut = r.Old.Schedules+r.New.Schedules, r.Old.Cut+r.New.Cut
			}
			b.ReportMetric(float64(schedules), "schedules/op")
			b.ReportMetric(float64(cut), "cut/op")
		}
		b.Run(pr.name+"/cut", func(b *testing.B) { search(b, Options{Bound: -1, Max: 1_000_000}) })
		if pr.nocut {
			b.Run(pr.name+"/nocut", func(b *testing.B) { search(b, Options{Bound: -1, NoSpinCut: true, Max: 250_000}) })
		}
	}
}

// BenchmarkBoundedTraces measures what any reduction of the bounded
// search by rule 7's trace equivalence could gain: it runs the bounded
// search of two_resetters_one_stealer.ops on the new version at bounds 2
// to 4, unreduced (rule 3), and counts the distinct Mazurkiewicz traces
// of its schedules (traceKey): a sound reduction still runs one schedule
// per trace. moved-traces counts those with a move, which the unbounded
// search with no move does not cover. Bound 4 takes about 15 minutes.
//
//	go test ./internal/explore -run '^$' -bench BoundedTraces -benchtime 1x
func BenchmarkBoundedTraces(b *testing.B) {
	p, _, err := ops.ReadConcFile("../../corpus/concurrent/two_resetters_one_stealer.ops")
	if err != nil {
		b.Fatal(err)
	}
	seed := maphash.MakeSeed()
	for bound := 2; bound <= 4; bound++ {
		b.Run(fmt.Sprintf("bound%d", bound), func(b *testing.B) {
			var schedules, traces, moved int
			for b.Loop() {
				all, withMove := map[uint64]bool{}, map[uint64]bool{}
				lastMoves := 0
				opt := Options{Bound: bound, Visit: func(tr *run.ConcTrace) { lastMoves = movesOf(tr) }}
				e := newExplorer(newimpl.Impl, p.Config(), p.Ops, p.Threads, opt, nil)
				e.onRun = func(h *hb, _ bool) {
					k := maphash.String(seed, traceKey(h))
					all[k] = true
					if lastMoves > 0 {
						withMove[k] = true
					}
				}
				if err := e.search(); err != nil {
					b.Fatal(err)
				}
				schedules, traces, moved = e.res.Schedules, len(all), len(withMove)
			}
			b.ReportMetric(float64(schedules), "schedules/op")
			b.ReportMetric(float64(traces), "traces/op")
			b.ReportMetric(float64(moved), "moved-traces/op")
		})
	}
}
