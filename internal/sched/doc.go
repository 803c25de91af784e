// Package sched holds the strategies that decide, at each scheduling point
// of a concurrent run where several Ms could go on, which one does: the
// sim.Chooser implementations, and Schedule, the recorded list of choices.
//
//   - Bytes reads one byte per choice point (fuzz input): it mostly stays
//     with the running M and sometimes switches.
//   - PCT is probabilistic concurrency testing (Burckhardt et al., ASPLOS
//     2010): random priorities per M and Depth-1 priority change points.
//   - POS is partial order sampling (Yuan, Yang and Gu, CAV 2018): a
//     random priority per pending step, re-drawn for the M that ran and,
//     since the steps' read and write sets are unknown here, for each
//     other M with probability Redraw (0: the paper's BasicPOS; 1: a
//     uniform random walk). It moves goroutines with a small probability.
//   - SURW is a uniform random walk over interleavings (Zhao et al.,
//     ASPLOS 2025): each runnable M with probability proportional to an
//     estimate of its remaining steps (a caller's Remaining hint, or a
//     per-M Budget counted down one per choice point).
//   - Moves wraps any Chooser and moves the running goroutine to an idle
//     P with a small seeded probability (for PCT and SURW, which do not).
//   - Replay follows a recorded Schedule.
//   - Recorder wraps any Chooser and records what it chose.
//
// What each guarantees: Bytes, Replay and Recorder are exact functions of
// their input. PCT finds a bug of depth d with probability at least
// 1/(n * k^(d-1)) per run, if its Steps covers the k choice points. POS
// and SURW give every schedule of the Ms a positive probability; the
// papers' stronger bounds (POS's per partial order, SURW's uniformity)
// hold only under assumptions the Chooser interface cannot see (exact
// races; exact remaining counts and no blocking), so they are
// approximations here, stated in their docs.
//
// Determinism: every Chooser here is a pure function of its inputs (the
// bytes, the seed, the recorded schedule, and SURW's Remaining hint,
// which must itself be deterministic) and of the sequence of Choose and
// Migrate calls it receives; none reads the clock, a global random source
// or anything else. Since the simulated scheduler (sim.Conc) is deterministic
// given the Chooser's answers, the same program under a Chooser built from
// the same inputs runs the same interleaving, every time, on every
// machine. A Chooser holds state: use a fresh one for every run.
//
// A Schedule lists, for every choice point, the ID of the M that ran
// (what port.ConcOutcome.Choices records). Its text form is run-length
// encoded, "M0*5 M1*3 M0"; Parse reads that and the plain "M0 M0 M1".
package sched
