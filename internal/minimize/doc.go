// Package minimize shrinks a program that shows a failure to a small one
// that still shows it, so that a divergence reads like a short program.
//
// The failure is a Predicate: a function that reports whether a program
// still fails. Diverges builds the predicate difftest uses; tests may pass
// any other.
//
// Invariant: Minimize(p, keep) returns a program q for which keep(q) is
// true, and q is 1-minimal for keep: removing any single op from q, or
// making any single simplification of one argument (see below), gives a
// program for which keep is false. With keep = Diverges(old, new, d) that
// means: q still diverges with the same Divergence.Kind as d and with the
// same op kind (Call.Kind) at the divergent op, and every smaller or
// simpler neighbour of q loses that.
//
// Minimize alternates two passes until neither changes the program:
//
//  1. Delta debugging (ddmin) over the ops.
//  2. Simpler arguments, one at a time: fewer Ps (procs), timers and sleep
//     goroutines renumbered from 0 in order of first use and the timer
//     count cut to the ones used, each whole-number field moved toward its
//     simplest value (a when toward the clock at that op, a sleep toward
//     1ns, a period, seq, target or P toward 0, procresize toward 1, an
//     advance toward 0), and a timer function back to fire(aT), T being
//     the call's own timer.
//
// Every candidate is checked with ops.Program.Validate before keep sees
// it, so keep never runs an invalid program. Minimize is deterministic:
// the same program and predicate give the same result.
//
// Conc does the same for a concurrent program with a schedule
// line (ops.ConcProgram): its predicate (SameProblem for difftest: the
// new version shows a problem of the same kind, both versions replaying
// the schedule) sees only candidates that pass ops.ConcProgram.Validate,
// the API contract included. It drops whole threads, runs delta
// debugging over the setup ops and over each thread's calls, then
// shrinks the schedule (empty, fewer run-length segments, so fewer
// switches; shorter segments), then renumbers timers, sleeping goroutines
// and Ps from 0 in order of first use and cuts the timer and P counts to
// the ones used (Ps after timers: thread Ps, calls' Ps and the schedule's
// move tokens "Pi" change together), each kept only if the predicate
// still holds, until a round changes nothing; the result is 1-minimal
// among ConcNeighbours. Other arguments are not simplified.
package minimize
