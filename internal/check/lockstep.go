package check

import (
	"slices"
	"sync"

	"github.com/timerdiff/timerdiff/internal/compare"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
)

// Equal reports whether p shows no divergence, without building traces:
// the two versions run in lockstep (an old and a new World are open at
// once), and after each call their outcomes, states and heap checks are
// compared into reused buffers. It is the fuzzing hot path. Its verdict
// is compare.Check's: when it says false, Program explains, and Program
// must agree (FuzzDiff panics if not).
func Equal(p ops.Program) bool { return EqualPair(Old, New, p) }

// EqualPair is Equal with given versions.
func EqualPair(oldImpl, newImpl port.Impl, p ops.Program) bool {
	cfg := p.Config()
	// Nothing here reads where a lock-order edge was first seen, only
	// whether the rank order allows it; Locate reports it.
	cfg.NoLockSites = true
	// Nor does it keep anything of a World after Close.
	cfg.Reuse = true
	ow := oldImpl.Open(cfg)
	defer ow.Close()
	nw := newImpl.Open(cfg)
	defer nw.Close()
	// The two snapshots' slices are reused from one program to the next
	// (SnapshotInto overwrites every field).
	bufs := statePool.Get().(*[2]port.State)
	defer statePool.Put(bufs)
	os, ns := &bufs[0], &bufs[1]
	var oldV, newV port.Version
	for _, c := range p.Ops {
		oo, oerr := ow.Do(c)
		no, nerr := nw.Do(c)
		if (oerr == nil) != (nerr == nil) || oerr != nil && oerr.Error() != nerr.Error() {
			return false
		}
		if no.Hang != "" {
			return false // the new version must never hang
		}
		if !compare.OutcomesEqual(&oo, &no) {
			return false
		}
		if oerr != nil || oo.Throw != "" || oo.Hang != "" {
			break // the run ends; no state to compare
		}
		// Most calls that return a value change nothing: then the
		// states are still the equal ones compared last time.
		if ov, nv := ow.Version(), nw.Version(); ov != oldV || nv != newV {
			oldV, newV = ov, nv
			ow.SnapshotInto(os)
			nw.SnapshotInto(ns)
			if !compare.StatesEqual(os, ns) || !slices.Equal(ow.Verify(), nw.Verify()) {
				return false
			}
		}
	}
	if lo, ok := nw.(lockOrderOK); ok {
		return lo.LockOrderOK() // the ports' own, without copying the edges
	}
	return lockOrderAllowed(nw)
}

// lockOrderOK is the ports' shortcut for lockOrderAllowed
// (TestLockOrderOK checks that they agree).
type lockOrderOK interface{ LockOrderOK() bool }

// lockOrderAllowed is EqualPair's verdict on w's lock order: every edge
// allowed by the rank order, no cycle.
func lockOrderAllowed(w port.World) bool {
	edges, cycles := w.LockOrder()
	for _, e := range edges {
		if !e.RankOK {
			return false
		}
	}
	return len(cycles) == 0
}

// statePool holds EqualPair's snapshot buffers.
var statePool = sync.Pool{New: func() any { return new([2]port.State) }}
