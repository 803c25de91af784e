package sim

import (
	"runtime"
	"testing"
)

// This file stands for a port's time.go (Config.PortFile): portModtimer
// calls portAdd, which calls into the glue.

func portModtimer(w *World, skip ...string) (Site, int) {
	_, _, line, _ := runtime.Caller(0)
	return portAdd(w, skip...), line + 1
}

func portAdd(w *World, skip ...string) Site { return glueCapture(w, skip...) }

func TestHere(t *testing.T) {
	w := NewWorld(Config{PortFile: "sim/site_test.go"})
	got, _ := portModtimer(w)
	if got.Func != "portAdd" || got.Call != "glueCapture" || got.File != "sim/site_test.go" || got.Line == 0 {
		t.Errorf("Here() = %+v, want portAdd calling glueCapture", got)
	}
	got, line := portModtimer(w, "portAdd")
	want := Site{Func: "portModtimer", File: "sim/site_test.go", Line: line, Call: "portAdd"}
	if got != want {
		t.Errorf("Here(\"portAdd\") = %+v, want %+v: a skipped helper's caller is the site", got, want)
	}
	if got, want := got.String(), "portModtimer -> portAdd (sim/site_test.go:"; len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("String() = %q, want it to start %q", got, want)
	}
	// No ported frame on the stack: the zero Site.
	if got := NewWorld(Config{PortFile: "oldimpl/time.go"}).Here(); !got.IsZero() {
		t.Errorf("Here() with no ported frame = %+v, want the zero Site", got)
	}
}
