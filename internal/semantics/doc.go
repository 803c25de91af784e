// Package semantics pins what each timer operation does, on both ports
// (oldimpl and newimpl) through port.Impl and port.World only. It has no
// code, only tests:
//
//   - TestTransitions: for deltimer (StopTimer), modtimer (Modtimer and
//     ResetTimer), checkTimers on the caller's own P, and adoptTimers
//     (Procresize shrinking), from each prior timer state — removed,
//     waiting, modified (nextwhen != 0) and stopped (timerModified with
//     nextwhen == 0), each built with real calls — the result, the new
//     status, when and nextwhen, the change of deletedTimers, the heaps,
//     the wakeNetPoller calls and the firings. Both ports must match the
//     same expectation, written from upstream's time.go.
//   - TestThrows: the throws modtimer and startTimer make on bad input,
//     and that the World is dead after one (Do returns port.ErrDead).
//   - TestAdapterErrors: bad input to the adapter (an unknown timer, a P
//     that does not exist, ...) is an error, not a panic, and leaves the
//     World unchanged and alive.
//   - TestWorldsInParallel, TestFreshWorldAfterClose: an old and a new
//     World can be open at once, and a World opened after Close starts
//     from nothing.
//   - TestAdjusttimersLeavesNumTimers: a property of upstream at both
//     commits, not of the ports: adjusttimers removes a stopped timer from
//     the heap without decrementing numTimers, so World.Verify reports the
//     counter as wrong afterwards.
package semantics
