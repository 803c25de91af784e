package main

import (
	"encoding/json"
	"testing"

	"github.com/timerdiff/timerdiff/internal/seriesdiff"
)

// TestSeries runs the command on a small sequential corpus (the full
// table is internal/seriesdiff's golden): -json gives every pair, and the
// exit status says whether every pair is clean.
func TestSeries(t *testing.T) {
	t.Parallel()
	code, out, _ := difftestRun(t, "series", "-json", "-corpus", "testdata/corpus")
	var rep seriesdiff.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("series -json: %v\n%s", err, out)
	}
	if len(rep.Rows) != len(seriesdiff.Pairs()) || rep.Bound != 1 {
		t.Errorf("series -json: %d rows at bound %d; want %d at bound 1", len(rep.Rows), rep.Bound, len(seriesdiff.Pairs()))
	}
	want := exitOK
	if !rep.Clean() {
		want = exitFound
	}
	if code != want {
		t.Errorf("series = exit %d; want %d (clean: %t)", code, want, rep.Clean())
	}
	for _, args := range [][]string{{"series", "x"}, {"series", "-bound", "-1"}, {"series", "-time", "-1s"}} {
		if code, _, _ := difftestRun(t, args...); code != exitUsage {
			t.Errorf("difftest %q = exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, _, _ := difftestRun(t, "series", "-corpus", "testdata/missing"); code != exitUsage {
		t.Errorf("series -corpus missing = exit %d, want %d", code, exitUsage)
	}
}
