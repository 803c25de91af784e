package ops

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// fuzzHeader is the first line of a Go fuzz corpus file.
const fuzzHeader = "go test fuzz v1"

// ReadFile reads a Program from a corpus file: a script, or a Go fuzz
// corpus file (first line "go test fuzz v1", then one []byte("...") line,
// as `go test -fuzz` writes for a func(*testing.T, []byte) target), which is
// decoded with Decode. Errors name the file and, for bad content, the line.
//
// A concurrent script (see ParseConc) reads as its Serial program, the
// setup and then the threads one after another: the one interleaving a
// sequential run shows. Use ReadConcFile to keep the threads.
func ReadFile(path string) (Program, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Program{}, err // *PathError names the file
	}
	if first, _, _ := strings.Cut(string(data), "\n"); strings.TrimSpace(first) == fuzzHeader {
		b, err := parseFuzzFile(path, data)
		if err != nil {
			return Program{}, err
		}
		return Decode(b), nil
	}
	if IsConcScript(data) {
		p, err := ParseConc(path, data)
		if err != nil {
			return Program{}, err
		}
		return p.Serial(), nil
	}
	return Parse(path, data)
}

// FuzzFile formats data as a Go fuzz corpus file for a func(*testing.T,
// []byte) target, in the form `go test -fuzz` writes.
func FuzzFile(data []byte) []byte {
	return fmt.Appendf(nil, "%s\n[]byte(%q)\n", fuzzHeader, data)
}

// parseFuzzFile returns the bytes of a corpus file written by FuzzFile or
// by `go test -fuzz`.
func parseFuzzFile(path string, data []byte) ([]byte, error) {
	var out []byte
	found := false
	n := 0
	for line := range strings.Lines(string(data)) {
		n++
		line = strings.TrimSpace(line)
		if n == 1 || line == "" {
			continue
		}
		if found {
			return nil, fmt.Errorf("%s:%d: more than one value, want one []byte", path, n)
		}
		lit, ok := strings.CutPrefix(line, "[]byte(")
		if ok {
			lit, ok = strings.CutSuffix(lit, ")")
		}
		s, err := strconv.Unquote(lit)
		if !ok || err != nil {
			return nil, fmt.Errorf("%s:%d: want []byte(\"...\"), got %q", path, n, line)
		}
		out, found = []byte(s), true
	}
	if !found {
		return nil, fmt.Errorf("%s:%d: no value, want one []byte(\"...\") line", path, n)
	}
	return out, nil
}
