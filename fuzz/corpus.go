package fuzz

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"sync"

	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/sched"
)

// The committed corpus and its concurrent folder, relative to this
// package (see internal/corpus for the layout).
var (
	corpusDir     = filepath.Join("..", corpus.Root)
	concCorpusDir = filepath.Join(corpusDir, corpus.Concurrent)
)

// SeqSeeds returns the fuzz bytes of every program corpus.Read(dir) reads,
// encoded with ops.Encode: the seeds of the sequential fuzz target.
func SeqSeeds(dir string) ([][]byte, error) {
	files, err := corpus.Read(dir)
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

// seedFile returns the corpus file, relative to the module root, whose
// program encodes to data, or "": a failing seed is named seed#N by the
// fuzzing engine, which writes no file for it, so the re-run line names
// the corpus file instead.
func seedFile(data []byte) string {
	files, err := corpus.Read(corpusDir)
	if err != nil {
		return ""
	}
	for _, cf := range files {
		if cf.Err != nil {
			continue
		}
		if enc, err := ops.Encode(cf.Program); err == nil && bytes.Equal(enc, data) {
			return filepath.ToSlash(filepath.Join(corpus.Root, cf.Path[len(corpusDir)+1:]))
		}
	}
	return ""
}

// ConcSeeds returns the seeds of the concurrent fuzz target: for every
// script directly in dir, its ops.EncodeConc bytes, and the same bytes
// followed by schedule bytes that preempt a few times early, in the
// middle and late.
func ConcSeeds(dir string) ([][]byte, error) {
	files, err := corpus.ReadConc(dir)
	if err != nil {
		return nil, err
	}
	var seeds [][]byte
	for _, cf := range files {
		if cf.Err != nil {
			return nil, cf.Err
		}
		data, err := ops.EncodeConc(cf.Program)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cf.Path, err)
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
	seqSeeds  = sync.OnceValues(func() ([][]byte, error) { return SeqSeeds(corpusDir) })
	concSeeds = sync.OnceValues(func() ([][]byte, error) { return ConcSeeds(concCorpusDir) })
)
