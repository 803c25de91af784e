// Package oracle says what a concurrent run shows that the runtime must
// not do: the problems of one trace, as typed values that every surface
// (the fuzz targets, the corpus tests, replay, explore, minimize, the
// campaign) judges the same way.
//
// Invariants:
//   - Of is a pure function of the trace: the same trace, the same
//     problems, in the same order (setup, then threads, then the
//     scheduler runs; then lock order, heap, idle Ps, stuck timers).
//   - Every Problem has a Kind and a Class. Two problems are the Same
//     when both are equal: the Class is the Text with what varies between
//     interleavings and versions taken out (numbers, the functions where a
//     hang happened), so that a problem of the new version can be matched
//     with the same problem of the old one under another schedule.
//   - Every Problem of Of has a Signature: its cause (Kind, the time.go
//     site that broke the invariant, the move before it), made from the
//     trace's typed causes (port.Cause), never from the text. Problems
//     of many runs group by Signature.Key, which names functions, not
//     lines: the judge matches the old version's problems with Same,
//     the reports and the known findings (package known) with the Key.
//   - Nothing here decides whether a problem is the new version's alone:
//     that is package check's judge, which asks the old version.
package oracle

import (
	"fmt"
	"strings"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// Kind names an oracle.
type Kind string

const (
	Hang      Kind = "hang"                 // deadlock, livelock, or a call past the step budget
	Throw     Kind = "throw"                // throw, badTimer, or a crash the runtime would die of
	Heap      Kind = "heap invariant"       // verifyTimerHeap's and the counters', after the threads or when a timersLock is released
	IdleAdd   Kind = "timer on idle P"      // a timer in the heap of an idle P whose timerpMask bit is clear (updateTimerPMask's assumption)
	DeadAdd   Kind = "timer on destroyed P" // a timer in the heap of a P that procresize destroyed
	LockOrder Kind = "lock order"           // a pair of locks against mklockrank's order, or a cycle two Ms can deadlock on
	Unnoticed Kind = "unnoticed timer"      // after the threads: a timer no M will look at until its idle P is next acquired
	Lost      Kind = "lost timer"           // after the threads: a due timer the scheduler's paths did not run
	Tester    Kind = "tester bug"           // the adapter refused the program: bad input that passed validation
)

// Problem is one thing a run showed that the runtime must not do.
type Problem struct {
	Kind  Kind
	Class string // what Same compares (see the package doc)
	Text  string // the sentence for people
	Sig   Signature
}

// Signature is a problem's cause, for grouping the problems of many runs:
// its kind, the place in the port's time.go that broke the invariant,
// and the move that preceded it, all from typed trace data
// (port.Cause), never from the text.
//
// Two problems have the same cause when their Keys are equal: the Key
// names functions and calls, not lines, so that the same code in two
// ports, and the same cause under two schedules, group together.
type Signature struct {
	Kind Kind
	// Where is the time.go call that broke the invariant: for a timer
	// on an idle or destroyed P (and a stuck timer put there), the call
	// of doaddtimer that added it; for a throw or hang, the call that
	// threw or waited; for a heap check during the run, the unlock of
	// the timersLock at which it failed. Zero when there is none (lock
	// order, checks after the threads).
	Where sim.Site
	// Move is, for a timer added to a P its goroutine no longer held,
	// the safe point at which that goroutine was preempted and resumed
	// on another P (sim.M.Moved): the call whose prologue it was, or
	// the safe point's name outside time.go. Zero otherwise (see
	// port.Cause).
	Move sim.Site
	// What tells apart the problems of one Kind that a site does not:
	// the Class (the message of a throw, the heap invariant, the pair of
	// lock classes), or the kind of stuck timer. It is "" for a timer
	// on an idle or destroyed P with a Where, whose Class only counts
	// timers.
	What string
}

// Key is the signature's identity: kind, what, and the functions and
// calls of Where and Move, without files and lines.
func (s Signature) Key() string {
	k := string(s.Kind)
	if s.What != "" {
		k += ": " + s.What
	}
	if w := s.Where.Ident(); w != "" {
		k += " | at " + w
	}
	if m := s.Move.Ident(); m != "" {
		k += " | moved at " + m
	}
	return k
}

// String is the signature for people, with the port's file and lines:
// "timer on idle P at modtimer -> doaddtimer (newimpl/time.go:369),
// after a move at modtimer -> lock (newimpl/time.go:367)".
func (s Signature) String() string {
	b := string(s.Kind)
	if s.What != "" {
		b += ": " + s.What
	}
	if !s.Where.IsZero() {
		b += " at " + s.Where.String()
	}
	if !s.Move.IsZero() {
		b += ", after a move at " + s.Move.String()
	}
	return b
}

func (p Problem) String() string { return p.Text }

// Same reports whether p and q are the same problem: the same Kind and
// Class.
func (p Problem) Same(q Problem) bool { return p.Kind == q.Kind && p.Class == q.Class }

// SameCause reports whether p and q have the same signature (Key): the
// same kind, broken at the same time.go call after a move at the same
// safe point.
func (p Problem) SameCause(q Problem) bool { return p.Sig.Key() == q.Sig.Key() }

// Key is Kind and Class in one string, for maps and grouping.
func (p Problem) Key() string { return string(p.Kind) + ": " + p.Class }

// Of lists the problems a concurrent run shows.
func Of(tr *run.ConcTrace) []Problem {
	var out []Problem
	addCause := func(k Kind, class, text, what string, c port.Cause) {
		out = append(out, Problem{Kind: k, Class: class, Text: text, Sig: Signature{Kind: k, Where: c.Where, Move: c.Move, What: what}})
	}
	add := func(k Kind, class, text string) { addCause(k, class, text, class, port.Cause{}) }
	// siteOr is what for a problem with a site, class without one.
	siteOr := func(what, class string, c port.Cause) string {
		if c.Where.IsZero() {
			return class
		}
		return what
	}
	if tr.Err != "" {
		add(Tester, tr.Err, "the adapter refused the threads (a tester bug): "+tr.Err)
	}
	step := func(where string, s *run.Step) {
		switch {
		case s.Err != "":
			add(Tester, s.Err, fmt.Sprintf("the adapter refused %s (a tester bug): %v: %s", where, s.Call, s.Err))
		case s.Out.Hang != "":
			kind := s.Out.HangKind.String()
			class := kind + " in " + numbers(s.Call.String())
			addCause(Hang, class,
				fmt.Sprintf("%s at %s: %v -> %s", kind, where, s.Call, s.Out.Result(s.Call.Kind)), class, s.Out.Cause)
		case s.Out.Throw != "":
			addCause(Throw, s.Out.Throw, fmt.Sprintf("throw %q at %s: %v, in %s", s.Out.Throw, where, s.Call, s.Out.Where), s.Out.Throw, s.Out.Cause)
		}
	}
	// Only a step with a problem needs its where: most have none, and
	// Of runs on every schedule of a search.
	for i := range tr.Setup {
		if problem(&tr.Setup[i]) {
			step(fmt.Sprintf("setup op %d", i), &tr.Setup[i])
		}
	}
	for i, th := range tr.Threads {
		for k := range th {
			if problem(&th[k]) {
				step(fmt.Sprintf("M%d call %d", i, k), &th[k])
			}
		}
	}
	for _, sr := range tr.Sched {
		for k := range sr.Outcomes {
			s := run.Step{Call: sr.Calls[k], Out: sr.Outcomes[k]}
			if problem(&s) {
				step(fmt.Sprintf("M%d (the scheduler on P%d)", sr.M, sr.P), &s)
			}
		}
	}
	for _, e := range tr.LockEdges {
		if !e.RankOK {
			add(LockOrder, e.From+" -> "+e.To, "lock rank violation: "+e.String())
		}
	}
	for _, c := range tr.LockCycles {
		add(LockOrder, "cycle "+c, "lock-order cycle, a potential deadlock: "+c)
	}
	for i, b := range tr.Bad {
		addCause(Heap, numbers(b), "heap invariant: "+b, numbers(b), causeAt(tr.BadCause, i))
	}
	for i, b := range tr.IdleAdds {
		c := causeAt(tr.IdleAddCause, i)
		addCause(IdleAdd, numbers(b), b, siteOr("", numbers(b), c), c)
	}
	for i, b := range tr.DeadAdds {
		c := causeAt(tr.DeadAddCause, i)
		addCause(DeadAdd, numbers(b), b, siteOr("", numbers(b), c), c)
	}
	for _, l := range tr.Lost {
		k := Lost
		if l.Kind == run.Unnoticed {
			k = Unnoticed
		}
		class := l.Kind.String() + ": " + numbers(l.Text)
		what := l.Kind.String()
		if what == string(k) {
			what = ""
		}
		addCause(k, class, l.Text, siteOr(what, class, l.Cause), l.Cause)
	}
	return out
}

// causeAt is cs[i], or the zero Cause if cs is short (a trace made by
// hand).
func causeAt(cs []port.Cause, i int) port.Cause {
	if i < len(cs) {
		return cs[i]
	}
	return port.Cause{}
}

// problem reports whether Of's step adds a problem for s.
func problem(s *run.Step) bool { return s.Err != "" || s.Out.Hang != "" || s.Out.Throw != "" }

// OfSerial lists the problems of a sequential run that Same can match
// with a concurrent run's: throws and heap invariants after its last step.
func OfSerial(tr *run.Trace) []Problem {
	var out []Problem
	for _, s := range tr.Steps {
		if s.Out.Throw != "" {
			out = append(out, Problem{Kind: Throw, Class: s.Out.Throw, Text: fmt.Sprintf("throw %q: %v", s.Out.Throw, s.Call),
				Sig: Signature{Kind: Throw, What: s.Out.Throw, Where: s.Out.Cause.Where}})
		}
	}
	if n := len(tr.Steps); n > 0 {
		for _, b := range tr.Steps[n-1].Bad {
			out = append(out, Problem{Kind: Heap, Class: numbers(b), Text: "heap invariant: " + b, Sig: Signature{Kind: Heap, What: numbers(b)}})
		}
	}
	return out
}

// Edges lists the lock-order problems of a set of edges and cycles (of a
// sequential run, say).
func Edges(edges []port.LockEdge, cycles []string) []Problem {
	tr := run.ConcTrace{LockEdges: edges, LockCycles: cycles}
	return Of(&tr)
}

// numbers replaces every number in s by N: the counts and times of one
// problem differ between interleavings ("P0 numTimers=2 but the heap
// holds 0" and "... numTimers=3 ... 1"). A number is what the regexp
// -?[0-9]+ matches, leftmost first (digitsRE, which the test compares
// it with); it is done by hand because Of calls it on every schedule.
func numbers(s string) string {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return s
	}
	if i > 0 && s[i-1] == '-' {
		i--
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for i < len(s) {
		c := s[i]
		j := i
		if c == '-' && j+1 < len(s) && isDigit(s[j+1]) {
			j++
		}
		if !isDigit(s[j]) {
			b = append(b, c)
			i++
			continue
		}
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		b = append(b, 'N')
		i = j
	}
	return string(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
