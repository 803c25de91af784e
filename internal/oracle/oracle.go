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
//   - Nothing here decides whether a problem is the new version's alone:
//     that is package check's judge, which asks the old version.
package oracle

import (
	"fmt"
	"strings"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
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
}

func (p Problem) String() string { return p.Text }

// Same reports whether p and q are the same problem: the same Kind and
// Class.
func (p Problem) Same(q Problem) bool { return p.Kind == q.Kind && p.Class == q.Class }

// Key is Kind and Class in one string, for maps and grouping.
func (p Problem) Key() string { return string(p.Kind) + ": " + p.Class }

// Of lists the problems a concurrent run shows.
func Of(tr *run.ConcTrace) []Problem {
	var out []Problem
	add := func(k Kind, class, text string) {
		out = append(out, Problem{Kind: k, Class: class, Text: text})
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
			add(Hang, kind+" in "+numbers(s.Call.String()),
				fmt.Sprintf("%s at %s: %v -> %s", kind, where, s.Call, s.Out.Result(s.Call.Kind)))
		case s.Out.Throw != "":
			add(Throw, s.Out.Throw, fmt.Sprintf("throw %q at %s: %v, in %s", s.Out.Throw, where, s.Call, s.Out.Where))
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
	for _, b := range tr.Bad {
		add(Heap, numbers(b), "heap invariant: "+b)
	}
	for _, b := range tr.IdleAdds {
		add(IdleAdd, numbers(b), b)
	}
	for _, b := range tr.DeadAdds {
		add(DeadAdd, numbers(b), b)
	}
	for _, l := range tr.Lost {
		k := Lost
		if l.Kind == run.Unnoticed {
			k = Unnoticed
		}
		add(k, l.Kind.String()+": "+numbers(l.Text), l.Text)
	}
	return out
}

// problem reports whether Of's step adds a problem for s.
func problem(s *run.Step) bool { return s.Err != "" || s.Out.Hang != "" || s.Out.Throw != "" }

// OfSerial lists the problems of a sequential run that Same can match
// with a concurrent run's: throws and heap invariants after its last step.
func OfSerial(tr *run.Trace) []Problem {
	var out []Problem
	for _, s := range tr.Steps {
		if s.Out.Throw != "" {
			out = append(out, Problem{Kind: Throw, Class: s.Out.Throw, Text: fmt.Sprintf("throw %q: %v", s.Out.Throw, s.Call)})
		}
	}
	if n := len(tr.Steps); n > 0 {
		for _, b := range tr.Steps[n-1].Bad {
			out = append(out, Problem{Kind: Heap, Class: numbers(b), Text: "heap invariant: " + b})
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
