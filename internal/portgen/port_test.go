package portgen

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// root is the module root, from this package's directory.
const root = "../.."

func readUpstream(t *testing.T, c Commit) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(UpstreamFile(c))))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestVendoredUpstream checks that upstream/README.md, Series and the
// vendored files agree: the README's table lists Series row for row, and
// each file's git blob hash is the one both give.
func TestVendoredUpstream(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("upstream", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| ([0-9a-f]{8})/ \| ([0-9a-f]{40}) \| ([0-9a-f]{40}) \| (.+) \|$`)
	var listed []Commit
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		listed = append(listed, Commit{Short: m[1], Full: m[2], Blob: m[3], Title: m[4]})
	}
	if len(listed) != len(Series) {
		t.Fatalf("upstream/README.md lists %d commits, Series %d", len(listed), len(Series))
	}
	for i, c := range Series {
		if listed[i] != c {
			t.Errorf("upstream/README.md row %d = %+v, Series has %+v", i+1, listed[i], c)
		}
		if !strings.HasPrefix(c.Full, c.Short) {
			t.Errorf("Series: %s is not a prefix of %s", c.Short, c.Full)
		}
		if got := GitBlobHash(readUpstream(t, c)); got != c.Blob {
			t.Errorf("%s: git blob %s, want %s", UpstreamFile(c), got, c.Blob)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, c := range Series {
		t.Run(c.Short, func(t *testing.T) {
			src := readUpstream(t, c)
			ported, err := Port(src, "v"+c.Short)
			if err != nil {
				t.Fatalf("Port(%s): %v", UpstreamFile(c), err)
			}
			if !bytes.Contains(ported, []byte("\n"+notes+"\n// Time-related runtime")) {
				t.Errorf("Port(%s): the notes block is not between the copyright header and the file's first comment", UpstreamFile(c))
			}
			if bytes.Contains(ported, []byte("\n//go:")) || bytes.Contains(ported, []byte(`"internal/abi"`)) {
				t.Errorf("Port(%s) left a //go: directive or an upstream import path", UpstreamFile(c))
			}
			back, err := Unport(ported, "v"+c.Short)
			if err != nil {
				t.Fatalf("Unport(Port(%s)): %v", UpstreamFile(c), err)
			}
			if !bytes.Equal(back, src) {
				t.Fatalf("Unport(Port(%s)) differs: %s", UpstreamFile(c), firstDiff(back, src))
			}
			if got := GitBlobHash(back); got != c.Blob {
				t.Errorf("Unport(Port(%s)): git blob %s, want %s", UpstreamFile(c), got, c.Blob)
			}
		})
	}
}

func TestPortRejects(t *testing.T) {
	src := string(readUpstream(t, Series[0]))
	for _, tc := range []struct {
		name, from, to, pkg, want string
	}{
		{"package runtime", "", "", "runtime", "package name"},
		{"not an identifier", "", "", "51df232b", "package name"},
		{"no package clause", "package runtime\n", "package other\n", "p", `no "package runtime" line`},
		{"no copyright header", "// Copyright", "// Kopyright", "p", "no copyright header"},
		{"a directive already commented", "//go:nowritebarrierrec", "// go:nowritebarrierrec", "p", "does not unport to the same text"},
		{"notes already there", "// Time-related", notesEnd + "\n\n// Time-related", "p", "does not unport"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Port([]byte(strings.Replace(src, tc.from, tc.to, 1)), tc.pkg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Port: error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestUnportRejects(t *testing.T) {
	ported, err := Port(readUpstream(t, Series[0]), "p")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"no notes", notesBegin, "// notes", "no port notes block"},
		{"notes twice", "// Time-related", notesBegin + "\n// Time-related", "two"},
		{"no blank line after the notes", notesEnd + "\n\n", notesEnd + "\n", "is not blank"},
		{"no package clause", "package p\n", "package other\n", `no "package p" line`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Unport([]byte(strings.Replace(string(ported), tc.from, tc.to, 1)), "p")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Unport: error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
