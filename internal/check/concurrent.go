package check

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/explore"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// ConcResult is the verdict on one concurrent program under one pair of
// choosers.
type ConcResult struct {
	Program  ops.ConcProgram
	Old, New run.ConcTrace
	Problems []Problem // the new version's alone: they fail the run
	Shared   []Problem // the new version's that the old version shows too: properties of upstream
	Known    []Problem // the old version's that the new version's run does not show
	// Bound is the preemption bound up to which the old version's
	// schedules were explored to look for the new version's problems
	// (0 if none had to be).
	Bound int
	// Undecided: some of Problems may be shared after all, since the
	// exploration at Bound was cut by MaxSharedSchedules.
	Undecided bool
}

// OK reports whether the new version showed no problem of its own.
func (r *ConcResult) OK() bool { return len(r.Problems) == 0 }

// Problem is one thing the new version must not do (see package oracle).
type Problem = oracle.Problem

// Conc runs p on the old and the new version and judges the new one; see
// ConcPair.
func Conc(p ops.ConcProgram, choose func() sim.Chooser) *ConcResult {
	return ConcPair(Old, New, p, choose, false)
}

// oldSchedules is how many PCT schedules, besides its own and the new
// version's, the old version is tried under before its schedules are
// explored.
const oldSchedules = 12

// maxLinearizations bounds the call-level interleavings of the old
// version tried for a throw or heap invariant.
const maxLinearizations = 256

// The old version's schedules are explored up to as many preemptions as
// the new version's run made (preemptions, moves and missed rescues), at
// least MinSharedBound and at most MaxSharedBound, and at most
// MaxSharedSchedules of them.
const (
	MinSharedBound     = 1
	MaxSharedBound     = 3
	MaxSharedSchedules = 25000
)

// ConcPair runs p's setup and threads on oldImpl and on newImpl, each
// under a fresh chooser from choose (called exactly twice: for the old
// version first, then for the new), and judges the new version: the one
// judge of concurrent runs, which every surface calls. With record, both
// traces hold every event (for package timeline). p's own Schedule is not
// used: choose decides. p must be valid (ops.ConcProgram.Validate); the
// adapter refuses the rest, a Tester problem.
//
// Every problem of the new version's run (oracle.Of) is Shared if the old
// version shows the Same problem in one of these runs, tried in this
// order and only as far as needed:
//   - its own run under its chooser, then the new version's schedule
//     replayed, then oldSchedules PCT schedules;
//   - for throws and heap invariants, up to maxLinearizations sequential
//     runs of the threads' calls interleaved whole;
//   - every schedule of the old version up to as many preemptions as the
//     new version's run made (see MinSharedBound), explored bound by
//     bound; a search cut by MaxSharedSchedules leaves the verdict
//     Undecided.
//
// Otherwise it is one of Problems, except a Tester problem, which is
// always one. Known lists the old version's problems that the new
// version's run does not show (the timer -> timers inversion the commit
// removes).
func ConcPair(oldImpl, newImpl port.Impl, p ops.ConcProgram, choose func() sim.Chooser, record bool) *ConcResult {
	r := &ConcResult{Program: p}
	cfg := p.Config()
	r.Old = run.Concurrent(oldImpl, cfg, p.Ops, p.Threads, choose(), record)
	r.New = run.Concurrent(newImpl, cfg, p.Ops, p.Threads, choose(), record)
	newProbs := oracle.Of(&r.New)
	oldProbs := oracle.Of(&r.Old)
	for _, q := range oldProbs {
		if !slices.ContainsFunc(newProbs, q.Same) {
			r.Known = append(r.Known, q)
		}
	}
	if len(newProbs) == 0 {
		return r
	}
	o := &oldRuns{impl: oldImpl, p: p, cfg: cfg, own: oldProbs, newChoices: r.New.Choices}
	o.bound = min(max(r.New.Preemptions+noRescues(r.New.Choices), MinSharedBound), MaxSharedBound)
	for _, q := range newProbs {
		switch {
		case q.Kind == oracle.Tester:
			r.Problems = append(r.Problems, q)
		case o.shows(q):
			r.Shared = append(r.Shared, q)
		default:
			r.Problems = append(r.Problems, q)
		}
	}
	if len(o.explored) > 0 {
		r.Bound = len(o.explored)
	}
	r.Undecided = o.undecided
	return r
}

// noRescues counts the rescues a schedule made not happen.
func noRescues(s []int) int {
	n := 0
	for _, c := range s {
		if c == sim.NoRescueMark {
			n++
		}
	}
	return n
}

