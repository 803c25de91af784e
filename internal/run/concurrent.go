package run

import (
	"slices"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// ConcTrace is what one version did on one concurrent program under one
// schedule: a sequential setup, then threads interleaved.
type ConcTrace struct {
	Impl    string
	Setup   []Step   // the sequential prefix, as in Run
	Threads [][]Step // per thread, the calls it started (State is nil: threads have no moment between ops)
	Err     string   // the adapter refused the threads (bad input)
	Final   *port.State
	Bad     []string // heap invariant violations after the threads ended, and those seen during the run ("during the run: ...")
	// IdleAdds lists timers found in the heap of an idle P whose
	// timerpMask bit is clear, during the run (whenever a timersLock was
	// released) or after it: updateTimerPMask's assumption broken.
	IdleAdds []string
	// IdleAddCause and BadCause hold, for each line of IdleAdds and Bad,
	// its port.Cause (zero when none was captured: a heap check after
	// the threads).
	IdleAddCause []port.Cause
	BadCause     []port.Cause
	Lost         []Stuck // timers the runtime's own paths do not run after the threads ended (see Lost)
	port.ConcOutcome
	LockEdges  []port.LockEdge
	LockCycles []string
}

// Ended reports whether the run stopped at a throw, crash, hang or error.
func (t *ConcTrace) Ended() bool {
	if t.Err != "" || len(t.Setup) > 0 && t.Setup[len(t.Setup)-1].Ended() {
		return true
	}
	for _, th := range t.Threads {
		for i := range th {
			if th[i].Ended() || th[i].Out.Cut {
				return true
			}
		}
	}
	return false
}

// Concurrent runs setup sequentially on a fresh World of impl, then the
// threads concurrently under ch. With record, the trace holds every event.
func Concurrent(impl port.Impl, cfg port.Config, setup []port.Call, threads []port.Thread, ch sim.Chooser, record bool) ConcTrace {
	w := impl.Open(cfg)
	defer w.Close()
	tr := ConcTrace{Impl: impl.Name()}
	if len(setup) > 0 {
		tr.Setup = make([]Step, 0, len(setup))
	}
	for _, c := range setup {
		st := do(w, c)
		tr.Setup = append(tr.Setup, st)
		if st.Ended() {
			tr.LockEdges, tr.LockCycles = w.LockOrder()
			return tr
		}
	}
	co, err := w.Concurrent(threads, ch, record)
	if err != nil {
		tr.Err = err.Error()
		return tr
	}
	tr.ConcOutcome = co
	tr.Threads = make([][]Step, len(threads))
	dead := false
	for i, outs := range co.Outcomes {
		if len(outs) > 0 {
			tr.Threads[i] = make([]Step, 0, len(outs))
		}
		for k, o := range outs {
			tr.Threads[i] = append(tr.Threads[i], Step{Call: threads[i].Calls[k], Out: o})
			dead = dead || o.Throw != "" || o.Hang != ""
		}
	}
	tr.IdleAdds, tr.IdleAddCause = co.IdleAdds, co.IdleAddCause
	if !dead {
		s := w.Snapshot()
		tr.Final = &s
		tr.Bad = w.Verify()
		tr.BadCause = make([]port.Cause, len(tr.Bad))
		for _, ia := range idleAdds(&s) {
			if !slices.Contains(tr.IdleAdds, ia.text) {
				tr.IdleAdds = append(tr.IdleAdds, ia.text)
				tr.IdleAddCause = append(tr.IdleAddCause, addCause(co.BadAdds, ia.p, ia.timers))
			}
		}
		tr.Lost = Lost(w)
		for i := range tr.Lost {
			if t := tr.Lost[i].Timer; t != "" {
				tr.Lost[i].Cause = addCause(co.BadAdds, -1, []string{t})
			}
		}
	}
	// Heap checks made while the threads ran, whenever a P's timersLock
	// was released, count as heap violations too.
	for i, b := range co.MidRun {
		tr.Bad = append(tr.Bad, "during the run: "+b)
		tr.BadCause = append(tr.BadCause, co.MidRunCause[i])
	}
	tr.LockEdges, tr.LockCycles = w.LockOrder()
	return tr
}

// addCause is the Cause of the first of adds that put one of timers on
// P p (any P if p < 0), or the zero Cause.
func addCause(adds []port.BadAdd, p int, timers []string) port.Cause {
	for _, a := range adds {
		if (p < 0 || a.P == p) && slices.Contains(timers, a.Timer) {
			return a.Cause
		}
	}
	return port.Cause{}
}
