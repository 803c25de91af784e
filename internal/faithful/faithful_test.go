package faithful

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/portgen"
)

// root is the module root, relative to this package's directory.
const root = "../.."

// The pair under test, relative to this package's directory.
var (
	oldDir = filepath.Join(root, "oldimpl")
	newDir = filepath.Join(root, "newimpl")
)

// TestUpstreamText undoes the port changes of every port's time.go on
// disk (portgen.Unport) and checks the git blob hash of the result against
// upstream's at the port's commit.
func TestUpstreamText(t *testing.T) {
	for _, tg := range portgen.Targets {
		t.Run(tg.Package(), func(t *testing.T) {
			path := filepath.Join(root, filepath.FromSlash(tg.Dir), "time.go")
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			up, err := portgen.Unport(src, tg.Package())
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if got := portgen.GitBlobHash(up); got != tg.Commit.Blob {
				t.Errorf("%s with the port changes undone: git blob %s, want %s (src/runtime/time.go at %s)\n%s",
					path, got, tg.Commit.Blob, tg.Commit.Full, diffHint(tg.Commit, up))
			}
		})
	}
}

// diffHint names the first line of up that differs from upstream's file at
// c (the vendored copy), and shows it, upstream's (-) and this (+), with
// its neighbours.
func diffHint(c portgen.Commit, up []byte) string {
	want, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(portgen.UpstreamFile(c))))
	if err != nil {
		return fmt.Sprintf("(no upstream text to locate the difference: %v)", err)
	}
	wl, gl := strings.SplitAfter(string(want), "\n"), strings.SplitAfter(string(up), "\n")
	i := 0
	for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
		i++
	}
	if i == len(gl) && i == len(wl) {
		return "(every line matches upstream's)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first differing line of the un-ported text: %d (upstream has %d lines, this %d)\n", i+1, len(wl), len(gl))
	line := func(mark string, n int, l string) {
		fmt.Fprintf(&b, "%s%5d %s\n", mark, n, strings.TrimSuffix(l, "\n"))
	}
	for j := max(0, i-2); j < min(len(gl), i+3); j++ {
		if j == i {
			if i < len(wl) {
				line("-", j+1, wl[j])
			}
			line("+", j+1, gl[j])
			continue
		}
		line(" ", j+1, gl[j])
	}
	return b.String()
}

// TestUpstreamTextHint checks the failure path of TestUpstreamText: a
// port changed in one line is caught, and the hint names that line.
func TestUpstreamTextHint(t *testing.T) {
	tg, err := portgen.FindTarget("oldimpl")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(oldDir, "time.go"))
	if err != nil {
		t.Fatal(err)
	}
	good, err := portgen.Unport(src, "oldimpl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(good), "\n")
	const n = 300 // any line
	lines[n-1] = "\t// a stray edit\n"
	bad := []byte(strings.Join(lines, ""))
	if portgen.GitBlobHash(bad) == portgen.GitBlobHash(good) {
		t.Fatal("GitBlobHash does not see a changed line")
	}
	hint := diffHint(tg.Commit, bad)
	if want := "first differing line of the un-ported text: 300 "; !strings.Contains(hint, want) || !strings.Contains(hint, "a stray edit") {
		t.Errorf("diffHint = %q, want it to contain %q and the edited line", hint, want)
	}
}