// oldRuns are the old version's runs of one program, made lazily.
type oldRuns struct {
	impl       port.Impl
	p          ops.ConcProgram
	cfg        port.Config
	own        []Problem
	newChoices []int
	bound      int

	others    [][]Problem // the new version's schedule replayed, then PCT schedules
	serial    [][]Problem // linearizations, run sequentially
	lins      [][]port.Call
	explored  []explored // by bound, from MinSharedBound
	undecided bool       // a search was cut by MaxSharedSchedules before it could say
}

func (o *oldRuns) shows(q Problem) bool {
	if slices.ContainsFunc(o.own, q.Same) {
		return true
	}
	for i := 0; i <= oldSchedules; i++ {
		if i == len(o.others) {
			var ch sim.Chooser = sched.Replay(o.newChoices)
			if i > 0 {
				seed := uint64(i - 1)
				ch = &sched.PCT{Seed: seed, Depth: 1 + int(seed%3)}
			}
			tr := run.Concurrent(o.impl, o.cfg, o.p.Ops, o.p.Threads, ch, false)
			o.others = append(o.others, oracle.Of(&tr))
		}
		if slices.ContainsFunc(o.others[i], q.Same) {
			return true
		}
	}
	if q.Kind == oracle.Throw || q.Kind == oracle.Heap {
		if o.lins == nil {
			o.lins = linearizations(o.p.Threads, maxLinearizations)
		}
		for i := range o.lins {
			if i == len(o.serial) {
				tr := run.Run(o.impl, o.cfg, append(slices.Clone(o.p.Ops), o.lins[i]...))
				o.serial = append(o.serial, oracle.OfSerial(&tr))
			}
			if slices.ContainsFunc(o.serial[i], q.Same) {
				return true
			}
		}
	}
	// Every schedule of the old version, bound by bound: most shared
	// problems show at a low bound, and a depth-first search cut by its
	// cap at a high bound may never have tried the early switches.
	for b := MinSharedBound; b <= o.bound; b++ {
		if len(o.explored) < b {
			o.explored = append(o.explored, o.exploreAt(b))
		}
		if slices.ContainsFunc(o.explored[b-1].problems, q.Same) {
			return true
		}
	}
	if !o.explored[o.bound-1].complete {
		o.undecided = true
	}
	return false
}

// explored is what exploring the old version at one bound found.
type explored struct {
	problems []Problem
	complete bool
}

func (o *oldRuns) exploreAt(bound int) explored {
	var e explored
	seen := map[string]bool{}
	res, err := explore.Explore(o.impl, o.cfg, o.p.Ops, o.p.Threads, explore.Options{
		Bound: bound, Max: MaxSharedSchedules,
		Visit: func(tr *run.ConcTrace) {
			for _, x := range oracle.Of(tr) {
				if !seen[x.Key()] {
					seen[x.Key()] = true
					e.problems = append(e.problems, x)
				}
			}
		},
	})
	// An error means the old version refuses the program: it shows
	// nothing.
	e.complete = err != nil || res.Complete
	return e
}

// linearizations returns up to max interleavings of the threads' calls,
// each call whole (as a sequential program runs them: calls not made on
// a P get On 0), in lexicographic order of thread index.
func linearizations(threads []port.Thread, max int) [][]port.Call {
	var out [][]port.Call
	next := make([]int, len(threads))
	var seq []port.Call
	var walk func()
	walk = func() {
		if len(out) >= max {
			return
		}
		done := true
		for i, th := range threads {
			if next[i] == len(th.Calls) {
				continue
			}
			done = false
			c := th.Calls[next[i]]
			if c.Kind == port.Pidleput || c.Kind == port.Pidleget || c.Kind == port.NobarrierWakeTime ||
				c.Kind == port.TimeSleepUntil || c.Kind == port.Advance {
				c.On = 0
			}
			seq = append(seq, c)
			next[i]++
			walk()
			next[i]--
			seq = seq[:len(seq)-1]
		}
		if done {
			out = append(out, slices.Clone(seq))
		}
	}
	walk()
	return out
}

