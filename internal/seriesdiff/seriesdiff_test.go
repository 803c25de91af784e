package seriesdiff

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/timerdiff/timerdiff/internal/corpus"
)

var update = flag.Bool("update", false, "rewrite testdata/series.golden")

// TestSeriesGolden pins the series table of the committed corpus: no
// campaign, bound 1, every pair (about 7 s). docs/series.md explains
// every non-empty cell; a change here is a change of the ports, the
// model or the corpus, to be explained there too.
func TestSeriesGolden(t *testing.T) {
	path, err := filepath.Abs(filepath.Join("testdata", "series.golden"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join("..", "..")) // the paths and replay lines, as from the module root
	rep, err := Run(Options{Root: corpus.Root, Bound: 1})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rep.Write(&b)
	got := b.String()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("the series table differs from %s (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}

	// The JSON says the same, and what the doc relies on holds.
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Rows) != len(Pairs()) || back.Clean() != rep.Clean() {
		t.Errorf("JSON round trip: %d rows, clean %t; want %d, %t", len(back.Rows), back.Clean(), len(Pairs()), rep.Clean())
	}
	if rep.Clean() {
		t.Errorf("the series is clean; want 2fb5ef88's timer on an idle P in b5a99eaa -> 2fb5ef88")
	}
}

func TestPairs(t *testing.T) {
	ps := Pairs()
	want := []string{"51df232b", "b5a99eaa", "2fb5ef88", "58911599", "d1e8dc25", "1df6db8e", "c6888d92"}
	if len(ps) != len(want) {
		t.Fatalf("%d pairs, want %d", len(ps), len(want))
	}
	for i := range len(want) - 1 {
		if ps[i].Old.Short != want[i] || ps[i].New.Short != want[i+1] {
			t.Errorf("pair %d: %s -> %s, want %s -> %s", i, ps[i].Old.Short, ps[i].New.Short, want[i], want[i+1])
		}
	}
	if s := ps[len(ps)-1]; s.Old.Short != SpanOld || s.New.Short != SpanNew {
		t.Errorf("span %s -> %s, want %s -> %s", s.Old.Short, s.New.Short, SpanOld, SpanNew)
	}
}
