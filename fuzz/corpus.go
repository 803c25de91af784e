package fuzz

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/sched"
)

// CorpusDir is the committed corpus, relative to this package.
const CorpusDir = "../corpus"

// ConcCorpusDir holds the committed concurrent scripts, relative to this
// package.
const ConcCorpusDir = "../corpus/concurrent"

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

// SeqSeeds returns the fuzz bytes of every program ReadCorpus(dir) reads,
// encoded with ops.Encode: the seeds of the sequential fuzz target.
func SeqSeeds(dir string) ([][]byte, error) {
	files, err := ReadCorpus(dir)
	if err != nil {
		return nil, err
	}
	var seeds [][]byte
	for _, cf := range files {
		if cf.Err != nil {
			return nil, cf.Err
		}
		data, err := ops.Encode(cf.Program)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cf.Path, err)
		}
		seeds = append(seeds, data)
	}
	return seeds, nil
}

// ConcSeeds returns the seeds of the concurrent fuzz target: for every
// script directly in dir, its ops.EncodeConc bytes, and the same bytes
// followed by schedule bytes that preempt a few times early, in the
// middle and late.
func ConcSeeds(dir string) ([][]byte, error) {
	files, err := readConcCorpus(dir)
	if err != nil {
		return nil, err
	}
	var seeds [][]byte
	for _, cf := range files {
		if cf.err != nil {
			return nil, cf.err
		}
		data, err := ops.EncodeConc(cf.p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cf.path, err)
		}
		seeds = append(seeds, data)
		for _, at := range []int{3, 20, 60} {
			b := slices.Clone(data)
			b = append(b, make([]byte, at)...)
			b = append(b, sched.SwitchAt, 0, 0, 0, sched.SwitchAt)
			seeds = append(seeds, b)
		}
	}
	return seeds, nil
}

// The fuzz targets' seeds, read once per process: a libFuzzer build of a
// target (fuzz/oss-fuzz) calls the target function once per input, and
// must not read the corpus each time.
var (
	seqSeeds  = sync.OnceValues(func() ([][]byte, error) { return SeqSeeds(CorpusDir) })
	concSeeds = sync.OnceValues(func() ([][]byte, error) { return ConcSeeds(ConcCorpusDir) })
)

// concFile is one script of the concurrent corpus.
type concFile struct {
	path string
	p    ops.ConcProgram
	err  error
}

// readConcCorpus reads every *.ops file directly in dir, sorted by name.
func readConcCorpus(dir string) ([]concFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".ops") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var files []concFile
	for _, n := range names {
		path := filepath.Join(dir, n)
		p, _, err := ops.ReadConcFile(path)
		files = append(files, concFile{path: path, p: p, err: err})
	}
	return files, nil
}
