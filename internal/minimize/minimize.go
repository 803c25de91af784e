package minimize

import (
	"errors"
	"fmt"
	"slices"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/compare"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
)

// Predicate reports whether a program still shows the failure being
// minimized. It is only called with valid programs.
type Predicate func(ops.Program) bool

// Diverges is the predicate of the package invariant: the program,
// run on oldImpl and newImpl, diverges with the same kind as want, at an op
// of the same kind as want's.
func Diverges(oldImpl, newImpl port.Impl, want *compare.Divergence) Predicate {
	kind, call := want.Kind, want.Call.Kind
	return func(p ops.Program) bool {
		d := check.Pair(oldImpl, newImpl, p).Report.Divergence
		return d != nil && d.Kind == kind && d.Call.Kind == call
	}
}

// Stats says what a minimization did.
type Stats struct {
	OpsBefore, OpsAfter int
	Tests               int // calls of the predicate (distinct programs)
	Rounds              int // passes of ddmin and argument simplification
}

func (s Stats) String() string {
	return fmt.Sprintf("%d ops -> %d ops (%d tests, %d rounds)", s.OpsBefore, s.OpsAfter, s.Tests, s.Rounds)
}

// ErrNoFailure is returned by Minimize when the predicate is false for the
// program it starts from.
var ErrNoFailure = errors.New("the program does not show the failure")

// maxRounds bounds the alternation of the two passes. Every accepted
// candidate is strictly smaller or simpler, so the fixed point comes long
// before; the bound only guards against a predicate that is not
// deterministic.
const maxRounds = 100

// Minimize returns a 1-minimal program for keep (see the package doc),
// starting from p, which must be valid and satisfy keep.
func Minimize(p ops.Program, keep Predicate) (ops.Program, Stats, error) {
	st := Stats{OpsBefore: len(p.Ops)}
	if err := p.Validate(); err != nil {
		return p, st, err
	}
	m := &minimizer{newMemo(keep, key)}
	if !m.test(p) {
		return p, st, ErrNoFailure
	}
	for st.Rounds < maxRounds {
		st.Rounds++
		before := key(p)
		p = m.ddmin(p)
		p = m.simplify(p)
		if key(p) == before {
			break
		}
	}
	st.OpsAfter, st.Tests = len(p.Ops), m.tests
	return p, st, nil
}

type minimizer struct {
	memo[ops.Program]
}

// memo asks keep about each valid program at most once, and answers false
// for invalid ones without asking: the shared core of both minimizers.
type memo[P interface{ Validate() error }] struct {
	keep  func(P) bool
	key   func(P) string
	seen  map[string]bool // program key -> keep's answer
	tests int
}

func newMemo[P interface{ Validate() error }](keep func(P) bool, key func(P) string) memo[P] {
	return memo[P]{keep: keep, key: key, seen: map[string]bool{}}
}

// test is keep, for valid programs only, asked at most once per program.
func (m *memo[P]) test(p P) bool {
	k := m.key(p)
	if v, ok := m.seen[k]; ok {
		return v
	}
	v := p.Validate() == nil
	if v {
		m.tests++
		v = m.keep(p)
	}
	m.seen[k] = v
	return v
}

func key(p ops.Program) string { return fmt.Sprintf("%d %d %v", p.Procs, p.Timers, p.Ops) }

// ddmin is Zeller's delta debugging over p's ops, carried on down to
// single ops, so that no single op of the result can be removed.
func (m *minimizer) ddmin(p ops.Program) ops.Program {
	with := func(calls []port.Call) ops.Program {
		q := p
		q.Ops = calls
		return q
	}
	return with(ddmin(p.Ops, func(calls []port.Call) bool { return m.test(with(calls)) }))
}

// ddmin is Zeller's delta debugging: it returns a sublist of cur (in
// order) for which test is true and from which no single element can be
// removed with test staying true (the empty list included); test(cur)
// must be true.
func ddmin[T any](cur []T, test func([]T) bool) []T {
	n := 2
outer:
	for len(cur) > 0 {
		n = min(n, len(cur))
		chunks := split(cur, n)
		if n > 1 {
			for _, c := range chunks {
				if test(c) {
					cur, n = c, 2
					continue outer
				}
			}
		}
		for i := range chunks {
			var comp []T
			for j, c := range chunks {
				if j != i {
					comp = append(comp, c...)
				}
			}
			if test(comp) {
				cur, n = comp, max(n-1, 2)
				continue outer
			}
		}
		if n == len(cur) {
			break
		}
		n = min(2*n, len(cur))
	}
	return slices.Clip(cur)
}

// split cuts s into n nearly equal consecutive chunks, 1 <= n <= len(s).
func split[T any](s []T, n int) [][]T {
	chunks := make([][]T, 0, n)
	start := 0
	for i := range n {
		end := start + (len(s)-start)/(n-i)
		chunks = append(chunks, s[start:end:end])
		start = end
	}
	return chunks
}

// simplify applies each simplification site until it yields nothing that
// keep accepts, in a fixed order.
func (m *minimizer) simplify(p ops.Program) ops.Program {
	for s := range sites(p) {
		p = improve(p, func(p ops.Program) []ops.Program { return candidates(p, s) }, m.test)
	}
	return p
}

// improve moves p to the first of next(p) that keep accepts, again and
// again, until keep accepts none of them.
func improve[P any](p P, next func(P) []P, keep func(P) bool) P {
	for {
		found := false
		for _, q := range next(p) {
			if keep(q) {
				p, found = q, true
				break
			}
		}
		if !found {
			return p
		}
	}
}

// Neighbours returns every program that one step of Minimize could move
// to from p: p without one of its ops, and p with one argument simplified.
// A result of Minimize fails for none of them.
func Neighbours(p ops.Program) []ops.Program {
	var qs []ops.Program
	for i := range p.Ops {
		q := p
		q.Ops = slices.Concat(p.Ops[:i], p.Ops[i+1:])
		qs = append(qs, q)
	}
	for s := range sites(p) {
		qs = append(qs, candidates(p, s)...)
	}
	return qs
}
