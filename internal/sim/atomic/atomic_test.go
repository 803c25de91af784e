package atomic

import "testing"

// rawLog is an Observer that counts the raw accesses it is told about.
type rawLog struct{ raw int }

func (l *rawLog) Access(w *Word, op Op)         {}
func (l *rawLog) Wrote(w *Word, old, nw uint64) {}
func (l *rawLog) RawAccess(w *Word, write bool) { l.raw++ }

// TestRawQuiet: Raw tells the observer of every read while RawQuiet is
// false or unset, and of none while it is true, whether the Word has a
// RawObs or only an Obs; on an unbound value it tells no one. (Raw reads
// RawQuiet through the pointer Bind took.)
func TestRawQuiet(t *testing.T) {
	for _, viaObs := range []bool{false, true} {
		var log rawLog
		quiet := false
		w := &Word{Obs: &log, RawQuiet: &quiet}
		if !viaObs {
			w.RawObs = &log
		}
		var u Uint32
		var i Int64
		u.Bind(w)
		i.Bind(w)
		u.Raw()
		i.Raw()
		if log.raw != 2 {
			t.Fatalf("viaObs=%v: %d raw accesses told while not quiet, want 2", viaObs, log.raw)
		}
		quiet = true
		u.Raw()
		i.Raw()
		if log.raw != 2 {
			t.Fatalf("viaObs=%v: %d raw accesses told, want still 2 while quiet", viaObs, log.raw)
		}
		quiet = false
		u.Raw()
		if log.raw != 3 {
			t.Fatalf("viaObs=%v: %d raw accesses told, want 3 once not quiet again", viaObs, log.raw)
		}
		// A Word without RawQuiet is never quiet.
		loud := &Word{Obs: &log, RawObs: &log}
		u.Bind(loud)
		i.Bind(loud)
		u.Raw()
		i.Raw()
		if log.raw != 5 {
			t.Fatalf("viaObs=%v: %d raw accesses told, want 5 with no RawQuiet", viaObs, log.raw)
		}
	}
	var u Uint32
	if u.Raw() != 0 {
		t.Fatal("unbound Raw")
	}
}
