package regress

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/timerdiff/timerdiff/fuzz"
	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/corpus"
)

// pkg is this package as the go command names it from the module root,
// for the re-run lines.
const pkg = "./fuzz/regress"

// The committed corpus, its concurrent folder and its findings (programs
// on which the real versions differ), relative to this package (see
// internal/corpus for the layout).
var (
	corpusDir     = filepath.Join("..", "..", corpus.Root)
	concCorpusDir = filepath.Join(corpusDir, corpus.Concurrent)
	findingsDir   = filepath.Join(corpusDir, corpus.Findings)
)

// TestCorpus replays every committed corpus file: each must parse and
// show no divergence.
func TestCorpus(t *testing.T) {
	files, err := corpus.Read(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no corpus files under %s", corpusDir)
	}
	oldImpl, newImpl, _, err := fuzz.Pair()
	if err != nil {
		t.Fatal(err)
	}
	for _, cf := range files {
		t.Run(cf.Path[len(corpusDir)+1:], func(t *testing.T) {
			if cf.Err != nil {
				t.Fatal(cf.Err)
			}
			r := check.Pair(oldImpl, newImpl, cf.Program)
			if !r.Report.Equal() {
				t.Fatal(r.Failure(fuzz.Difftest("replay", "corpus/"+cf.Path[len(corpusDir)+1:])))
			}
		})
	}
}

// TestConcurrentCorpus replays every script under corpus/concurrent the
// way corpus.Runs says: with its schedule line if it has one, else under
// PCT seeds 0..11 at depths 1..3. Each run must show none of
// FuzzConcurrent's problems.
func TestConcurrentCorpus(t *testing.T) {
	files, err := corpus.ReadConc(concCorpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no concurrent corpus files under %s", concCorpusDir)
	}
	oldImpl, newImpl, _, err := fuzz.Pair()
	if err != nil {
		t.Fatal(err)
	}
	for _, cf := range files {
		name := filepath.Base(cf.Path)
		t.Run(name, func(t *testing.T) {
			if cf.Err != nil {
				t.Fatal(cf.Err)
			}
			repro := fuzz.GoTest(pkg, fmt.Sprintf("'TestConcurrentCorpus/%s'", name))
			for _, run := range corpus.Runs(cf.Program) {
				r := check.ConcPair(oldImpl, newImpl, cf.Program, run.Choose, false)
				if !r.OK() {
					t.Fatalf("%s:\n%s", run.Name, r.Failure(repro))
				}
			}
		})
	}
}
