// Package corpus owns the corpus: its layout (sequential programs under
// the root, concurrent ones in Concurrent, the real versions' differences
// in Findings, out-of-contract examples in Contract), reading and writing
// its files in any of their formats (scripts, go test fuzz v1 files, raw
// libFuzzer inputs), and the one policy for replaying a concurrent file.
// The fuzz targets, difftest and the mutation runner all use it.
package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/timerdiff/timerdiff/internal/ops"
)

// The layout: the corpus root, relative to the module root, and the
// folders under it.
const (
	// Root is the committed corpus, relative to the module root.
	Root = "corpus"
	// Concurrent is the folder of concurrent programs, which Read leaves
	// to ReadConc.
	Concurrent = "concurrent"
	// Findings names the folders of programs on which the real versions
	// differ (corpus/findings/README.md): not regression seeds; a test
	// checks that each still shows its difference.
	Findings = "findings"
	// Contract names the folders of programs that break the API contract
	// (corpus/contract/README.md): nothing replays them but difftest
	// explore -break-contract.
	Contract = "contract"
)

// File is one sequential program of the corpus.
type File struct {
	Path    string
	Program ops.Program
	Err     error
	Conc    bool // a concurrent case named explicitly (ReadPaths); no Program
}

// Read reads every sequential program under dir (scripts, go test fuzz v1
// files, raw libFuzzer inputs: ReadProgram), in sorted path order, except
// the folders named Concurrent, Findings and Contract below dir.
func Read(dir string) ([]File, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != dir && (d.Name() == Concurrent || d.Name() == Contract || d.Name() == Findings) {
			return filepath.SkipDir
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
	files := make([]File, 0, len(paths))
	for _, p := range paths {
		prog, err := ReadProgram(p)
		files = append(files, File{Path: p, Program: prog, Err: err})
	}
	return files, nil
}

// ConcFile is one concurrent program of the corpus.
type ConcFile struct {
	Path    string
	Program ops.ConcProgram
	Err     error
}

// ConcPaths lists the *.ops files directly in dir, sorted by name: the
// concurrent cases of a concurrent corpus folder.
func ConcPaths(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".ops") {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(paths)
	return paths, nil
}

// ReadConc reads every file ConcPaths lists as a concurrent script.
func ReadConc(dir string) ([]ConcFile, error) {
	paths, err := ConcPaths(dir)
	if err != nil {
		return nil, err
	}
	var files []ConcFile
	for _, path := range paths {
		p, _, err := ops.ReadConcFile(path)
		files = append(files, ConcFile{Path: path, Program: p, Err: err})
	}
	return files, nil
}

// ReadPaths reads the sequential programs named on a command line: every
// program under each directory (Read), and each file (ReadProgram), in
// the order given. A named file that holds a concurrent case (IsConc) is
// returned with Conc set and no Program.
func ReadPaths(paths []string) ([]File, error) {
	var files []File
	for _, path := range paths {
		info, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if info.IsDir() {
			fs, err := Read(path)
			if err != nil {
				return nil, err
			}
			files = append(files, fs...)
			continue
		}
		f := File{Path: path}
		if f.Conc, err = IsConc(path); err != nil {
			return nil, err
		}
		if f.Conc {
			_, _, f.Err = ReadConcProgram(path)
		} else {
			f.Program, f.Err = ReadProgram(path)
		}
		files = append(files, f)
	}
	return files, nil
}

// Name is the file name a program gets in the corpus: the first 16 hex
// digits of the sha256 of its fuzz bytes, then .ops.
func Name(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:16] + ".ops"
}

// Add writes script, the text of the program whose fuzz bytes are data,
// into dir under its Name, and returns its path. It never overwrites: a
// file of that name is an error satisfying errors.Is(err, fs.ErrExist).
func Add(dir string, data, script []byte) (string, error) {
	path := filepath.Join(dir, Name(data))
	return path, WriteNew(path, script)
}

// WriteNew writes a file that must not exist yet.
func WriteNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
