package explore

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// Options bound an exploration.
type Options struct {
	// Bound is the most preemptions a schedule may have; Bound < 0 (the
	// unbounded mode) means any number: every schedule, up to the
	// partial-order reduction of rules 7 and 8 of the package doc.
	Bound int
	// Moves bounds, in the unbounded mode only, the moves per schedule
	// (preemptions of a goroutine at a safe point, missed rescues): with
	// none bounded the schedules never end, a goroutine being preemptible
	// again at the safe point where it resumes.
	Moves int
	// Max caps the schedules run; 0 means no cap.
	Max int
	// NoReduction turns off the partial-order reduction of the
	// unbounded mode (rules 7 to 9 of the package doc) and BoundedSleep.
	NoReduction bool
	// BoundedSleep turns on the bounded search's reduction (rule 3): at a
	// choice point it does not run an M whose next step sleeps, a step
	// that a sibling schedule ran first at an ancestor and that the
	// schedule running it there costs no more preemptions. Off by
	// default: like the unbounded mode's reduction it rests on rule 7's
	// relation, which a version that breaks its locking escapes (rule
	// 7, "What the relation presumes"); difftest explore -reduce turns it
	// on. NoReduction turns it off.
	BoundedSleep bool
	// NoSpinCut keeps, in the reduced unbounded mode, the runs in which
	// a spinning M goes on (rule 9 leaves them out): for comparisons.
	NoSpinCut bool
	// BreakContract lets Pair run a program that breaks the API contract
	// (see ops.ConcProgram.ValidateShape): two threads on one timer, stop
	// or reset timer functions. What such a run finds is not a finding
	// about the commit: callers must label it so.
	BreakContract bool
	// Progress, if not nil, is called after every schedule with the
	// version's name, the schedules run and the distinct outcomes so far.
	// Pair calls it from two goroutines at once, one per version.
	Progress func(impl string, schedules, outcomes int)
	// Visit, if not nil, is called with every schedule's trace.
	Visit func(tr *run.ConcTrace)
}

// Result is what one version reached on one program.
type Result struct {
	Impl      string
	Bound     int
	Schedules int  // schedules run
	Complete  bool // every schedule within the bound was run (Max did not cut the search)
	// Points is the number of choice points of the longest schedule.
	// In the unbounded mode, Pruned counts the Ms that could run at a
	// choice point and that the partial-order reduction never ran there
	// (rule 8), and Slept the alternatives asked for but asleep (rule 7).
	Points, Pruned, Slept int
	// Blocked counts, in the unbounded mode, the runs in which an M
	// took a step that was asleep (rule 8): from there on they only
	// repeat traces, and the search keeps them only up to that step.
	Blocked int
	// Cut counts, in the unbounded mode, the runs cut at a spin (rule
	// 9): not schedules of the program, they reach no outcome. Max caps
	// Schedules and Cut together.
	Cut int
	// Escaped counts the outcomes and findings that the check of a
	// reduced search (rule 10), the bounded search without reduction at
	// a lower bound, reached and the reduced search did not: the version under
	// test escapes the relation's presumption (rule 7). They are added
	// to Outcomes and Findings, and the search is not Complete.
	Escaped int
	// Unreduced: a run of the reduced unbounded search took the
	// FairSlice switch, which the dependence relation does not cover, so
	// the search was done again without the reduction.
	Unreduced bool
	Outcomes  []Reached // the distinct outcomes, sorted by Key
	Findings  []Finding // sorted by Kind, then What
}

// Reached is a distinct outcome with the first schedule that reached it.
type Reached struct {
	Outcome     Outcome
	Witness     sched.Schedule
	Preemptions int // of the witness
	Count       int // schedules that reached it
}

// Finding is what an oracle saw in some schedules: a problem (package
// oracle), the first schedule that showed it and how many did.
type Finding struct {
	oracle.Problem
	Witness sched.Schedule // the first schedule that showed it
	Count   int            // schedules that showed it
}

func (f *Finding) String() string {
	return fmt.Sprintf("%s: %s (%d schedules; first: %s)", f.Kind, f.Text, f.Count, f.Witness.Line())
}

// ErrNondeterministic means a run did not follow the choices that an
// earlier run with the same prefix made possible: a bug in the tester.
var ErrNondeterministic = errors.New("explore: a re-execution left the recorded schedule")

// Explore runs every schedule of the program (setup, then threads) on impl
// within opt's bounds. It returns an error if the program is refused by
// the adapter (bad input) or the runs are not deterministic.
func Explore(impl port.Impl, cfg port.Config, setup []port.Call, threads []port.Thread, opt Options) (*Result, error) {
	return explore(impl, cfg, setup, threads, opt, nil)
}

