package faithful

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.lines from the ports (only if their blob hashes match upstream's)")

// The ports, relative to this package's directory.
const (
	oldDir = "../../oldimpl"
	newDir = "../../newimpl"
)

const (
	notesBegin = "// --- timerdiff port notes ---"
	notesEnd   = "// --- end of timerdiff port notes ---"
)

// importPaths maps the simulated runtime's stand-ins back to upstream's
// import paths.
var importPaths = []struct{ port, upstream string }{
	{`"github.com/timerdiff/timerdiff/internal/sim/abi"`, `"internal/abi"`},
	{`"github.com/timerdiff/timerdiff/internal/sim/atomic"`, `"runtime/internal/atomic"`},
	{`"github.com/timerdiff/timerdiff/internal/sim/sys"`, `"runtime/internal/sys"`},
}

// unport undoes the mechanical changes listed in a port's header and
// returns upstream's text, or an error if the header is malformed.
func unport(src []byte, pkg string) ([]byte, error) {
	lines := strings.SplitAfter(string(src), "\n")
	begin, end := -1, -1
	for i, l := range lines {
		switch strings.TrimSuffix(l, "\n") {
		case notesBegin:
			if begin >= 0 {
				return nil, fmt.Errorf("two %q lines (%d and %d)", notesBegin, begin+1, i+1)
			}
			begin = i
		case notesEnd:
			if end >= 0 {
				return nil, fmt.Errorf("two %q lines (%d and %d)", notesEnd, end+1, i+1)
			}
			end = i
		}
	}
	if begin < 0 || end < begin {
		return nil, fmt.Errorf("no port notes block (%q .. %q)", notesBegin, notesEnd)
	}
	if end+1 >= len(lines) || lines[end+1] != "\n" {
		return nil, fmt.Errorf("line %d, after the port notes, is not blank", end+2)
	}
	lines = slices.Delete(lines, begin, end+2)

	clause, found := "package "+pkg+"\n", false
	for i, l := range lines {
		switch {
		case l == clause && !found:
			lines[i] = "package runtime\n"
			found = true
		case strings.HasPrefix(l, "// go:"):
			lines[i] = "//go:" + strings.TrimPrefix(l, "// go:")
		}
		for _, ip := range importPaths {
			if strings.TrimSpace(l) == ip.port {
				lines[i] = strings.Replace(l, ip.port, ip.upstream, 1)
			}
		}
	}
	if !found {
		return nil, fmt.Errorf("no %q line", strings.TrimSpace(clause))
	}
	return []byte(strings.Join(lines, "")), nil
}

// gitBlobHash is `git hash-object` of content.
func gitBlobHash(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// lineHash is a short fingerprint of one line of upstream's text. The
// fingerprints in testdata/*.lines, taken from a port whose blob hash
// matched, locate the first differing line without keeping upstream's
// text in this repository.
func lineHash(line string) string {
	s := sha1.Sum([]byte(line))
	return hex.EncodeToString(s[:4])
}

func lineHashes(text []byte) []string {
	var hs []string
	for _, l := range strings.SplitAfter(string(text), "\n") {
		hs = append(hs, lineHash(l))
	}
	return hs
}

func TestUpstreamText(t *testing.T) {
	tests := []struct {
		dir, pkg, commit, blob string
	}{
		{oldDir, "oldimpl", "b5a99eaa94aafb48944d877f9991b6ae943b056c", "e88c3f9b2ea7aad27aeed21356f15bf2eb15596e"},
		{newDir, "newimpl", "2fb5ef889bf86dfb25880cf087a3e02f7100df29", "5a8f516ccad2e24ecd55d97bbb14e12b77738423"},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			path := filepath.Join(tt.dir, "time.go")
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			up, err := unport(src, tt.pkg)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			golden := filepath.Join("testdata", tt.pkg+".lines")
			got := gitBlobHash(up)
			if got == tt.blob {
				if *update {
					data := strings.Join(lineHashes(up), "\n") + "\n"
					if err := os.WriteFile(golden, []byte(data), 0o666); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			t.Errorf("%s with the port changes undone: git blob %s, want %s (src/runtime/time.go at %s)\n%s",
				path, got, tt.blob, tt.commit, diffHint(golden, up))
		})
	}
}

// diffHint names the first line of up that differs from upstream's, by
// the line fingerprints in golden, and shows it with its neighbours.
func diffHint(golden string, up []byte) string {
	data, err := os.ReadFile(golden)
	if err != nil {
		return fmt.Sprintf("(no line fingerprints to locate the difference: %v)", err)
	}
	var want []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		want = append(want, sc.Text())
	}
	lines := strings.SplitAfter(string(up), "\n")
	got := lineHashes(up)
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	if i == len(got) && i == len(want) {
		return "(every line matches upstream's fingerprint; the difference is in the line endings or a fingerprint collision)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first differing line of the un-ported text: %d (upstream has %d lines, this %d)\n", i+1, len(want), len(got))
	for j := max(0, i-2); j < min(len(lines), i+3); j++ {
		mark := " "
		if j == i {
			mark = "+"
		}
		fmt.Fprintf(&b, "%s%5d %s", mark, j+1, strings.TrimSuffix(lines[j], "\n")+"\n")
	}
	if i >= len(lines) {
		fmt.Fprintf(&b, "- (upstream has more lines)\n")
	}
	return b.String()
}

// TestUpstreamTextHint checks the failure path of TestUpstreamText: a
// port changed in one line is caught, and the hint names that line.
func TestUpstreamTextHint(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(oldDir, "time.go"))
	if err != nil {
		t.Fatal(err)
	}
	good, err := unport(src, "oldimpl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(good), "\n")
	const n = 300 // any line
	lines[n-1] = "\t// a stray edit\n"
	bad := []byte(strings.Join(lines, ""))
	if gitBlobHash(bad) == gitBlobHash(good) {
		t.Fatal("gitBlobHash does not see a changed line")
	}
	hint := diffHint(filepath.Join("testdata", "oldimpl.lines"), bad)
	if want := "first differing line of the un-ported text: 300 "; !strings.Contains(hint, want) || !strings.Contains(hint, "a stray edit") {
		t.Errorf("diffHint = %q, want it to contain %q and the edited line", hint, want)
	}

	for _, tc := range []struct{ name, from, to string }{
		{"no notes", notesBegin, "// notes"},
		{"no blank line after the notes", notesEnd + "\n\n", notesEnd + "\n"},
		{"no package clause", "package oldimpl\n", "package other\n"},
	} {
		if _, err := unport([]byte(strings.Replace(string(src), tc.from, tc.to, 1)), "oldimpl"); err == nil {
			t.Errorf("unport(%s) = nil error, want one", tc.name)
		}
	}
}
