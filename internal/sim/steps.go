package sim

import (
	"fmt"

	"github.com/timerdiff/timerdiff/internal/sim/atomic"
)

// A step is what one M does between two of its scheduling points: the
// primitive it was paused before (an atomic operation, a lock, an
// osyield...), then the glue and ported code up to its next scheduling
// point. Footprint is what one step touched, for the dependence relation
// of a partial-order reduction (package explore, rule 7 of its doc).
type Footprint struct {
	M int
	// Global: the step did something the footprint does not describe
	// (a preemption offered or made, a rescue, a spawn, a throw or hang,
	// an unlock whose checks read other Ps' state, the clock moved,
	// plain scheduler state like the idle list): dependent with every
	// step.
	Global bool
	// ReadsProgress: the step read World.progress (an osyield with no
	// load before it, which waits for any change, or a step of its M
	// since the last load, once it spins); an osyield after a load reads
	// that load's word instead (in Reads).
	// BumpsProgress: it changed it (a write that changed a word, an
	// unlock). Bumps commute with each other.
	ReadsProgress, BumpsProgress bool
	// Reads and Writes are the atomic words (*atomic.Word, Raw accesses
	// included), locks (*Lock; taking or releasing one, or trying to,
	// is a write) and the glue's plain variables (*Var, see Touch) the
	// step touched.
	Reads, Writes []any
}

// Dependent reports whether two steps may not commute: the same M, one
// of them global, one reading progress the other bumps, or a word or
// lock both touch, one of them writing it. The two steps may come from
// different runs of one program: a word or lock is then the same if it
// has the same name.
func (a *Footprint) Dependent(b *Footprint) bool {
	if a.M == b.M || a.Global || b.Global {
		return true
	}
	if a.ReadsProgress && b.BumpsProgress || a.BumpsProgress && b.ReadsProgress {
		return true
	}
	for _, x := range a.Writes {
		if containsSame(b.Writes, x) || containsSame(b.Reads, x) {
			return true
		}
	}
	for _, x := range a.Reads {
		if containsSame(b.Writes, x) {
			return true
		}
	}
	return false
}

func containsLoc(s []any, x any) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// containsSame reports whether s holds the location x names, in this
// run or in another run of the same program: every run makes its own
// words and locks, and one is the same as another's if it has the same
// kind and name. (The sleep sets compare a step of this run with one a
// sibling schedule took in its own run.)
func containsSame(s []any, x any) bool {
	for _, y := range s {
		if y == x || sameLoc(x, y) {
			return true
		}
	}
	return false
}

func sameLoc(x, y any) bool {
	switch x := x.(type) {
	case *atomic.Word:
		y, ok := y.(*atomic.Word)
		return ok && x.Name == y.Name
	case *Lock:
		y, ok := y.(*Lock)
		return ok && x.Name == y.Name
	case *Var:
		y, ok := y.(*Var)
		return ok && x.Name == y.Name
	}
	return false
}

// Steps records the footprint of every step of a concurrent run, in the
// order the steps ran. A Chooser that implements StepTracker gets one
// filled by the World it schedules.
type Steps struct {
	Done []Footprint // the steps that ended, in order
	// Unfair counts the FairSlice switches, which depend on the history
	// of the run and not only on its state: the relation does not cover
	// them.
	Unfair int

	open    Footprint
	running bool // open belongs to a step under way
	global  bool // Shared between steps: the next step is global
}

// Reset empties s for another run, keeping Done's array: a footprint
// of the last run that is still needed must have been copied out (the
// Reads and Writes of each footprint are its own, never reused).
func (s *Steps) Reset() {
	*s = Steps{Done: s.Done[:0]}
}

// StepTracker is a Chooser that wants every step's footprint.
type StepTracker interface {
	TrackSteps() *Steps
}

func (s *Steps) cur(w *World) *Footprint {
	if s.running && s.open.M != w.cur.ID {
		// Another M runs while a step is open: only a scheduler's own
		// bookkeeping between steps does that. Close it, and count
		// both as global.
		s.open.Global = true
		s.Done = append(s.Done, s.open)
		s.running, s.global = false, true
	}
	if !s.running {
		s.running = true
		s.open = Footprint{M: w.cur.ID, Global: s.global || w.cur.sharedCall}
		s.global = false
	}
	return &s.open
}

// end closes the running M's step at a scheduling point.
func (w *World) endStep() {
	s := w.track
	if s == nil {
		return
	}
	f := s.cur(w)
	s.Done = append(s.Done, *f)
	s.running = false
}

// spunOn marks, when m has begun to spin in osyield, its steps since the
// load whose progress it waits on as reading progress: where that load
// falls among other Ms' writes decides whether m spins. A load that no
// osyield follows before the M's next load reads nothing that matters.
func (s *Steps) spunOn(m *M) {
	for k := m.loadStep; k < len(s.Done); k++ {
		if s.Done[k].M == m.ID {
			s.Done[k].ReadsProgress = true
		}
	}
}

func (w *World) touch(x any, write bool) {
	s := w.track
	if s == nil {
		return
	}
	f := s.cur(w)
	if write {
		if !containsLoc(f.Writes, x) {
			f.Writes = append(f.Writes, x)
		}
	} else if !containsLoc(f.Reads, x) {
		f.Reads = append(f.Reads, x)
	}
}

// Var is a plain variable of the glue, shared between Ms and touched
// without a scheduling point (the adapter's allocations, the mid-run
// checks' log): a name for footprints, so that the steps that touch it
// are dependent with each other and with no other step.
type Var struct{ Name string }

// Touch puts x in the running M's step footprint, as read or written:
// a *Var; or a word (*atomic.Word) or lock (*Lock) whose guarded plain
// state the glue reads or writes without a scheduling point (a timer's
// fields, set up by the glue before startTimer, are guarded by its
// status word; a P's heap by its timersLock). A no-op outside a tracked
// run. Between two steps it opens the M's next one.
func (w *World) Touch(x any, write bool) {
	if w.track == nil || w.cur == nil {
		return
	}
	switch x.(type) {
	case *Var, *atomic.Word, *Lock:
	default:
		panic(fmt.Sprintf("sim: Touch of a %T", x))
	}
	w.touch(x, write)
}

// Shared marks the running M's step as global: it touches state that no
// footprint describes (the glue's idle list, for instance). A no-op
// outside a tracked run.
func (w *World) Shared() {
	s := w.track
	if s == nil {
		return
	}
	if !s.running {
		s.global = true // between steps (a spawn): the next one
		return
	}
	s.open.Global = true
}

// SharedCall marks every step of the running M's call global, up to its
// next BeginCall: for calls whose glue changes plain shared state in
// many steps (procresize, the idle list, the clock).
func (w *World) SharedCall() {
	w.cur.sharedCall = true
	w.Shared()
}

// MarkLastGlobal marks the last ended step of m global: a preemption
// was offered at the safe point it ended at, with options that depend on
// where other Ms are (Preempt.Options), which depends on when m got
// there.
func (w *World) MarkLastGlobal(m *M) {
	s := w.track
	if s == nil || len(s.Done) == 0 {
		return
	}
	if f := &s.Done[len(s.Done)-1]; f.M == m.ID {
		f.Global = true
	}
}

// RawAccess implements atomic.RawObserver: a read or write without a
// scheduling point is part of the running step's footprint.
// While track is nil it does nothing, and the World's words skip it
// (Word.RawQuiet).
func (w *World) RawAccess(wd *atomic.Word, write bool) {
	if w.track != nil && w.cur != nil {
		w.touch(wd, write)
	}
}
