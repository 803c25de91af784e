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
//  3. With a bound, sleep sets that keep it (Options.BoundedSleep,
//     difftest explore -reduce; off by default, and then the bounded
//     search runs every schedule within the bound). The runs record footprints (rule 7)
//     and a choice point does not run an M whose next step is asleep
//     there: a step that ran first at an earlier point d of the path,
//     for the choices tried at d after it, while every step taken since
//     is independent of it (a move empties the set), and only a
//     cost-free one: the step of d's running M (the M that could go on,
//     which d tries first), or a step after which its M could not go on
//     (it blocked, spun or finished). The argument: a schedule
//     s = p.b.w.a.r that the set skips (a independent of every step of
//     b.w) is equivalent, by rule 7, to s2 = p.a.b.w.r, in the subtree
//     of d's earlier choice a; the two differ in cost only where their
//     pieces join. At the end of w, s2 pays a preemption only if w's
//     last M could go on and r starts with another M, and then s pays one
//     to switch to a. If a is the running M's step, s pays one at d to
//     switch to b, and s2 at most one after a; if a's step stopped its
//     M, s2 pays nothing after a, and at d both or neither pay (neither
//     b nor a is then the running M, or none could go on). Independent
//     steps do not enable or disable each other, so whether an M could go
//     on is the same in both. So s2 costs no more than s, is within the
//     bound, and is run or skipped for a schedule that costs no more, by
//     the same argument (the sleep-set induction: Godefroid, 1996). Any
//     other step, one after which its M could go on, does not sleep:
//     running it first can cost one preemption more. No races (rule 8)
//     and no cut (rule 9) with a bound: every alternative within the
//     bound that is not asleep is run. TestBoundedSleepSound compares the
//     outcomes and oracle classes with and without it on every corpus
//     and findings program at bounds 1 to 3. Two reductions tried before
//     with a bound lost outcomes when compared with the unreduced search
//     on every corpus script: an M-local rule (no alternative before
//     acquirem/releasem; it lost one on
//     corpus/contract/restart_after_steal_shared_throw.ops at bounds 1
//     and 2) and rule 8's races with bounded partial-order reduction's
//     conservative points at the last switch between Ms (Coons,
//     Musuvathi and McKinley, OOPSLA 2013, as Deja Fu applies them; it
//     lost two outcomes, the finding's among them, on
//     corpus/findings/modtimer_adds_to_idle_p.ops at bound 1: a move
//     spends the budget, and the reversals of later races then need
//     preemptions that no conservative point at an earlier switch
//     supplies). Without BoundedSleep the bounded search is an
//     independent reference for the reduced unbounded one: a schedule
//     with at most b preemptions, m of them moves, is a schedule of the
//     unbounded mode with Moves m, and TestBoundedWithinReduced checks,
//     at bounds 1 to 3 on every corpus and findings program, that the
//     reduced search reaches every outcome and oracle class it reaches.
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
//  7. The unbounded mode (Options.Bound < 0) and its reduction. With no
//     preemption bound every interleaving of M switches is explored, up
//     to the partial-order reduction of rule 8 and this rule's sleep sets;
//     moves (preemptions at safe points, missed rescues) are still
//     bounded, by Options.Moves, since a goroutine can be preempted again
//     at the safe point where it resumes and the tree would never end.
//     A search that ends says "complete: every schedule (up to
//     reduction)".
//
//     The dependence relation. A step is what one M does from one of its
//     scheduling points to the next: the primitive it was paused before,
//     then glue and ported code. The World records each step's footprint
//     (sim.Footprint): the atomic words it loaded (reads), changed by a
//     store, add or compare-and-swap (writes), or operated on without
//     changing them (reads too: a compare-and-swap that failed, a store
//     of the value the word held, an add of 0), Raw and SetRaw included
//     (a SetRaw is a write); the locks it took,
//     tried to take or released (writes); an osyield reads the word its
//     M loaded last, which it waits on (sim.Conc: it runs again once that
//     word has changed; where the load and the osyield fall among the
//     word's writes decides whether it spins, and both read the word;
//     so does the step the M takes when it goes on, which it could not
//     take before the write that changed the word: without that read the
//     relation called the two independent, and TestIndependentStepsCommute
//     found runs where swapping them changed the outcome);
//     whether it bumped World.progress (a write that changed a word, an
//     unlock) or read it (only an osyield with no load before it, which
//     waits for any change, and, once it spins, the M's steps since its
//     last load); and whether it is global. Global, that
//     is dependent with every step: a step that ended at a safe point
//     where a preemption was offered while some P was idle (the options
//     then include that P and may include a stop of the world, which
//     reads where every M is; with none idle they are the goroutine's own
//     P alone, and with Options.Moves 0 the unbounded search offers
//     nothing: its chooser is no sim.Migrator), a preemption's own
//     bookkeeping, a
//     spawn, a rescue (wakep reads other Ms' goroutines), a throw or hang
//     or abort (it ends every M's call), the first step of a sleep (the
//     glue sets up the goroutine that the timer function readies on
//     another M), every step of procresize, pidleput and pidleget
//     calls, the first step of a run (the glue's set-up idles the Ps no
//     thread holds), and any step of the glue that writes the plain
//     idle list or reads an idle P's heap outside its lock (World.Shared:
//     wakeNetPoller's rescue when the idle list is not empty). The
//     virtual clock is a sim.Var: advance writes it,
//     nanotime reads it (sim.World.Nanotime; the mid-run checks do not
//     read it). Two kinds of step are not global but say what
//     plain state they touch (sim.World.Touch): the first step of a
//     startTimer or modtimer call writes the glue's own state (its
//     allocations of funcArgs and pollDesc locks, a sim.Var), and that of
//     startTimer also the timer's status word (it fills in the fields of
//     a timer in no heap, which the word guards once the timer is in
//     one), while the set-up of the other calls touches only its M's own
//     state and what global steps change; an unlock of a
//     timersLock, with the model's mid-run checks, writes the checks' log
//     (a Var: the checks are ordered among themselves) and reads the
//     timersLock of every heap the checks look at (the released P's, the
//     idle Ps', the destroyed Ps') and the status word of every timer in
//     the released heap, unless one of those locks is held by another M
//     or one of those timers is locked: that heap may be halfway through
//     a change that the holder's later steps finish without touching the
//     lock, and the step is global. Two steps are dependent when
//     they are by the same M, one is global, one reads progress the other
//     bumps (bumps commute: they add), or both touch a word, lock or Var
//     and one writes it.
//
//     Why independent steps commute, for these primitives: the World runs
//     one M at a time, so a step's effect is a function of the shared
//     state it reads; two independent steps read nothing the other
//     writes, so either order leaves the same words, locks and progress,
//     and each M's own state (its outcomes, fires, wakes, step counts) is
//     its own. An atomic operation that left its word unchanged reads
//     the word and writes nothing, so it commutes with loads and with
//     other such operations, and is dependent with every write of the
//     word (which can decide whether a compare-and-swap succeeds or what
//     a store overwrites); and only such a write can change the word's
//     value, so in the other order of two independent steps it still
//     leaves the word unchanged: its footprint is the same in both
//     (the spurious dependences of those operations, counted as writes,
//     made sleep_vs_steal 196,457 schedules instead of 106,857).
//     The lock-order record only gains edges, a set either way.
//     Plain fields outside words fall in four kinds: M-local (the
//     goroutine, m.locks, the call's outcome), written only in global
//     steps (the idle list, allp, a sleep's goroutine: a step that only
//     reads them needs no footprint, every global step being dependent
//     with it), named by a
//     sim.Var that every step touching them writes or reads (the glue's
//     allocations, the checks' log, the clock), or guarded by a lock (a
//     P's heap by its timersLock, a timer's fields by its status word in
//     timerLocked): two steps enabled at once cannot both touch a guarded
//     field, since both would hold the lock, and a step that takes it is
//     dependent with every other step that takes or releases it. The
//     glue's two exceptions touch guarded state without holding the lock
//     and touch the lock instead: startTimer's set-up writes the fields
//     of a timer that no heap holds and no other M can reach, and writes
//     its status word, which orders it before the next M to lock the
//     timer; a mid-run check reads a heap only while no other M holds its
//     lock (else its step is global), so the heap's last change was in a
//     critical section that ended with a release and its next begins with
//     an acquire, both writes of the lock that the check reads. Neither of two independent steps
//     disables the other: an M stops being runnable only by its own step
//     (blocking, spinning) or by a global one (a preemption), and a
//     runnable M blocked on nothing stays so. Two schedules that differ
//     only in the order of independent adjacent steps (one trace) end in
//     the same final state, and every global step sees the same state in
//     both (it depends on every step before it), so they reach the same
//     Outcome and oracle findings, which depend only on the final state,
//     on global steps and on the mid-run checks, each of which reads only
//     what its footprint names and which run in the same order in both
//     (they all write the checks' log). Not covered:
//     the FairSlice switch, which depends on the run's history; a run
//     that takes it makes the search start again without the reduction
//     (Result.Unreduced).
//
//     What the relation presumes: that the version under test touches a
//     guarded field only under its guard, as the ported time.go files
//     do. The World sees atomic words, locks and Vars, not plain fields,
//     so a version that writes a timer's field after unlocking it (the
//     mutant cat/modtimer/unlock-before-nextwhen) makes steps dependent
//     that their footprints call independent, and the reduction skips
//     schedules that differ: on that mutant the reduced search with no
//     move misses outcomes, throws and heap violations that the bounded
//     search without BoundedSleep reaches at bound 1
//     (TestBoundedWithinReduced, built with the mutant's overlay, fails
//     on 8 of the 17 programs), and BoundedSleep at bound 2 reaches 9 of
//     the 11 outcomes on modtimer_nextwhen_under_lock.ops
//     (TestBoundedSleepSound fails on 6). The bounded search
//     without BoundedSleep, which presumes nothing, is the reference for
//     a version that may break its locking.
//
//     The sleep sets: a choice point of a run does not try an M whose
//     next step is in the sleep set there: the steps a sibling schedule
//     tried first at an ancestor, independent of every step taken since
//     (the footprint of a sibling's step comes back from its own run,
//     whose words, locks and Vars are its own: footprints match them by
//     name). A move that happens empties the sleep set.
//
//  8. The races of the unbounded mode (dynamic partial-order reduction
//     with source sets: Abdulla, Aronis, Jonsson and Sagonas, "Optimal
//     dynamic partial order reduction", POPL 2014, Algorithm 1). A run
//     past its prefix asks for no alternative of its own, and at each
//     new choice point runs the default M only if its next step is not
//     in the sleep set there (carried from the prefix's last point and
//     woken by every step since), else the first M whose step is not: a
//     run into a sleeping step can only repeat a trace. A run that
//     takes one all the same (every M's step was asleep at a choice
//     point, or only that M could run) is sleep-set blocked
//     (Result.Blocked): the search keeps it only up to that step, as
//     Algorithm 1's Explore returns there (sleepSets).
//     TestOneRunATrace finds no two other runs of one trace. Afterwards
//     its steps' happens-before order is computed (program order and rule
//     7's dependence, as vector clocks) and each race, a pair of
//     dependent steps i < j of different Ms with no step between that
//     happens after i and before j, asks at the choice point before i
//     for one initial of v (the steps after i that do not happen after
//     it, then j: an M whose first step in v nothing in v happens
//     before), unless an initial is run or asked for there already.
//     Sleep sets (rule 7) keep what source sets leave of equivalent
//     schedules. Moves are not Ms: at a move point every option is run,
//     within Options.Moves. A run that ends early (a throw or a hang
//     ends every M's call) says nothing of the pending steps of the Ms
//     it cut short, so it asks, at its last choice point, for every M
//     that could run there. Abdulla et al. prove that source sets with
//     sleep sets reach every maximal trace up to equivalence, hence
//     (rule 7) every final state, Outcome and oracle finding.
//     TestUnboundedReductionSound compares the outcome sets and oracle
//     classes with and without the reduction.
//
//  9. The spin cut of the reduced unbounded mode (GenMC's spin-assume
//     transformation: Kokologiannakis, Raad and Vafeiadis, "Model checking
//     for weakly consistent libraries", PLDI 2019). Three kinds of step in
//     the ported time.go write nothing and leave their M where it began,
//     to do the same again once another M has written. A spin: every
//     osyield is in a loop whose iteration loads a timer's status word,
//     finds it timerLocked and yields, then loads the same word again
//     (timer.lock, modtimer, moveTimers, adjusttimers and runtimer in both
//     versions; TestSpinIterationsOnlyLoad checks it on random runs). A
//     retry: a compare-and-swap fails, the word having changed since the M
//     loaded it, and the M's next primitive, with only acquirem and
//     releasem between, loads that word again (the loops of timer.lock,
//     the old modtimer, cleantimers, moveTimers and runtimer on a status
//     word, and of updateTimerModifiedEarliest on P.timerModifiedEarliest;
//     adjusttimers, whose failed lock skips the timer, loads another word
//     next, and the World does not take it for a retry). A blocked lock: a
//     lock of a runtime mutex held by another M waits, and the M then
//     takes it from the same point; the attempt changes nothing in the
//     model (a sim.Lock keeps no waiters). A schedule in which an M spins,
//     retries or blocks and goes on is a schedule of the same outcome,
//     final state and oracle findings without that iteration or attempt:
//     its loads, failed compare-and-swaps and attempt are steps that no
//     other step reads from, and the M's next load, or its lock, then
//     comes after the write or release that let it go on. So the search
//     runs the program in which a spin never ends, a retry never happens
//     and a blocked lock is never taken (sim.SpinCutter): such an M is
//     never run again, and a run that ends with no M able to run while one
//     waits on a word changed, or a lock released, since it began to wait
//     is cut, not a schedule of the program (Result.Cut; its steps up to
//     the cut still give races and sleep sets, rule 8, as a blocked
//     execution does in GenMC). Every schedule of the program that does
//     not end in a hang maps, by dropping those iterations and attempts,
//     to a schedule with none, which the search of the cut program (rules
//     7 and 8 hold for it: a cut M is disabled only by its own step)
//     reaches up to equivalence. A schedule that ends in a hang of
//     spinning or blocked Ms maps, keeping only each one's last iteration
//     or attempt, to one in which nothing they wait on changes after it:
//     there the cut Ms wait as they would without the cut, and the run
//     hangs alike (a retry's word has always changed). A throw ends a run
//     with a cut M as it would the same schedule in which that M has not
//     run again yet. TestSpinCutSound compares the outcomes and oracle
//     classes with and without the cut (Options.NoSpinCut).
//
//  10. The check of a reduced search. Rules 3 and 7 to 9 rest on rule 7's
//     presumption that the version touches guarded state only under its
//     guard; a version that does not can reach, in the schedules a
//     reduction skips, outcomes and findings that it misses. So every
//     reduced search (the unbounded mode, and BoundedSleep) is followed
//     by the bounded search without reduction at bound 1 (for a search
//     with bound b, at b-1 if that is more: a tenth to a thirtieth of its
//     schedules; at most crossCheckMax schedules), each of
//     whose schedules with no more moves than the search allows is one
//     the reduced search covers: what such a schedule reaches and the
//     reduced search did not is added to the Result with that schedule
//     as its witness and counted in Result.Escaped, and the search is not
//     Complete. A sentinel, not a proof: what only deeper schedules
//     reach escapes it. On the ports nothing escapes on any corpus or
//     findings program (TestBoundedWithinReduced checks to bound 3); on
//     the mutant of rule 7, the unbounded search's throw in
//     updateTimerModifiedEarliest comes back this way, and so do
//     BoundedSleep's two missed outcomes at bound 3 (checked at bound 2),
//     but not at bound 2 (checked at bound 1): they need two preemptions.
package explore
