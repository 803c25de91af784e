// Command seeds writes the libFuzzer seed corpora of timerdiff's two fuzz
// targets, made from the committed corpus: every sequential script,
// encoded as the sequential target's bytes, and every concurrent script
// (with its preempting variants), encoded as the concurrent target's
// bytes; the same inputs the native targets get from f.Add (fuzz.SeqSeeds,
// fuzz.ConcSeeds).
//
//	go run ./fuzz/oss-fuzz/seeds -o OUT   # OUT/<target>_seed_corpus/<sha1 of the input>
//	                                      # and OUT/<target>_seed_corpus.zip
//
// A libFuzzer build made by go-118-fuzz-build does not hand the input to a
// func(*testing.T, []byte) target as it is: it reads the []byte with
// go-fuzz-headers' GetBytes, a 4-byte big-endian length and then that
// many bytes. Each seed file is written in that form (corpus.Raw), so the target
// sees exactly the native seed. difftest reads such files back (a raw
// libFuzzer input).
package main

import (
	"archive/zip"
	"crypto/sha1"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/timerdiff/timerdiff/fuzz"
	"github.com/timerdiff/timerdiff/internal/corpus"
)

// targets maps each fuzz target to its seeds.
var targets = []struct {
	name  string
	seeds func(corpus string) ([][]byte, error)
}{
	{"FuzzDiff", func(c string) ([][]byte, error) { return fuzz.SeqSeeds(c) }},
	{"FuzzConcurrent", func(c string) ([][]byte, error) { return fuzz.ConcSeeds(filepath.Join(c, corpus.Concurrent)) }},
}

func main() {
	out := flag.String("o", "", "write the seeds under `DIR`/<target>_seed_corpus/ (created if missing) and as DIR/<target>_seed_corpus.zip")
	corpusDir := flag.String("corpus", corpus.Root, "the committed corpus `DIR`")
	flag.Parse()
	if *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: seeds [-corpus corpus] -o DIR")
		os.Exit(2)
	}
	for _, t := range targets {
		dir := filepath.Join(*out, t.name+"_seed_corpus")
		n, err := write(*corpusDir, dir, t.seeds)
		if err != nil {
			fmt.Fprintf(os.Stderr, "seeds: %s: %v\n", t.name, err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d seeds in %s and %s.zip\n", t.name, n, dir, dir)
	}
}

// write puts each seed of one target in dir, named by the sha1 of its
// contents as libFuzzer names corpus files, and the same files in
// dir.zip (<target>_seed_corpus.zip is the name ClusterFuzzLite and
// OSS-Fuzz look for beside a fuzzer binary).
func write(corpusDir, dir string, seeds func(string) ([][]byte, error)) (int, error) {
	list, err := seeds(corpusDir)
	if err != nil {
		return 0, err
	}
	if len(list) == 0 {
		return 0, fmt.Errorf("no seeds under %s", corpusDir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	zf, err := os.Create(dir + ".zip")
	if err != nil {
		return 0, err
	}
	defer zf.Close()
	zw := zip.NewWriter(zf)
	for _, s := range list {
		b := corpus.Raw(s)
		sum := sha1.Sum(b)
		name := hex.EncodeToString(sum[:])
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return 0, err
		}
		w, err := zw.Create(name)
		if err != nil {
			return 0, err
		}
		if _, err := w.Write(b); err != nil {
			return 0, err
		}
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return len(list), zf.Close()
}
