package fuzz

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/timerdiff/timerdiff/internal/ops"
)

// CorpusDir is the committed corpus, relative to this package.
const CorpusDir = "../corpus"

// ConcurrentDir is the corpus subfolder of concurrent programs, which
// ReadCorpus leaves to TestConcurrentCorpus.
const ConcurrentDir = "concurrent"

// ContractDir names the corpus folders of programs that break the API
// contract (corpus/contract/README.md): go test replays nothing under
// them; only difftest explore -break-contract runs them.
const ContractDir = "contract"

// FindingsDirName names the corpus folder of programs on which the real
// versions differ (corpus/findings/README.md): not regression seeds;
// TestFindings checks that each still shows its difference.
const FindingsDirName = "findings"

// CorpusFile is one program of the corpus.
type CorpusFile struct {
	Path    string
	Program ops.Program
	Err     error
}

// ReadCorpus reads every sequential script (.ops) and fuzz file (go test
// fuzz v1) under dir, in sorted path order, except the concurrent folder
// and every folder named ContractDir or FindingsDirName.
func ReadCorpus(dir string) ([]CorpusFile, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != dir && d.Name() == ConcurrentDir {
			return filepath.SkipDir // replayed by TestConcurrentCorpus
		}
		if d.IsDir() && path != dir && d.Name() == ContractDir {
			return filepath.SkipDir // out of contract: never replayed by go test
		}
		if d.IsDir() && path != dir && d.Name() == FindingsDirName {
			return filepath.SkipDir // checked by TestFindings
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), ".md") {
			return nil
		}
		paths = append(paths, path)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	files := make([]CorpusFile, 0, len(paths))
	for _, p := range paths {
		prog, err := ops.ReadFile(p)
		files = append(files, CorpusFile{Path: p, Program: prog, Err: err})
	}
	return files, nil
}
