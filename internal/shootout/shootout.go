package shootout

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// Detector runs a case's program once under ch and reports whether the
// symptom showed. It must be deterministic given ch's answers, and must
// use ch for that one run only.
type Detector func(ch sim.Chooser) bool

// Hint is what a strategy may know of a case's program.
type Hint struct {
	// Calls holds the number of calls of each thread; thread i runs on
	// M i. Nil if unknown.
	Calls []int
}

// Case is a symptom to detect on a program.
type Case struct {
	Name   string
	Hint   Hint
	Detect Detector
	// Program, if set, is the program Detect runs, for strategies that
	// need it (an exhaustive one, with package explore).
	Program *ops.ConcProgram
}

// ConcCase returns the Case that runs p on impl under the chooser and
// detects symptom in the run's trace.
func ConcCase(name string, impl port.Impl, p ops.ConcProgram, symptom func(tr *run.ConcTrace) bool) Case {
	var calls []int
	for _, th := range p.Threads {
		calls = append(calls, len(th.Calls))
	}
	return Case{
		Name: name,
		Hint: Hint{Calls: calls},
		Detect: func(ch sim.Chooser) bool {
			tr := run.Concurrent(impl, p.Config(), p.Ops, p.Threads, ch, false)
			return symptom(&tr)
		},
		Program: &p,
	}
}

// Strategy is a way of choosing schedules.
type Strategy struct {
	Name string
	// New returns a fresh Chooser for one schedule.
	New func(seed uint64, h Hint) sim.Chooser
	// Exhaustive, if set, replaces New: one trial is one bounded
	// exploration of the case (see the package doc).
	Exhaustive func(c Case, budget int) Trial
}

// BytesLen is how many random bytes a "bytes" schedule gets: more than
// the choice points of a small concurrent program (tens), so that the
// bytes do not run out and leave the rest of the run serial.
const BytesLen = 512

// Standard returns the sampled strategies: "bytes" (sched.Bytes over
// BytesLen bytes from a PCG seeded by the seed: a switch at one choice
// point in eight, a move at one in 32), "pct-d1".."pct-d3" (sched.PCT of
// that depth, its change points spread over the Hint's calls times
// sched.DefaultStepsPerCall, else sched.DefaultSteps), "pos" (BasicPOS),
// "pos-r0.5" (POS with Redraw 0.5), "surw" (sched.SURW with
// sched.CallBudget of the Hint's calls, else every M at
// sched.DefaultBudget). PCT and SURW are wrapped in sched.Moves.
func Standard() []Strategy {
	pct := func(depth int) Strategy {
		return Strategy{Name: fmt.Sprintf("pct-d%d", depth), New: func(seed uint64, h Hint) sim.Chooser {
			steps := 0
			for _, n := range h.Calls {
				steps += n * sched.DefaultStepsPerCall
			}
			return &sched.Moves{Chooser: &sched.PCT{Seed: seed, Depth: depth, Steps: steps}, Seed: seed}
		}}
	}
	return []Strategy{
		{Name: "bytes", New: func(seed uint64, h Hint) sim.Chooser {
			r := rand.New(rand.NewPCG(seed, 0x62797465735f5f5f)) // "bytes___"
			data := make([]byte, BytesLen)
			for i := range data {
				data[i] = byte(r.Uint32())
			}
			return sched.NewBytes(data)
		}},
		pct(1), pct(2), pct(3),
		{Name: "pos", New: func(seed uint64, h Hint) sim.Chooser { return &sched.POS{Seed: seed} }},
		{Name: "pos-r0.5", New: func(seed uint64, h Hint) sim.Chooser { return &sched.POS{Seed: seed, Redraw: 0.5} }},
		{Name: "surw", New: func(seed uint64, h Hint) sim.Chooser {
			var budget []int
			if h.Calls != nil {
				budget = sched.CallBudget(h.Calls, 0)
			}
			return &sched.Moves{Chooser: &sched.SURW{Seed: seed, Budget: budget}, Seed: seed}
		}},
	}
}

// Seed is the seed of the index-th schedule (from 0) of a trial (from 0).
func Seed(trial, index int) uint64 { return uint64(trial)<<32 | uint64(uint32(index)) }

// Trial is one search for the symptom.
type Trial struct {
	Found bool
	// Schedules is the number of schedules run up to and including the
	// first that detected the symptom; all of them (the budget) if none
	// did.
	Schedules int
	// Time is the wall time of those schedules.
	Time time.Duration
	// Seed is the seed of the schedule that detected (when Found).
	Seed uint64
}

// Result is the trials of one Case under one Strategy.
type Result struct {
	Case, Strategy string
	Budget         int
	Trials         []Trial
}

// Run makes trials of c under s, each up to budget schedules (see the
// package doc). An Exhaustive strategy makes one trial.
func Run(c Case, s Strategy, trials, budget int) Result {
	r := Result{Case: c.Name, Strategy: s.Name, Budget: budget}
	if s.Exhaustive != nil {
		r.Trials = []Trial{s.Exhaustive(c, budget)}
		return r
	}
	for t := range trials {
		tr := Trial{}
		start := time.Now()
		for i := range budget {
			seed := Seed(t, i)
			tr.Schedules = i + 1
			if c.Detect(s.New(seed, c.Hint)) {
				tr.Found, tr.Seed = true, seed
				break
			}
		}
		tr.Time = time.Since(start)
		r.Trials = append(r.Trials, tr)
	}
	return r
}

// Found returns the number of trials that detected the symptom.
func (r *Result) Found() int {
	n := 0
	for _, t := range r.Trials {
		if t.Found {
			n++
		}
	}
	return n
}

// Median returns the median trial by schedules to first detection, a
// trial that found nothing counting as worse than any that did; ok is
// false when that median trial found nothing (or there are no trials).
// With an even number of trials it is the lower middle one.
func (r *Result) Median() (schedules int, ok bool) {
	t, ok := r.median(func(a, b Trial) int { return a.Schedules - b.Schedules })
	return t.Schedules, ok
}

// MedianTime is Median for the wall time to first detection.
func (r *Result) MedianTime() (d time.Duration, ok bool) {
	t, ok := r.median(func(a, b Trial) int { return cmpDur(a.Time, b.Time) })
	return t.Time, ok
}

func cmpDur(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (r *Result) median(cmp func(a, b Trial) int) (Trial, bool) {
	if len(r.Trials) == 0 {
		return Trial{}, false
	}
	ts := slices.Clone(r.Trials)
	slices.SortStableFunc(ts, func(a, b Trial) int {
		if a.Found != b.Found {
			if a.Found {
				return -1
			}
			return 1
		}
		return cmp(a, b)
	})
	m := ts[(len(ts)-1)/2]
	return m, m.Found
}

// Table prints one line per Result: the case, the strategy, the trials
// that found the symptom, and the medians of schedules and wall time to
// first detection ("> budget" and "-" when the median trial found
// nothing).
func Table(w io.Writer, rs []Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "case\tstrategy\tfound\tmedian schedules\tmedian time\t")
	for _, r := range rs {
		sch, tm := fmt.Sprintf("> %d", r.Budget), "-"
		if n, ok := r.Median(); ok {
			sch = fmt.Sprint(n)
		}
		if d, ok := r.MedianTime(); ok {
			tm = d.Round(time.Microsecond).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%s\t%s\t\n", r.Case, r.Strategy, r.Found(), len(r.Trials), sch, tm)
	}
	return tw.Flush()
}
