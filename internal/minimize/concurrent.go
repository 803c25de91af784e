package minimize

import (
	"fmt"
	"slices"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// ConcPredicate reports whether a concurrent program, replayed under its
// own Schedule, still shows the failure being minimized. It is only called
// with programs that pass Validate (the API contract included) and have a
// non-nil Schedule.
type ConcPredicate func(ops.ConcProgram) bool

// SameProblem is the predicate difftest uses for a concurrent case: the
// program, judged by check.ConcPair with both versions replaying its
// Schedule (sched.Replay), shows a new-version problem with want's
// signature (oracle.Problem.SameCause: the same kind, broken at the same
// time.go call after a move at the same safe point), so that a case
// minimized for one cause does not drift to another.
func SameProblem(oldImpl, newImpl port.Impl, want check.Problem) ConcPredicate {
	return func(p ops.ConcProgram) bool {
		s := p.Schedule
		r := check.ConcPair(oldImpl, newImpl, p, func() sim.Chooser { return sched.Replay(s) }, false)
		return slices.ContainsFunc(r.Problems, want.SameCause)
	}
}

// ConcStats says what a concurrent minimization did.
type ConcStats struct {
	OpsBefore, OpsAfter           int // setup ops and thread calls
	ThreadsBefore, ThreadsAfter   int
	SwitchesBefore, SwitchesAfter int // of the schedule: its run-length segments, minus one
	Tests                         int // calls of the predicate (distinct programs)
	Rounds                        int
}

func (s ConcStats) String() string {
	return fmt.Sprintf("%d ops -> %d ops, %d threads -> %d, %d schedule switches -> %d (%d tests, %d rounds)",
		s.OpsBefore, s.OpsAfter, s.ThreadsBefore, s.ThreadsAfter, s.SwitchesBefore, s.SwitchesAfter, s.Tests, s.Rounds)
}

// Conc returns a concurrent program for which keep is true,
// starting from p (which must be valid and satisfy keep; a nil Schedule
// is taken as the empty one), and 1-minimal for keep among ConcNeighbours:
// no single setup op, thread call, thread (while two are left) or
// schedule segment can be removed, the schedule cannot be emptied, and no
// segment can be shortened, with keep staying true.
//
// Each round: drop whole threads (renumbering the Ms of the schedule);
// delta debugging over the setup ops, then over each thread's calls;
// then the schedule: empty, delta debugging over its run-length segments
// (removing a segment merges its neighbours when they are of the same M:
// one switch or two fewer), and each segment shortened toward length 1;
// then the names: timers, goroutines and then Ps renumbered from 0 in
// order of first use, the timer and P counts cut to the ones used (each
// kept only if keep holds: see renumber).
// Rounds repeat until none changes the program. Every candidate passes
// ops.ConcProgram.Validate before keep sees it, so the contract holds
// throughout. Deterministic: the same p and keep give the same result.
func Conc(p ops.ConcProgram, keep ConcPredicate) (ops.ConcProgram, ConcStats, error) {
	if p.Schedule == nil {
		p.Schedule = sched.Schedule{}
	}
	st := ConcStats{OpsBefore: concOps(p), ThreadsBefore: len(p.Threads), SwitchesBefore: switches(p.Schedule)}
	if err := p.Validate(); err != nil {
		return p, st, err
	}
	m := &concMinimizer{newMemo(keep, ops.ConcProgram.Script)}
	if !m.test(p) {
		return p, st, ErrNoFailure
	}
	for st.Rounds < maxRounds {
		st.Rounds++
		before := p.Script()
		p = m.dropThreads(p)
		p = m.ddminSetup(p)
		for i := range p.Threads {
			p = m.ddminThread(p, i)
		}
		p = m.shrinkSchedule(p)
		p = m.renumber(p)
		if p.Script() == before {
			break
		}
	}
	st.OpsAfter, st.ThreadsAfter, st.SwitchesAfter, st.Tests = concOps(p), len(p.Threads), switches(p.Schedule), m.tests
	return p, st, nil
}

type concMinimizer struct {
	memo[ops.ConcProgram]
}

func concOps(p ops.ConcProgram) int {
	n := len(p.Ops)
	for _, th := range p.Threads {
		n += len(th.Calls)
	}
	return n
}

// dropThreads removes whole threads, last first, while keep holds.
func (m *concMinimizer) dropThreads(p ops.ConcProgram) ops.ConcProgram {
	for i := len(p.Threads) - 1; i >= 0 && len(p.Threads) > 1; i-- {
		if q := withoutThread(p, i); m.test(q) {
			p = q
		}
	}
	return p
}

// withoutThread removes thread i: the schedule loses M i's choices, and
// the later Ms are renumbered down by one (M j runs thread j).
func withoutThread(p ops.ConcProgram, i int) ops.ConcProgram {
	q := p
	q.Threads = slices.Delete(slices.Clone(p.Threads), i, i+1)
	q.Schedule = sched.Schedule{}
	for _, id := range p.Schedule {
		switch {
		case id >= sim.MigrateMark:
			q.Schedule = append(q.Schedule, id) // a migration: no M to renumber
		case id < i:
			q.Schedule = append(q.Schedule, id)
		case id > i:
			q.Schedule = append(q.Schedule, id-1)
		}
	}
	return q
}

func (m *concMinimizer) ddminSetup(p ops.ConcProgram) ops.ConcProgram {
	with := func(calls []port.Call) ops.ConcProgram {
		q := p
		q.Ops = calls
		return q
	}
	return with(ddmin(p.Ops, func(calls []port.Call) bool { return m.test(with(calls)) }))
}

func (m *concMinimizer) ddminThread(p ops.ConcProgram, i int) ops.ConcProgram {
	with := func(calls []port.Call) ops.ConcProgram {
		q := p
		q.Threads = slices.Clone(p.Threads)
		q.Threads[i].Calls = calls
		return q
	}
	return with(ddmin(p.Threads[i].Calls, func(calls []port.Call) bool { return m.test(with(calls)) }))
}

// segment is a run of one M in a schedule: "M1*3".
type segment struct{ m, n int }

func segments(s sched.Schedule) []segment {
	var out []segment
	for _, id := range s {
		if len(out) > 0 && out[len(out)-1].m == id {
			out[len(out)-1].n++
		} else {
			out = append(out, segment{id, 1})
		}
	}
	return out
}

// flatten joins segments into a schedule (adjacent segments of one M
// merge), never nil.
func flatten(segs []segment) sched.Schedule {
	s := sched.Schedule{}
	for _, g := range segs {
		for range g.n {
			s = append(s, g.m)
		}
	}
	return s
}

// switches counts the changes of M in s.
func switches(s sched.Schedule) int { return max(len(segments(s))-1, 0) }

// shrinkSchedule tries the empty schedule, then delta debugging over the
// segments, then each segment shortened toward 1.
func (m *concMinimizer) shrinkSchedule(p ops.ConcProgram) ops.ConcProgram {
	with := func(s sched.Schedule) ops.ConcProgram {
		q := p
		q.Schedule = s
		return q
	}
	if len(p.Schedule) == 0 {
		return p
	}
	if q := with(sched.Schedule{}); m.test(q) {
		return q
	}
	segs := ddmin(segments(p.Schedule), func(segs []segment) bool { return m.test(with(flatten(segs))) })
	p = with(flatten(segs))
	for i := 0; i < len(segments(p.Schedule)); i++ {
		p = improve(p, func(p ops.ConcProgram) []ops.ConcProgram { return shorter(p, i) }, m.test)
	}
	return p
}

// shorter returns p with segment i of its schedule shortened: to 1, to
// half, by one (those that are shorter, without duplicates).
func shorter(p ops.ConcProgram, i int) []ops.ConcProgram {
	segs := segments(p.Schedule)
	n := segs[i].n
	var out []ops.ConcProgram
	for _, k := range dedup([]int64{1, int64(n / 2), int64(n - 1)}) {
		if k < 1 || int(k) >= n {
			continue
		}
		c := slices.Clone(segs)
		c[i].n = int(k)
		q := p
		q.Schedule = flatten(c)
		out = append(out, q)
	}
	return out
}

// ConcNeighbours returns every program one step of Conc could move
// to from p: without one thread (if it has two or more), one setup op or
// one thread call; with the empty schedule, without one schedule segment,
// or with one segment shortened; with its timers, goroutines or Ps
// renumbered, or their counts cut. A result of Conc fails for none of
// them.
func ConcNeighbours(p ops.ConcProgram) []ops.ConcProgram {
	var qs []ops.ConcProgram
	for i := range p.Threads {
		if len(p.Threads) > 1 {
			qs = append(qs, withoutThread(p, i))
		}
	}
	for i := range p.Ops {
		q := p
		q.Ops = slices.Concat(p.Ops[:i], p.Ops[i+1:])
		qs = append(qs, q)
	}
	for i, th := range p.Threads {
		for k := range th.Calls {
			q := p
			q.Threads = slices.Clone(p.Threads)
			q.Threads[i].Calls = slices.Concat(th.Calls[:k], th.Calls[k+1:])
			qs = append(qs, q)
		}
	}
	if len(p.Schedule) > 0 {
		q := p
		q.Schedule = sched.Schedule{}
		qs = append(qs, q)
	}
	segs := segments(p.Schedule)
	for i := range segs {
		q := p
		q.Schedule = flatten(slices.Concat(segs[:i], segs[i+1:]))
		qs = append(qs, q)
		qs = append(qs, shorter(p, i)...)
	}
	return append(qs, renumberings(p)...)
}
