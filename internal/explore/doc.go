// Package explore enumerates the schedules of one concurrent program on
// one version of the timer code, CHESS style, and compares the sets of
// outcomes the two versions reach.
//
// A concurrent program is a sequential setup followed by threads, thread i
// on its own M i (see port.World.Concurrent). A schedule is the M chosen at
// every choice point: a scheduling point where more than one M can run.
//
// The contract:
//  1. Explore is a stateless depth-first search by re-execution: every
//     schedule runs on a fresh World (run.Concurrent). A run follows a
//     prefix of choices, then the default: the running M while it can go
//     on, else the lowest runnable M. At every choice point it records the
//     runnable Ms, and the search backtracks over the alternatives.
//  2. The preemption bound: a schedule switches away from an M that could
//     have gone on (a preemption) at most Bound times. Switches forced by
//     an M that blocks in lock, spins in osyield or finishes are free.
//     Within the bound every schedule is explored, each exactly once, up
//     to the reduction below; Max caps the schedules run, and a search cut
//     by it says so (Result.Complete is false).
//  3. The reduction (Options.NoReduction turns it off): no alternative is
//     tried at a choice point where the running M is about to make an
//     M-local step (acquirem, releasem: only m.locks changes). Sound because
//     such a step commutes with every step of every other M and changes no
//     M's runnability, so switching before it reaches exactly the outcomes
//     that switching at the running M's next choice point (or at its end,
//     where the switch is free) reaches, at no more preemptions. The tests
//     check that the outcome sets with and without it are equal.
//  4. An Outcome is the abstract result of one schedule: per call, the
//     result, the timer functions fired, the wakeNetPoller calls, the throw
//     message or the kind of hang; then the final state, the heap
//     invariant violations and the lost timers (run.Lost). Not: where a throw or hang happened, step
//     counts, or what a call cut short by another M's throw or hang did
//     before it was cut. Two schedules reach the same Outcome exactly when
//     their Keys are equal; each distinct Outcome keeps the first schedule
//     that reached it (its witness) and replays to it with Replay.
//  5. Compare(old, new): an Outcome the new version reaches and the old one
//     does not is a Divergence, shown with its witness and a go-cmp diff
//     (-old +new) against the closest old Outcome; one only the old version
//     reaches is a lost behaviour, listed but not a failure. Oracles over
//     all schedules: the new version must not hang nor take locks against
//     the rank order or in a cycle; a throw, heap violation or lost timer
//     of the new version that the old one does not show is a problem too. The old
//     version's own findings are known defects (it has the timer -> timers
//     inversion that the commit removes).
//  6. Deterministic: the same program, version and options give the same
//     Result, outcomes sorted by Key and findings by kind and text.
package explore
