// Package sched holds the strategies that decide, at each scheduling point
// of a concurrent run where several Ms could go on, which one does: the
// sim.Chooser implementations, and Schedule, the recorded list of choices.
//
//   - Bytes reads one byte per choice point (fuzz input): it mostly stays
//     with the running M and sometimes switches.
//   - PCT is probabilistic concurrency testing (Burckhardt et al., ASPLOS
//     2010): random priorities per M and Depth-1 priority change points.
//   - Replay follows a recorded Schedule.
//   - Recorder wraps any Chooser and records what it chose.
//
// Determinism: every Chooser here is a pure function of its inputs (the
// bytes, the seed, the recorded schedule) and of the sequence of Choose
// calls it receives; none reads the clock, a global random source or
// anything else. Since the simulated scheduler (sim.Conc) is deterministic
// given the Chooser's answers, the same program under a Chooser built from
// the same inputs runs the same interleaving, every time, on every
// machine. A Chooser holds state: use a fresh one for every run.
//
// A Schedule lists, for every choice point, the ID of the M that ran
// (what port.ConcOutcome.Choices records). Its text form is run-length
// encoded, "M0*5 M1*3 M0"; Parse reads that and the plain "M0 M0 M1".
package sched
