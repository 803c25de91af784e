// Package run executes a sequence of calls on one version of the timer
// code and records what it observed: the Trace.
//
// Invariants:
//   - Run opens a fresh World and closes it before returning: traces do not
//     depend on what ran before.
//   - After every call that finished, the Trace holds the state snapshot
//     and the heap verification of that moment; checking invariants after
//     every op, not only at the end, points at the op that broke them.
//   - The trace stops at the first call that threw, crashed, hung or was
//     refused by the adapter: the real process would be gone, so nothing
//     after it is observable. Its state is not recorded either.
//   - Deterministic: the same calls on the same Impl give the same Trace.
package run

import (
	"github.com/timerdiff/timerdiff/internal/port"
)

// Trace is what one version did on one program.
type Trace struct {
	Impl       string
	Steps      []Step
	LockEdges  []port.LockEdge // lock-class pairs held at once, in order of first appearance
	LockCycles []string        // cycles among them that the rank order does not allow
}

// Step is one call and what it observably did.
type Step struct {
	Call  port.Call
	Out   port.Outcome
	Err   string      // the adapter refused the call (bad input)
	State *port.State // after the call; nil if it threw, hung or was refused
	Bad   []string    // heap invariant violations after the call
}

// Ended reports whether the step ended the run (throw, crash, hang or error).
func (s *Step) Ended() bool { return s.Err != "" || s.Out.Throw != "" || s.Out.Hang != "" }

// do makes one call and records its outcome, or the adapter's refusal.
func do(w port.World, c port.Call) Step {
	out, err := w.Do(c)
	st := Step{Call: c, Out: out}
	if err != nil {
		st.Err = err.Error()
	}
	return st
}

// Run executes calls on a fresh World of impl.
func Run(impl port.Impl, cfg port.Config, calls []port.Call) Trace {
	w := impl.Open(cfg)
	defer w.Close()
	tr := Trace{Impl: impl.Name(), Steps: make([]Step, 0, len(calls))}
	for _, c := range calls {
		st := do(w, c)
		if !st.Ended() {
			s := w.Snapshot()
			st.State = &s
			st.Bad = w.Verify()
		}
		tr.Steps = append(tr.Steps, st)
		if st.Ended() {
			break
		}
	}
	tr.LockEdges, tr.LockCycles = w.LockOrder()
	return tr
}

// Bare executes calls on a fresh World of impl and observes nothing but
// the calls' outcomes: the baseline the harness's cost is measured against.
func Bare(impl port.Impl, cfg port.Config, calls []port.Call) {
	w := impl.Open(cfg)
	defer w.Close()
	for _, c := range calls {
		if _, err := w.Do(c); err != nil {
			return
		}
	}
}
