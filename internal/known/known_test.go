package known

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/series/vc6888d92"
	"github.com/timerdiff/timerdiff/internal/sim"
)

func TestLoadFindings(t *testing.T) {
	s, err := Load("../../corpus/findings", check.Old, check.New)
	if err != nil {
		t.Fatal(err)
	}
	add := sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 369, Call: "doaddtimer"}
	move := sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 368, Call: "lock"}
	idle := func(where, move sim.Site) oracle.Problem {
		return oracle.Problem{Kind: oracle.IdleAdd, Class: "tN, tN in the heap of idle PN, ...", Sig: oracle.Signature{Kind: oracle.IdleAdd, Where: where, Move: move}}
	}
	// The same code in another port: other file, other lines.
	elsewhere := func(s sim.Site) sim.Site { s.File, s.Line = "internal/series/v1df6db8e/time.go", s.Line+40; return s }
	for _, tc := range []struct {
		name string
		p    oracle.Problem
		want bool
	}{
		{"the finding's cause", idle(add, move), true},
		{"the same cause in another port", idle(elsewhere(add), elsewhere(move)), true},
		{"an add from another function", idle(sim.Site{Func: "adjusttimers", File: "newimpl/time.go", Line: 700, Call: "doaddtimer"}, move), false},
		{"the add without the move", idle(add, sim.Site{}), false},
		{"the add after a move between calls", idle(add, sim.Site{Call: "between calls"}), false},
		{"the same text with no signature", oracle.Problem{Kind: oracle.IdleAdd, Class: "tN in the heap of idle PN, whose timerpMask bit is clear (updateTimerPMask: an idle P cannot add new timers while idle)"}, false},
		{"an unrelated throw", oracle.Problem{Kind: oracle.Throw, Class: "bad timer heap", Sig: oracle.Signature{Kind: oracle.Throw, What: "bad timer heap"}}, false},
	} {
		file, ok := s.Match(tc.p)
		if ok != tc.want || ok && !strings.HasSuffix(file, ".ops") {
			t.Errorf("%s: Match(%s) = %q, %t; want %t", tc.name, tc.p.Sig, file, ok, tc.want)
		}
	}
	var none *Set
	if _, ok := none.Match(idle(add, move)); ok {
		t.Errorf("a nil Set matched")
	}
}

// A findings script that shows nothing on the pair is an error, not an
// empty baseline: on upstream's fix the findings are gone.
func TestLoadRefusesAStaleFinding(t *testing.T) {
	if _, err := Load("../../corpus/findings", check.Old, vc6888d92.Impl); err == nil || !strings.Contains(err.Error(), "shows no problem") {
		t.Errorf("Load on c6888d92 = %v, want an error saying the finding shows no problem", err)
	}
	dir := t.TempDir()
	if s, err := Load(filepath.Join(dir, "missing"), check.Old, check.New); err != nil || s.Len() != 0 {
		t.Errorf("Load of a missing dir = %v, %v; want an empty Set", s, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.ops"), []byte("procs 2\ntimers 1\nthread P0:\n    P0: t0.stopTimer()\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir, check.Old, check.New); err == nil || !strings.Contains(err.Error(), "schedule line") {
		t.Errorf("Load of a finding without a schedule line = %v, want an error", err)
	}
}
