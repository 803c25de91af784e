package fuzz

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/explore"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// FindingsDir holds programs on which the real versions differ.
const FindingsDir = "../corpus/findings"

// TestFindings pins every documented difference between the real old and
// new versions: under the file's schedule the new version shows a lost
// timer and the old one no problem, and exploring all schedules up to
// bound 2 finds outcomes only the new version reaches. If a change to the
// ports or the model makes a finding disappear, this fails, and the
// README's explanation must be revisited.
func TestFindings(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(FindingsDir, "*.ops"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no findings under %s (%v)", FindingsDir, err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			p, _, err := ops.ReadConcFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if p.Schedule == nil {
				t.Fatal("a finding must carry its schedule line")
			}
			r := check.Conc(p, func() sim.Chooser { return sched.Replay(p.Schedule) })
			if len(r.Problems) == 0 || !strings.Contains(r.Problems[0].String(), "lost timer") {
				t.Errorf("new version under the file's schedule: problems %v, want a lost timer", r.Problems)
			}
			if len(r.Old.Lost) != 0 {
				t.Errorf("old version under the file's schedule lost timers: %v", r.Old.Lost)
			}
			rep, err := explore.Pair(check.Old, check.New, p, explore.Options{Bound: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Divergences) == 0 {
				t.Errorf("explore at bound 2 finds no outcome only the new version reaches:\n%s", rep)
			}
		})
	}
}
