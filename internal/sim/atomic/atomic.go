// Package atomic stands in for runtime/internal/atomic in the ported
// timer code.
//
// Invariants:
//   - Every operation on a word is a scheduling point: before it reads or
//     writes the value it calls Observer.Access on the word's observer, so
//     the simulated runtime can count steps, detect hangs and (later)
//     switch to another M there.
//   - Every operation that changes the value calls Observer.Wrote after the
//     change, so the simulated runtime can see a timer status word move into
//     and out of timerLocked.
//   - A word must be bound (Bind) before use. Using an unbound word is a bug
//     in the tester, not in the code under test, and panics.
//
// The value itself is a plain field: the simulated runtime runs exactly one
// M at a time and hands control over through channels, which order the
// accesses for the Go memory model and the race detector.
package atomic

// Op is the kind of an atomic operation.
type Op uint8

const (
	OpLoad Op = iota
	OpStore
	OpAdd
	OpCAS
)

var opNames = [...]string{OpLoad: "Load", OpStore: "Store", OpAdd: "Add", OpCAS: "CompareAndSwap"}

func (op Op) String() string { return opNames[op] }

// Observer is told about every operation on the words bound to it.
type Observer interface {
	// Access is called before each operation on w.
	Access(w *Word, op Op)
	// Wrote is called after an operation changed w from old to new.
	Wrote(w *Word, old, val uint64)
}

// FailObserver is an Observer that is also told, after a
// compare-and-swap on w failed, that it did.
type FailObserver interface {
	Failed(w *Word)
}

// RawObserver is an Observer that is also told about the accesses
// without a scheduling point (Raw, SetRaw), so that it can count them in
// the footprint of the step that makes them.
type RawObserver interface {
	RawAccess(w *Word, write bool)
}

func rawAccess(w *Word, write bool) {
	switch {
	case w == nil:
	case w.RawQuiet != nil && *w.RawQuiet:
	case w.RawObs != nil:
		w.RawObs.RawAccess(w, write)
	default:
		if r, ok := w.Obs.(RawObserver); ok {
			r.RawAccess(w, write)
		}
	}
}

// Word names an atomic value for the simulated runtime.
type Word struct {
	Name string   // for people: "t3.status", "P0.numTimers"
	Kind int      // meaning is the observer's (e.g. "timer status word")
	ID   int      // meaning is the observer's (e.g. the timer's index)
	Obs  Observer // told about every operation
	// Changes counts the operations that changed the value (Wrote
	// calls); the observer keeps it (an M spinning in osyield waits
	// for a change of the word it loaded last).
	Changes uint64
	// RawObs, if set, is Obs as a RawObserver: it spares Raw and SetRaw
	// (the snapshots read every word after every call) the type
	// assertion. Unset, Raw asserts Obs.
	RawObs RawObserver
	// RawQuiet, if set, says when RawObs (or Obs) would do nothing with
	// a raw access, so that Raw and SetRaw need not call it: while
	// *RawQuiet is true. Set before Bind (Raw reads the one Bind saw).
	RawQuiet *bool
}

// Uint32 is an atomically accessed uint32.
type Uint32 struct {
	v uint32
	w *Word
	// quiet is w.RawQuiet, taken at Bind: Raw reads it without loading
	// the Word (the snapshots read every word after every call).
	quiet *bool
}

// Bind attaches x to its Word. It does not change the value.
func (x *Uint32) Bind(w *Word) {
	x.w = w
	x.quiet = nil
	if w != nil {
		x.quiet = w.RawQuiet
	}
}

// Word returns the Word x is bound to, or nil.
func (x *Uint32) Word() *Word { return x.w }

// Raw returns the value without a scheduling point: for snapshots only.
func (x *Uint32) Raw() uint32 {
	if q := x.quiet; q == nil || !*q {
		rawAccess(x.w, false)
	}
	return x.v
}

// SetRaw sets the value without a scheduling point: for the glue's
// bookkeeping outside the ported code (timerpMask), and for tests that
// build a corrupt state on purpose.
func (x *Uint32) SetRaw(v uint32) {
	rawAccess(x.w, true)
	x.v = v
}

func (x *Uint32) access(op Op) {
	if x.w == nil {
		panic("atomic: Uint32 used before Bind")
	}
	x.w.Obs.Access(x.w, op)
}

func (x *Uint32) wrote(old uint32) {
	if old != x.v {
		x.w.Obs.Wrote(x.w, uint64(old), uint64(x.v))
	}
}

func (x *Uint32) Load() uint32 {
	x.access(OpLoad)
	return x.v
}

func (x *Uint32) Store(v uint32) {
	x.access(OpStore)
	old := x.v
	x.v = v
	x.wrote(old)
}

func (x *Uint32) Add(delta int32) uint32 {
	x.access(OpAdd)
	old := x.v
	x.v += uint32(delta)
	x.wrote(old)
	return x.v
}

func (x *Uint32) CompareAndSwap(old, val uint32) bool {
	x.access(OpCAS)
	if x.v != old {
		if f, ok := x.w.Obs.(FailObserver); ok {
			f.Failed(x.w)
		}
		return false
	}
	x.v = val
	x.wrote(old)
	return true
}

// Int64 is an atomically accessed int64.
type Int64 struct {
	v int64
	w *Word
	// quiet is w.RawQuiet, taken at Bind: Raw reads it without loading
	// the Word (the snapshots read every word after every call).
	quiet *bool
}

// Bind attaches x to its Word. It does not change the value.
func (x *Int64) Bind(w *Word) {
	x.w = w
	x.quiet = nil
	if w != nil {
		x.quiet = w.RawQuiet
	}
}

// Word returns the Word x is bound to, or nil.
func (x *Int64) Word() *Word { return x.w }

// Raw returns the value without a scheduling point: for snapshots only.
func (x *Int64) Raw() int64 {
	if q := x.quiet; q == nil || !*q {
		rawAccess(x.w, false)
	}
	return x.v
}

// SetRaw sets the value without a scheduling point, like Uint32.SetRaw.
func (x *Int64) SetRaw(v int64) {
	rawAccess(x.w, true)
	x.v = v
}

func (x *Int64) access(op Op) {
	if x.w == nil {
		panic("atomic: Int64 used before Bind")
	}
	x.w.Obs.Access(x.w, op)
}

func (x *Int64) wrote(old int64) {
	if old != x.v {
		x.w.Obs.Wrote(x.w, uint64(old), uint64(x.v))
	}
}

func (x *Int64) Load() int64 {
	x.access(OpLoad)
	return x.v
}

func (x *Int64) Store(v int64) {
	x.access(OpStore)
	old := x.v
	x.v = v
	x.wrote(old)
}

func (x *Int64) Add(delta int64) int64 {
	x.access(OpAdd)
	old := x.v
	x.v += delta
	x.wrote(old)
	return x.v
}

func (x *Int64) CompareAndSwap(old, val int64) bool {
	x.access(OpCAS)
	if x.v != old {
		if f, ok := x.w.Obs.(FailObserver); ok {
			f.Failed(x.w)
		}
		return false
	}
	x.v = val
	x.wrote(old)
	return true
}
