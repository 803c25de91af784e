package known

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/series/vc6888d92"
)

func TestLoadFindings(t *testing.T) {
	s, err := Load("../../corpus/findings", check.Old, check.New)
	if err != nil {
		t.Fatal(err)
	}
	idle := oracle.Problem{Kind: oracle.IdleAdd, Class: "tN in the heap of idle PN, whose timerpMask bit is clear (updateTimerPMask: an idle P cannot add new timers while idle)"}
	if file, ok := s.Match(idle); !ok || !strings.HasSuffix(file, ".ops") {
		t.Errorf("Match(timer on idle P) = %q, %t; want a findings file", file, ok)
	}
	if _, ok := s.Match(oracle.Problem{Kind: oracle.Throw, Class: "bad timer heap"}); ok {
		t.Errorf("an unrelated throw matched a known finding")
	}
	var none *Set
	if _, ok := none.Match(idle); ok {
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