func explore(impl port.Impl, cfg port.Config, setup []port.Call, threads []port.Thread, opt Options, observe func(*run.ConcTrace)) (*Result, error) {
	e := newExplorer(impl, cfg, setup, threads, opt, observe)
	if err := e.search(); err != nil {
		return nil, err
	}
	if e.unfair {
		// Sound only without the sleep sets: start again.
		opt.NoReduction = true
		e = newExplorer(impl, cfg, setup, threads, opt, observe)
		if err := e.search(); err != nil {
			return nil, err
		}
		e.res.Unreduced = true
	}
	if e.reduce || e.boundedSleep {
		if err := e.crossCheck(); err != nil {
			return nil, err
		}
	}
	r := e.res
	slices.SortFunc(r.Outcomes, func(a, b Reached) int { return strings.Compare(a.Outcome.Key(), b.Outcome.Key()) })
	slices.SortFunc(r.Findings, func(a, b Finding) int {
		if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
			return c
		}
		return strings.Compare(a.Text, b.Text)
	})
	return r, nil
}

func newExplorer(impl port.Impl, cfg port.Config, setup []port.Call, threads []port.Thread, opt Options, observe func(*run.ConcTrace)) *explorer {
	return &explorer{
		impl: impl, cfg: cfg, setup: setup, threads: threads, opt: opt,
		reduce:       opt.Bound < 0 && !opt.NoReduction,
		boundedSleep: opt.Bound >= 0 && opt.BoundedSleep && !opt.NoReduction,
		res:          &Result{Impl: impl.Name(), Bound: opt.Bound, Complete: true},
		outcomes:     map[string]int{},
		names:        callNames{},
		observe:      observe,
		findings:     map[string]int{},
	}
}

// Replay runs one schedule of the program on impl: the choices of s, then
// the default. With record, the trace holds every event. It returns an
// error if the run left s (s is not a schedule of this program).
func Replay(impl port.Impl, cfg port.Config, setup []port.Call, threads []port.Thread, s sched.Schedule, record bool) (run.ConcTrace, error) {
	ch := sched.Replay(s)
	tr := run.Concurrent(impl, cfg, setup, threads, ch, record)
	if ch.Misses > 0 || len(tr.Choices) < len(s) || !slices.Equal(tr.Choices[:len(s)], s) {
		return tr, fmt.Errorf("explore: %s: not a schedule of this program (%d choices not followed)", s.Line(), ch.Misses)
	}
	return tr, nil
}

// crossCheckMax caps the check of a reduced search (rule 10): on the
// corpus's programs a bound-1 search runs 3 to 300 schedules, a bound-2
// one up to 23,000; what a capped check runs is still checked.
const crossCheckMax = 50000

// checkBound is the bound of the check of a reduced search with the given
// bound (rule 10): 1 for the unbounded mode, else one less than the
// search's (a tenth to a thirtieth of its schedules), but at least 1
// (0 for a search at bound 0).
func checkBound(bound int) int {
	if bound < 0 {
		return 1
	}
	return max(min(1, bound), bound-1)
}

// crossCheck runs the check of rule 10: the bounded search without
// reduction at checkBound, of which every
// schedule with no more moves than the search allows is one the reduced
// search covers; what such a schedule reaches and the reduced search did
// not is added to the result and counted in Escaped.
func (e *explorer) crossCheck() error {
	bound, moves := checkBound(e.opt.Bound), e.opt.Moves // unbounded: the schedules with no more moves than it allows
	if e.opt.Bound >= 0 {
		moves = e.opt.Bound // every schedule within the smaller bound
	}
	r := e.res
	reached := map[string]bool{}
	for _, o := range r.Outcomes {
		reached[o.Outcome.Key()] = true
	}
	shown := map[string]bool{}
	for _, f := range r.Findings {
		shown[findingKey(f.Problem)] = true
	}
	check := Options{Bound: bound, Max: crossCheckMax, BreakContract: e.opt.BreakContract, Visit: func(tr *run.ConcTrace) {
		if movesOf(tr) > moves {
			return
		}
		s := sched.Schedule(tr.Choices)
		if o := abstract(tr); !reached[o.Key()] {
			reached[o.Key()] = true
			r.Outcomes = append(r.Outcomes, Reached{Outcome: o, Witness: s, Preemptions: tr.Preemptions, Count: 1})
			r.Escaped++
		}
		for _, p := range oracle.Of(tr) {
			if k := findingKey(p); !shown[k] {
				shown[k] = true
				r.Findings = append(r.Findings, Finding{Problem: p, Witness: s, Count: 1})
				r.Escaped++
			}
		}
	}}
	c := newExplorer(e.impl, e.cfg, e.setup, e.threads, check, nil)
	if err := c.search(); err != nil {
		return err
	}
	if r.Escaped > 0 {
		r.Complete = false
	}
	return nil
}

// movesOf counts a run's moves: preemptions at safe points and missed
// rescues, what Options.Moves bounds in the unbounded mode.
func movesOf(tr *run.ConcTrace) int {
	n := 0
	for _, c := range tr.Choices {
		if c >= sim.MigrateMark {
			n++
		}
	}
	return n
}

// findingKey names a finding: its kind, text and signature.
func findingKey(p oracle.Problem) string {
	return string(p.Kind) + "\x00" + p.Text + "\x00" + p.Sig.Key()
}
