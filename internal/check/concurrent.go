package check

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/ops"
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
	Problems []Problem // the new version's, that fail the run
	Shared   []string  // what the old version shows too (upstream properties)
	Known    []string  // the old version's lock-order defects the new one does not have
}

// OK reports whether the new version showed no problem.
func (r *ConcResult) OK() bool { return len(r.Problems) == 0 }

// ProblemKind names what a Problem is about; a minimizer keeps the kind
// (and the Class) of the problem it shrinks.
type ProblemKind string

const (
	ProblemHang      ProblemKind = "hang"             // deadlock, livelock, or a step-budget loop the old version does not show
	ProblemThrow     ProblemKind = "throw"            // a throw or crash the old version does not show
	ProblemInvariant ProblemKind = "invariant"        // a heap invariant broken after the threads, only by the new version
	ProblemLockOrder ProblemKind = "lock order"       // a rank violation or a cycle of lock classes
	ProblemLost      ProblemKind = "lost timer"       // a due timer no checkTimers will run (run.Lost)
	ProblemDrain     ProblemKind = "lost-timer drain" // the lost-timer drain threw or hung, only in the new version
	ProblemTester    ProblemKind = "tester bug"       // the adapter refused a call: the program is bad input
)

// Problem is one thing the new version must not do.
type Problem struct {
	Kind ProblemKind
	// Class refines Kind for Same: the throw message; the invariant or
	// drain message with its numbers replaced by N; "" for the others.
	Class string
	Text  string // the sentence for people
}

func (p Problem) String() string { return p.Text }

// Same reports whether p and q are the same problem for minimization:
// the same Kind and Class.
func (p Problem) Same(q Problem) bool { return p.Kind == q.Kind && p.Class == q.Class }

// Conc runs p on the old and the new version and judges the new one; see
// ConcPair.
func Conc(p ops.ConcProgram, choose func() sim.Chooser) *ConcResult {
	return ConcPair(Old, New, p, choose, false)
}

// oldSchedules is how many PCT schedules, besides its own, the old version
// is tried under before a throw or invariant violation of the new version
// is called new: "the old version does not show it under SOME schedule"
// is approximated by these.
const oldSchedules = 12

// maxLinearizations bounds the call-level interleavings of the old
// version tried before a throw or invariant violation is called new.
const maxLinearizations = 256