// Failure explains a result with problems: the problems grouped by cause
// (WriteByCause), the program with
// the schedule line that replays the new version's run, both runs, and
// repro, the line that re-runs the case. It is "" when there is no
// problem.
func (r *ConcResult) Failure(repro string) string {
	if r.OK() {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "the new version alone, by cause:\n")
	if r.Undecided {
		fmt.Fprintf(&b, "  (undecided: exploring the old version at bound %d was cut at %d schedules; difftest explore -bound %d decides)\n", r.Bound, MaxSharedSchedules, r.Bound)
	}
	WriteByCause(&b, r.Problems)
	if len(r.Shared) > 0 {
		fmt.Fprintf(&b, "both versions (upstream properties, not failures), by cause:\n")
		WriteByCause(&b, r.Shared)
	}
	if len(r.Known) > 0 {
		fmt.Fprintf(&b, "the old version alone (known):\n")
		for _, k := range r.Known {
			fmt.Fprintf(&b, "  %s: %s\n", k.Kind, k)
		}
	}
	fmt.Fprintf(&b, "program, with the new version's schedule (%d preemptions):\n%s", r.New.Preemptions, r.Replayable().Script())
	fmt.Fprintf(&b, "new:\n%s", traceText(&r.New))
	fmt.Fprintf(&b, "old (its own schedule: %v):\n%s", sched.Schedule(r.Old.Choices), traceText(&r.Old))
	fmt.Fprintf(&b, "To re-run: %s\n", repro)
	fmt.Fprintf(&b, "Known or new: difftest replay of the file says, under each problem, whether a committed finding has its cause. A new finding: save the program above as corpus/findings/NAME.ops with its explanation, list it in fuzz/regress's findingsWant, and run: go test ./fuzz/regress -run='TestFindings/NAME.ops'\n")
	return b.String()
}

// ByCause groups problems by signature (oracle.Signature.Key), in order
// of first appearance.
func ByCause(ps []Problem) [][]Problem {
	var groups [][]Problem
	at := map[string]int{}
	for _, p := range ps {
		k := p.Sig.Key()
		i, ok := at[k]
		if !ok {
			i = len(groups)
			at[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], p)
	}
	return groups
}

// WriteByCause prints problems grouped by cause: each signature, with
// the count when more than one problem has it, then their texts.
func WriteByCause(w io.Writer, ps []Problem) {
	for _, g := range ByCause(ps) {
		count := ""
		if len(g) > 1 {
			count = fmt.Sprintf(" (%d problems)", len(g))
		}
		fmt.Fprintf(w, "  %s%s:\n", g[0].Sig, count)
		for _, p := range g {
			fmt.Fprintf(w, "    %s\n", p)
		}
	}
}

// Replayable returns the program with the schedule line that replays the
// new version's run (sched.Replay of its choices).
func (r *ConcResult) Replayable() ops.ConcProgram {
	q := r.Program
	q.Schedule = sched.Schedule(slices.Clone(r.New.Choices))
	if q.Schedule == nil {
		q.Schedule = sched.Schedule{}
	}
	return q
}

// maxFiresShown bounds the fires printed per call.
const maxFiresShown = 8

// traceText prints a run's calls with their results, one per line.
func traceText(tr *run.ConcTrace) string {
	var b strings.Builder
	line := func(who string, s *run.Step) {
		fmt.Fprintf(&b, "  %s%v -> %s", who, s.Call, s.Out.Result(s.Call.Kind))
		for i, f := range s.Out.Fires {
			if i == maxFiresShown {
				fmt.Fprintf(&b, " [... %d more]", len(s.Out.Fires)-i)
				break
			}
			fmt.Fprintf(&b, " [%v]", f)
		}
		if s.Out.Cut {
			b.WriteString(" (cut)")
		}
		if s.Err != "" {
			b.WriteString(" error: " + s.Err)
		}
		b.WriteByte('\n')
	}
	for i := range tr.Setup {
		line("", &tr.Setup[i])
	}
	for i, th := range tr.Threads {
		for k := range th {
			line(fmt.Sprintf("M%d ", i), &th[k])
		}
	}
	for _, sr := range tr.Sched {
		for k := range sr.Outcomes {
			fmt.Fprintf(&b, "  M%d (scheduler on P%d) %v -> %s\n", sr.M, sr.P, sr.Calls[k], sr.Outcomes[k].Result(sr.Calls[k].Kind))
		}
	}
	for _, l := range tr.IdleAdds {
		fmt.Fprintf(&b, "  idle P: %s\n", l)
	}
	for _, l := range tr.Lost {
		fmt.Fprintf(&b, "  %s: %s\n", l.Kind, l)
	}
	for _, l := range tr.Bad {
		fmt.Fprintf(&b, "  invariant: %s\n", l)
	}
	return b.String()
}
