// Package sim is the simulated Go runtime that the ported timer code runs
// on: Ms, runtime mutexes, the virtual clock, wakeNetPoller's log, the
// lock-order recorder and hang detection. It never touches the real
// runtime's scheduler or clock.
//
// Invariants:
//   - Determinism: a World's behaviour depends only on the calls made on
//     it. The clock moves only by Advance; nothing reads wall time.
//   - One scheduling hook: every primitive the ports use (each atomic
//     operation, lock, unlock, osyield, acquirem, releasem) calls
//     World.Step, which asks the Scheduler. The default Sequential
//     scheduler runs one M; a spin (osyield) or a blocked lock therefore
//     waits forever and ends the call with a Hang, found at once rather
//     than by a wall-clock timeout. A call that takes more than its step
//     budget also ends in a Hang.
//   - Lock order, lockdep style: a timer's status word is its lock (moving
//     into timerLocked acquires it, moving out releases it). Every ordered
//     pair of lock classes held at once is recorded with the call and the
//     functions that first produced it, and checked against the runtime's
//     declared rank order at the commits under test (allp < timers <
//     timer; timers may nest).
//   - throw and badTimer end the call with a Throw, and hangs with a Hang,
//     both raised as panics for the port's adapter to recover: the code
//     under test never crashes the tester.
//   - Isolation: a World holds all its state. Two Worlds share nothing, so
//     an old and a new World can run at the same time. (Config.Reuse
//     hands a World its caller is done with to the next one, rewritten as
//     new; the process-wide caches map stacks to names, never state.)
package sim