// ConcPair runs p's setup and threads on oldImpl and on newImpl, each
// under a fresh chooser from choose (called exactly twice: for the old
// version first, then for the new), and judges the new version. With
// record, both traces hold every event (for package timeline). p's own
// Schedule is not used: choose decides. p must be shaped as
// ops.ConcProgram.ValidateShape wants (the adapter refuses the rest, a
// ProblemTester).
//
// The new version has a Problem when it:
//   - hangs (deadlock or livelock) in the setup or the threads; a call
//     past the step budget is a problem unless the old version's same
//     functions run past it too (a periodic timer pinned at maxWhen with
//     the clock there refires forever in both: shared);
//   - throws or crashes, unless the old version throws the same message
//     under its own schedule, the new version's schedule, one of
//     oldSchedules PCT schedules or one of maxLinearizations interleavings
//     of whole calls (a shared throw: an upstream property, such as a
//     when <= 0, or a startTimer of a timer another M just ran);
//   - breaks a heap invariant after the threads that the old version does
//     not break in one of those runs (shared ones are listed in Shared);
//   - takes locks against the declared rank order, or in a cycle;
//   - loses a timer (run.Lost): due, and never run by checkTimers; or
//     makes the lost-timer drain itself throw or hang where the old
//     version's drain does not.
//
// Known lists the old version's rank violations and cycles that the new
// version does not show (the timer -> timers inversion the commit
// removes): defects of the old code, never problems.
func ConcPair(oldImpl, newImpl port.Impl, p ops.ConcProgram, choose func() sim.Chooser, record bool) *ConcResult {
	r := &ConcResult{Program: p}
	cfg := p.Config()
	r.Old = run.RunConcurrent(oldImpl, cfg, p.Ops, p.Threads, choose(), record)
	r.New = run.RunConcurrent(newImpl, cfg, p.Ops, p.Threads, choose(), record)
	r.Problems = newProblems(&r.New)
	r.Known = knownDefects(&r.Old, &r.New)

	// Throws and invariant violations are problems only if the old version
	// does not show them too under some schedule.
	throw := throwOf(&r.New)
	budget := budgetHangOf(&r.New)
	bad := r.New.Bad
	var drain []string // the lost-timer drain itself threw or hung
	for _, l := range r.New.Lost {
		if strings.HasPrefix(l, "drain:") {
			drain = append(drain, l)
		}
	}
	if throw == "" && budget == nil && len(bad) == 0 && len(drain) == 0 {
		return r
	}
	// The old version's runs, made only as far as needed: its own, then
	// the new version's schedule, then PCT schedules.
	olds := []*run.ConcTrace{&r.Old}
	oldShows := func(pred func(o *run.ConcTrace) bool) bool {
		for i := 0; ; i++ {
			if i == len(olds) {
				if i > 1+oldSchedules {
					return false
				}
				var ch sim.Chooser = sched.Replay(r.New.Choices)
				if i > 1 {
					seed := uint64(i - 2)
					ch = &sched.PCT{Seed: seed, Depth: 1 + int(seed%3)}
				}
				tr := run.RunConcurrent(oldImpl, cfg, p.Ops, p.Threads, ch, false)
				olds = append(olds, &tr)
			}
			if pred(olds[i]) {
				return true
			}
		}
	}
	// The old version's sequential runs of the calls interleaved whole
	// (each call atomic), as far as needed.
	lins := linearizations(p.Threads, maxLinearizations)
	var serial []run.Trace
	serialShows := func(pred func(tr *run.Trace) bool) bool {
		for i := range lins {
			if i == len(serial) {
				serial = append(serial, run.Run(oldImpl, cfg, append(slices.Clone(p.Ops), lins[i]...)))
			}
			if pred(&serial[i]) {
				return true
			}
		}
		return false
	}
	if throw != "" {
		msg := fmt.Sprintf("throw %q", throw)
		if oldShows(func(o *run.ConcTrace) bool { return throwOf(o) == throw }) || serialShows(func(tr *run.Trace) bool {
			return slices.ContainsFunc(tr.Steps, func(s run.Step) bool { return s.Out.Throw == throw })
		}) {
			r.Shared = append(r.Shared, msg+" (the old version throws it too)")
		} else {
			r.Problems = append(r.Problems, Problem{ProblemThrow, throw,
				msg + " that the old version does not show under its own, the new version's, " + fmt.Sprint(oldSchedules) + " PCT schedules or whole-call interleavings"})
		}
	}
	if budget != nil {
		// A call that runs past the step budget in both versions, in the
		// same functions, is an upstream loop (a periodic timer pinned at
		// maxWhen with the clock there refires forever), not a hang of
		// the new version's locking.
		msg := fmt.Sprintf("hang: %v -> %s", budget.Call, budget.Out.Result(budget.Call.Kind))
		if oldShows(func(o *run.ConcTrace) bool {
			h := budgetHangOf(o)
			return h != nil && h.Out.Where == budget.Out.Where
		}) {
			r.Shared = append(r.Shared, msg+" (the old version too)")
		} else {
			r.Problems = append(r.Problems, Problem{ProblemHang, "", msg})
		}
	}
	for _, b := range bad {
		if oldShows(func(o *run.ConcTrace) bool {
			return slices.ContainsFunc(o.Bad, func(ob string) bool { return sameClass(ob, b) })
		}) || serialShows(func(tr *run.Trace) bool {
			if len(tr.Steps) == 0 {
				return false
			}
			last := tr.Steps[len(tr.Steps)-1]
			return slices.ContainsFunc(last.Bad, func(ob string) bool { return sameClass(ob, b) })
		}) {
			r.Shared = append(r.Shared, "invariant: "+b+" (the old version breaks it too)")
		} else {
			r.Problems = append(r.Problems, Problem{ProblemInvariant, class(b), "invariant after the threads: " + b})
		}
	}
	// A drain that hangs or throws in both versions is an upstream
	// property (a periodic timer pinned at maxWhen with the clock there
	// runs forever), not a lost timer.
	for _, d := range drain {
		if oldShows(func(o *run.ConcTrace) bool {
			return slices.ContainsFunc(o.Lost, func(ol string) bool { return sameClass(ol, d) })
		}) {
			r.Shared = append(r.Shared, "lost-timer "+d+" (the old version's drain does it too)")
		} else {
			r.Problems = append(r.Problems, Problem{ProblemDrain, class(d), "lost-timer " + d})
		}
	}
	return r
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

// sameClass reports whether two invariant violations are the same but
// for their numbers: under different interleavings the counts differ
// ("P0 numTimers=2 but the heap holds 0" and "... numTimers=3 ... 1").
func sameClass(a, b string) bool { return class(a) == class(b) }

// class is a message with its numbers replaced by N.
func class(s string) string { return digits.ReplaceAllString(s, "N") }

var digits = regexp.MustCompile(`-?[0-9]+`)

// newProblems lists what the new version must never do, whatever the old
// one does: refuse the program, hang, take locks out of order, lose a
// timer.
func newProblems(tr *run.ConcTrace) []Problem {
	var out []Problem
	if tr.Err != "" {
		out = append(out, Problem{ProblemTester, "", "the adapter refused the threads (a tester bug): " + tr.Err})
	}
	each := func(f func(where string, s *run.Step)) {
		for i := range tr.Setup {
			f(fmt.Sprintf("setup op %d", i), &tr.Setup[i])
		}
		for i, th := range tr.Threads {
			for k := range th {
				f(fmt.Sprintf("M%d call %d", i, k), &th[k])
			}
		}
	}
	each(func(where string, s *run.Step) {
		if s.Out.Hang != "" && !strings.HasPrefix(s.Out.Hang, "step budget") {
			out = append(out, Problem{ProblemHang, "", fmt.Sprintf("hang at %s: %v -> %s", where, s.Call, s.Out.Result(s.Call.Kind))})
		}
		if s.Err != "" {
			out = append(out, Problem{ProblemTester, "", fmt.Sprintf("the adapter refused %s (a tester bug): %v: %s", where, s.Call, s.Err)})
		}
	})
	for _, e := range tr.LockEdges {
		if !e.RankOK {
			out = append(out, Problem{ProblemLockOrder, "", "lock rank violation: " + e.String()})
		}
	}
	for _, c := range tr.LockCycles {
		out = append(out, Problem{ProblemLockOrder, "", "lock-order cycle: " + c})
	}
	for _, l := range tr.Lost {
		if !strings.HasPrefix(l, "drain:") {
			out = append(out, Problem{ProblemLost, "", "lost timer: " + l})
		}
	}
	return out
}

// knownDefects lists the old version's rank violations and lock-order
// cycles that the new version's run does not show.
func knownDefects(old, new *run.ConcTrace) []string {
	var out []string
	for _, e := range old.LockEdges {
		if !e.RankOK && !slices.ContainsFunc(new.LockEdges, func(n port.LockEdge) bool { return n.String() == e.String() }) {
			out = append(out, "lock rank violation: "+e.String())
		}
	}
	for _, c := range old.LockCycles {
		if !slices.Contains(new.LockCycles, c) {
			out = append(out, "lock-order cycle: "+c)
		}
	}
	return out
}

// budgetHangOf returns the step that ran past the step budget, or nil.
func budgetHangOf(tr *run.ConcTrace) *run.Step {
	for i := range tr.Setup {
		if strings.HasPrefix(tr.Setup[i].Out.Hang, "step budget") {
			return &tr.Setup[i]
		}
	}
	for _, th := range tr.Threads {
		for k := range th {
			if strings.HasPrefix(th[k].Out.Hang, "step budget") {
				return &th[k]
			}
		}
	}
	return nil
}

// throwOf returns the first throw or crash message of a run, or "".
func throwOf(tr *run.ConcTrace) string {
	for _, s := range tr.Setup {
		if s.Out.Throw != "" {
			return s.Out.Throw
		}
	}
	for _, th := range tr.Threads {
		for _, s := range th {
			if s.Out.Throw != "" {
				return s.Out.Throw
			}
		}
	}
	return ""
}

// Failure explains a result with problems: the problems, the program with
// the schedule line that replays the new version's run, both runs, and
// repro, the line that re-runs the case. It is "" when there is no
// problem.
func (r *ConcResult) Failure(repro string) string {
	if r.OK() {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "the new version:\n")
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "  %s\n", p)
	}
	for _, s := range r.Shared {
		fmt.Fprintf(&b, "  (shared) %s\n", s)
	}
	for _, k := range r.Known {
		fmt.Fprintf(&b, "  (known, the old version alone) %s\n", k)
	}
	fmt.Fprintf(&b, "program, with the new version's schedule (%d preemptions):\n%s", r.New.Preemptions, r.Replayable().Script())
	fmt.Fprintf(&b, "new:\n%s", traceText(&r.New))
	fmt.Fprintf(&b, "old (its own schedule: %v):\n%s", sched.Schedule(r.Old.Choices), traceText(&r.Old))
	fmt.Fprintf(&b, "To re-run: %s\n", repro)
	fmt.Fprintf(&b, "Or save the program above as corpus/concurrent/NAME.ops and run: go test ./fuzz -run='TestConcurrentCorpus/NAME.ops'\n")
	return b.String()
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
	for _, l := range tr.Lost {
		fmt.Fprintf(&b, "  lost: %s\n", l)
	}
	for _, l := range tr.Bad {
		fmt.Fprintf(&b, "  invariant: %s\n", l)
	}
	return b.String()
}
