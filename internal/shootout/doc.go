// Package shootout compares schedule strategies on concurrent bugs (issue
// 15 item 3): how many schedules, and how much wall time, each strategy
// needs before a detector first sees a bug's symptom.
//
// A Case is a detector, func(sim.Chooser) bool, which runs one program once
// under the given Chooser and reports whether the symptom showed, with a
// Hint about the program (its threads' call counts, for the strategies
// that use them). A Strategy is a name and a factory of fresh Choosers,
// one per schedule, from a seed and the Hint; Standard lists the sampled
// strategies of package sched: bytes, pct-d1..3, pos, pos-r0.5 and surw.
// Run makes trials of one Case under one Strategy: each trial tries up to
// budget schedules, seeds Seed(trial, 0), Seed(trial, 1), ..., and stops
// at the first detection. Table prints, per case and strategy, the trials
// that found the symptom and the medians of schedules and time to first
// detection.
//
// Invariants:
//
//   - Determinism: the choosers are deterministic for their seed, and the
//     seed of every schedule is Seed(trial, index), so a Result's
//     Found and Schedules (not its times) are the same on every run and
//     machine, given a deterministic detector, and the schedule that
//     detected is reproduced by the Trial's Seed.
//   - Fair moves: every sampled strategy may move the running goroutine to
//     an idle P at about the same rate (Bytes' 8 byte values of 256, and
//     sched.DefaultMoveProb = 1/32 for the others: POS by itself, PCT and
//     SURW wrapped in sched.Moves), so none is blind to the schedules
//     where a goroutine resumes on another P.
//   - Medians count a trial that found nothing as worse than any that
//     found something (its schedules are "> budget"): a median is a miss
//     when fewer than half the trials found the symptom, and Table says so
//     instead of reporting the successful trials' median alone.
//   - The times include running the program (the detector), which
//     dominates: a Choose costs tens of nanoseconds (sched's
//     BenchmarkChoose), a run of a small program tens of microseconds.
//
// Exhaustive search is package explore's job. A Strategy with Exhaustive
// set is the hook for it: its trial is one bounded exploration, which gets
// the whole Case (with its Program, if set) and the budget and returns the
// Trial; Run makes one trial of it whatever trials says, as an
// exploration is deterministic. No such strategy is defined here;
// package bench defines one (explore-bK: iterative deepening over
// preemption bounds with explore.Options.Visit, stopping at the first
// schedule that shows the symptom).
package shootout
