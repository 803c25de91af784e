package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	gofuzz "github.com/AdaLogics/go-fuzz-headers"

	"github.com/timerdiff/timerdiff/internal/ops"
)

// A raw libFuzzer input is a file of bytes as a libFuzzer build of a fuzz
// target (fuzz/oss-fuzz) reads them: a crash-*, leak-*, timeout-*, oom-*
// or slow-unit-* file libFuzzer wrote, a corpus file named by its sha1,
// or any other file that is not text and not a go test fuzz v1 file. Its
// program is read from the bytes the target saw, and, as for a fuzz v1
// file, it is a FuzzConcurrent input if its folder is named
// FuzzConcurrent or its own name contains that (isConcFile).

// libFuzzerPrefixes begin the names of the inputs libFuzzer saves.
var libFuzzerPrefixes = []string{"crash-", "leak-", "timeout-", "oom-", "slow-unit-"}

// isRawInput reports whether src, read from path, is a raw libFuzzer
// input.
func isRawInput(path string, src []byte) bool {
	if isFuzzV1(src) {
		return false
	}
	base := filepath.Base(path)
	for _, p := range libFuzzerPrefixes {
		if strings.HasPrefix(base, p) {
			return true
		}
	}
	if len(base) == 40 && strings.Trim(base, "0123456789abcdef") == "" {
		return true
	}
	return !isText(src)
}

// isFuzzV1 reports whether src is a go test fuzz v1 file.
func isFuzzV1(src []byte) bool {
	first, _, _ := bytes.Cut(src, []byte("\n"))
	return string(bytes.TrimSpace(first)) == "go test fuzz v1"
}

// isText reports whether src could be a script: UTF-8 without control
// characters other than tab, newline and carriage return.
func isText(src []byte) bool {
	if !utf8.Valid(src) {
		return false
	}
	for _, c := range src {
		if c < ' ' && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return true
}

// rawFuzzBytes returns the []byte the fuzz target was called with on a
// raw libFuzzer input: go-118-fuzz-build's testing shim reads it with
// go-fuzz-headers' GetBytes (a 4-byte big-endian length, then at most
// that many of the remaining bytes).
func rawFuzzBytes(path string, src []byte) ([]byte, error) {
	b, err := gofuzz.NewConsumer(src).GetBytes()
	if err != nil {
		return nil, fmt.Errorf("%s: a raw libFuzzer input of %d bytes, too short to hold the fuzz target's []byte: the target never ran on it", path, len(src))
	}
	return b, nil
}

// readProgram is ops.ReadFile, which also reads a raw libFuzzer input of
// FuzzDiff (decoded with ops.Decode).
func readProgram(path string) (ops.Program, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return ops.Program{}, err
	}
	if !isRawInput(path, src) {
		return ops.ReadFile(path)
	}
	b, err := rawFuzzBytes(path, src)
	if err != nil {
		return ops.Program{}, err
	}
	return ops.Decode(b), nil
}

// readConcProgram is ops.ReadConcFile, which also reads a raw libFuzzer
// input of FuzzConcurrent (ops.DecodeConc; rest holds the schedule bytes).
func readConcProgram(path string) (ops.ConcProgram, []byte, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return ops.ConcProgram{}, nil, err
	}
	if !isRawInput(path, src) {
		return ops.ReadConcFile(path)
	}
	b, err := rawFuzzBytes(path, src)
	if err != nil {
		return ops.ConcProgram{}, nil, err
	}
	p, rest := ops.DecodeConc(b)
	return p, rest, nil
}
