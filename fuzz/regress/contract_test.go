package regress

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/ops"
)

// The corpus/contract rule: corpus.Read skips it, and every program there
// really breaks the API contract (ParseConc refuses it, ParseConcShape
// reads it), so none belongs in the replayed corpus.
func TestContractCorpus(t *testing.T) {
	files, err := corpus.Read(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.Contains(filepath.ToSlash(f.Path), "/"+corpus.Contract+"/") {
			t.Errorf("corpus.Read returned %s, under a %s folder", f.Path, corpus.Contract)
		}
	}
	dir := filepath.Join(corpusDir, corpus.Contract)
	paths, err := filepath.Glob(filepath.Join(dir, "*.ops"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no programs under %s (%v)", dir, err)
	}
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ops.ParseConcShape(path, src); err != nil {
			t.Errorf("ParseConcShape: %v", err)
		}
		if _, err := ops.ParseConc(path, src); err == nil {
			t.Errorf("%s respects the API contract: it belongs in %s, not %s", path, concCorpusDir, dir)
		}
	}
}
