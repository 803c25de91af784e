package corpus

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/timerdiff/timerdiff/internal/ops"
)

// A raw libFuzzer input is a file of bytes as a libFuzzer build of a fuzz
// target (fuzz/oss-fuzz) reads them: a crash-*, leak-*, timeout-*, oom-*
// or slow-unit-* file libFuzzer wrote, a corpus file named by its sha1,
// or any other file that is not text and not a go test fuzz v1 file. Its
// program is read from the bytes the target saw, and, as for a fuzz v1
// file, it is a FuzzConcurrent input if its folder is named
// FuzzConcurrent or its own name contains that (IsConc).

// libFuzzerPrefixes begin the names of the inputs libFuzzer saves.
var libFuzzerPrefixes = []string{"crash-", "leak-", "timeout-", "oom-", "slow-unit-"}

// IsRaw reports whether src, read from path, is a raw libFuzzer
// input.
func IsRaw(path string, src []byte) bool {
	if IsFuzzV1(src) {
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

// IsFuzzV1 reports whether src is a go test fuzz v1 file.
func IsFuzzV1(src []byte) bool {
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

// RawBytes returns the []byte the fuzz target was called with on a
// raw libFuzzer input: go-118-fuzz-build's testing shim reads it with
// go-fuzz-headers' GetBytes (a 4-byte big-endian length, then at most
// that many of the remaining bytes).
//
// It is go-fuzz-headers' GetBytes written out (TestRawBytesIsGetBytes
// checks them against each other), not a call to it: the fuzz targets'
// test binary links this package, and importing go-fuzz-headers there
// links archive/tar and more, whose coverage counters made the native
// fuzzing engine see new coverage after nearly every input (fuzz/doc.go).
func RawBytes(path string, src []byte) ([]byte, error) {
	b, ok := getBytes(src)
	if !ok {
		return nil, fmt.Errorf("%s: a raw libFuzzer input of %d bytes, too short to hold the fuzz target's []byte: the target never ran on it", path, len(src))
	}
	return b, nil
}

// Raw returns the raw libFuzzer input whose RawBytes are data: data's
// length as 4 big-endian bytes, then data (GetBytes takes all the bytes
// left when the length equals their number). A libFuzzer build of a
// fuzz target runs it as the native target runs data. (Raw and getBytes
// do encoding/binary's big-endian work by hand: see ops.Encode's
// appendLE64 for why the package must not import it.)
func Raw(data []byte) []byte {
	return append([]byte{byte(len(data) >> 24), byte(len(data) >> 16), byte(len(data) >> 8), byte(len(data))}, data...)
}

// getBytes is go-fuzz-headers' NewConsumer(src).GetBytes(): a 4-byte
// big-endian length L (0 reads as 30), then, of the n bytes left (none
// is a failure), all n if L == n, else the first L mod n.
func getBytes(src []byte) ([]byte, bool) {
	if len(src) < 4 {
		return nil, false
	}
	length := uint32(src[0])<<24 | uint32(src[1])<<16 | uint32(src[2])<<8 | uint32(src[3])
	if length == 0 {
		length = 30
	}
	rest := src[4:]
	left := uint32(len(rest))
	if left == 0 {
		return nil, false
	}
	if length != left {
		length %= left
	}
	return rest[:length], true
}

// ReadProgram is ops.ReadFile (a script or a go test fuzz v1 file), which
// also reads a raw libFuzzer input of FuzzDiff (decoded with ops.Decode).
func ReadProgram(path string) (ops.Program, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return ops.Program{}, err
	}
	if !IsRaw(path, src) {
		return ops.ReadFile(path)
	}
	b, err := RawBytes(path, src)
	if err != nil {
		return ops.Program{}, err
	}
	return ops.Decode(b), nil
}

// ReadConcProgram is ops.ReadConcFile, which also reads a raw libFuzzer
// input of FuzzConcurrent (ops.DecodeConc; rest holds the schedule bytes).
func ReadConcProgram(path string) (ops.ConcProgram, []byte, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return ops.ConcProgram{}, nil, err
	}
	if !IsRaw(path, src) {
		return ops.ReadConcFile(path)
	}
	b, err := RawBytes(path, src)
	if err != nil {
		return ops.ConcProgram{}, nil, err
	}
	p, rest := ops.DecodeConc(b)
	return p, rest, nil
}

// FuzzConcurrentDir is the folder go test -fuzz=FuzzConcurrent writes
// crashers to; a fuzz file there, or with this in its name, is a
// concurrent case.
const FuzzConcurrentDir = "FuzzConcurrent"

// IsConc reports whether path holds a concurrent case: a script with
// thread blocks, or a go test fuzz v1 file or raw libFuzzer input (IsRaw)
// in a folder named FuzzConcurrentDir or with that in its name.
func IsConc(path string) (bool, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	if IsFuzzV1(src) || IsRaw(path, src) {
		return filepath.Base(filepath.Dir(path)) == FuzzConcurrentDir || strings.Contains(filepath.Base(path), FuzzConcurrentDir), nil
	}
	return ops.IsConcScript(src), nil
}
