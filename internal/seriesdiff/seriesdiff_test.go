package seriesdiff

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/corpus"
)

var update = flag.Bool("update", false, "rewrite testdata/series.golden")

// TestSeriesGolden pins the series table of the committed corpus: no
// campaign, bound 1, every pair (about 12 s; 44 s under the race
// detector, where it runs the two pairs of the finding and its fix
// instead and compares their rows with series.json). docs/series.md
// explains every non-empty cell; a change here is a change of the ports,
// the model or the corpus, to be explained there too.
func TestSeriesGolden(t *testing.T) {
	path, err := filepath.Abs(filepath.Join("testdata", "series.golden"))
	if err != nil {
		t.Fatal(err)
	}
	jsonPath := strings.TrimSuffix(path, ".golden") + ".json"
	t.Chdir(filepath.Join("..", "..")) // the paths and replay lines, as from the module root
	if raceEnabled {
		subset(t, jsonPath)
		return
	}
	rep, err := Run(Options{Root: corpus.Root, Bound: 1})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(jsonPath, append(js, '\n'), 0o666); err != nil {
			t.Fatal(err)
		}
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

// subset runs the pairs b5a99eaa -> 2fb5ef88 and 1df6db8e -> c6888d92 and
// compares their rows with the golden JSON's.
func subset(t *testing.T, jsonPath string) {
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var want Report
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	all := Pairs()
	pairs := []Pair{all[1], all[5]}
	rep, err := Run(Options{Root: corpus.Root, Bound: 1, Pairs: pairs})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pairs {
		got, _ := json.MarshalIndent(rep.Rows[i], "", "  ")
		var w []byte
		for _, r := range want.Rows {
			if r.Old == p.Old.Short && r.New == p.New.Short && !r.Span {
				w, _ = json.MarshalIndent(r, "", "  ")
			}
		}
		if string(got) != string(w) {
			t.Errorf("%s -> %s differs from %s:\ngot:\n%s\nwant:\n%s", p.Old.Short, p.New.Short, jsonPath, got, w)
		}
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
