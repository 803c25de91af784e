// Package explore enumerates the schedules of one concurrent program on
// one version of the timer code, CHESS style, and compares the sets of
// outcomes the two versions reach.
//
// A concurrent program is a sequential setup followed by threads, thread i
// on its own M i (see port.World.Concurrent). A schedule is the M chosen at
// every choice point: a scheduling point where more than one M can run.
//
// The contract:
//
//  1. Explore is a stateless depth-first search by re-execution: every
//     schedule runs on a fresh World (run.Concurrent). A run follows a
//     prefix of choices, then the default: the running M while it can go
//     on, else the lowest runnable M. At every choice point it records the
//     runnable Ms, and the search backtracks over the alternatives.
//
//  2. The preemption bound: a schedule switches away from an M that could
//     have gone on (a preemption) at most Bound times. Switches forced by
//     an M that blocks in lock, spins in osyield or finishes are free.
//     Within the bound every schedule is explored, each exactly once, up
//     to the reduction below; Max caps the schedules run, and a search cut
//     by it says so (Result.Complete is false).
//
//  3. No reduction with a bound. There was one (no alternative at a
//     choice point where the running M was about to make an M-local
//     step, acquirem or releasem); comparing every corpus script with and
//     without it showed it losing an outcome
//     (corpus/concurrent/restart_after_steal_shared_throw.ops at bounds 1
//     and 2: M2's checkTimers ends before M0's throw), so it is off until
//     its argument is mended (localStep is kept for that). The bounded
//     search is exhaustive within the bound; rule 7's sleep sets apply
//     only without one.
//
//  4. An Outcome is the abstract result of one schedule: per call, the
//     result, the timer functions fired, the wakeNetPoller calls, the throw
//     message or the kind of hang; then the final state, the heap
//     invariant violations and the lost timers (run.Lost). Not: where a throw or hang happened, step
//     counts, or what a call cut short by another M's throw or hang did
//     before it was cut. Two schedules reach the same Outcome exactly when
//     their Keys are equal; each distinct Outcome keeps the first schedule
//     that reached it (its witness) and replays to it with Replay.
//
//  5. Compare(old, new): an Outcome the new version reaches and the old one
//     does not is a Divergence, shown with its witness and a go-cmp diff
//     (-old +new) against the closest old Outcome; one only the old version
//     reaches is a lost behaviour, listed but not a failure. Oracles over
//     all schedules: the new version must not hang nor take locks against
//     the rank order or in a cycle; a throw, heap violation or lost timer
//     of the new version that the old one does not show is a problem too. The old
//     version's own findings are known defects (it has the timer -> timers
//     inversion that the commit removes).
//
//  6. Deterministic: the same program, version and options give the same
//     Result, outcomes sorted by Key and findings by kind and text.
//
//  7. The unbounded mode (Options.Bound < 0) and its sleep sets. With no
//     preemption bound every interleaving of M switches is explored;
//     moves (preemptions at safe points, missed rescues) are still
//     bounded, by Options.Moves, since a goroutine can be preempted again
//     at the safe point where it resumes and the tree would never end.
//     A search that ends says "complete: every schedule (up to
//     reduction)". The bounded search has no sleep sets: combining them
//     with a preemption bound needs the care of Coons, Musuvathi and
//     McKinley (OOPSLA 2013), not attempted here.
//
//     The dependence relation. A step is what one M does from one of its
//     scheduling points to the next: the primitive it was paused before,
//     then glue and ported code. The World records each step's footprint
//     (sim.Footprint): the atomic words it loaded (reads) or stored,
//     added or CASed (writes), Raw and SetRaw included; the locks it took,
//     tried to take or released (writes); whether it bumped World.progress
//     (a write that changed a word, an unlock) or read it (a load whose
//     loadSeen an osyield may spin on, i.e. not followed at once by
//     another load; an osyield); and whether it is global. Global, that
//     is dependent with every step: a step that ended at a safe point
//     where a preemption was offered, a preemption's own bookkeeping, a
//     spawn, a rescue (wakep reads other Ms' goroutines), a throw or hang
//     or abort (it ends every M's call), an unlock with the model's mid-run
//     checks (they read other Ps' heaps and the idle list), the first step
//     of every call (the glue sets up timer fields, pollDescs and
//     goroutines with plain writes), every step of procresize, pidleput,
//     pidleget and advance calls, and any step of the glue that touches
//     the plain idle list (World.Shared). Two steps are dependent when
//     they are by the same M, one is global, one reads progress the other
//     bumps (bumps commute: they add), or both touch a word or lock and
//     one writes it.
//
//     Why independent steps commute, for these primitives: the World runs
//     one M at a time, so a step's effect is a function of the shared
//     state it reads; two independent steps read nothing the other
//     writes, so either order leaves the same words, locks and progress,
//     and each M's own state (its outcomes, fires, wakes, step counts) is
//     its own. The lock-order record only gains edges, a set either way.
//     Plain fields outside words fall in three kinds: M-local (the
//     goroutine, m.locks, the call's outcome), touched only in global
//     steps (the idle list, the clock, timer set-up, the checks'
//     bookkeeping), or guarded by a lock (a P's heap by its timersLock, a
//     timer's fields by its status word in timerLocked): two steps enabled
//     at once cannot both touch a guarded field, since both would hold
//     the lock, and a step that takes it is dependent with every other
//     step that takes or releases it. Neither of two independent steps
//     disables the other: an M stops being runnable only by its own step
//     (blocking, spinning) or by a global one (a preemption), and a
//     runnable M blocked on nothing stays so. So sleep sets alone (no
//     persistent sets) visit every reachable state (Godefroid 1996), hence
//     every final state and every Outcome and oracle finding of a run,
//     which depend only on the final state and on global steps. Not
//     covered: the FairSlice switch, which depends on the run's history;
//     a run that takes it makes the search start again without sleep sets
//     (Result.Unreduced).
//
//     The reduction: a choice point of a run does not try an M whose next
//     step is in the sleep set there: the steps a sibling schedule tried
//     first at an ancestor, independent of every step taken since (the
//     footprint of a sibling's step comes back from its own run). A move
//     that happens empties the sleep set. TestSleepSetsSound compares the
//     outcome sets and oracle classes with and without them.
package explore
