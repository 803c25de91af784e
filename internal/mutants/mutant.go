package mutants

import (
	"bytes"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// Mutant is one change to newimpl/time.go.
type Mutant struct {
	Name        string // stable: "cat/..." for the catalog, "op/<func>/<operator>/<n>" for operators
	Description string // one line
	Old, New    string // Old is replaced by New
	// Equivalent, if not "", is the one-line argument why no sequential
	// program can tell the mutant from the new version.
	Equivalent string

	// at is 1 + the byte offset of Old for generated mutants; 0 means Old
	// must occur exactly once.
	at int
}

func (m Mutant) String() string { return m.Name + ": " + m.Description }

// Apply returns src with the mutation made. It fails if Old is not found
// where the mutant expects it.
func (m Mutant) Apply(src []byte) ([]byte, error) {
	if m.Old == "" || m.Old == m.New {
		return nil, fmt.Errorf("mutant %s: empty or no-op change", m.Name)
	}
	old := []byte(m.Old)
	off := m.at - 1
	if m.at == 0 {
		if n := bytes.Count(src, old); n != 1 {
			return nil, fmt.Errorf("mutant %s: snippet %q occurs %d times in newimpl/time.go, want exactly once", m.Name, firstLine(m.Old), n)
		}
		off = bytes.Index(src, old)
	} else if off+len(old) > len(src) || !bytes.Equal(src[off:off+len(old)], old) {
		return nil, fmt.Errorf("mutant %s: snippet %q not at offset %d of newimpl/time.go", m.Name, firstLine(m.Old), off)
	}
	out := make([]byte, 0, len(src)-len(old)+len(m.New))
	out = append(out, src[:off]...)
	out = append(out, m.New...)
	out = append(out, src[off+len(old):]...)
	return out, nil
}

// Parse applies m to src and checks that the result is still Go.
func (m Mutant) Parse(src []byte) ([]byte, error) {
	out, err := m.Apply(src)
	if err != nil {
		return nil, err
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "time.go", out, parser.SkipObjectResolution); err != nil {
		return nil, fmt.Errorf("mutant %s does not parse: %w", m.Name, err)
	}
	return out, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// SubjectPath is newimpl/time.go relative to the module root.
const SubjectPath = "newimpl/time.go"

// ModuleRoot finds the directory of go.mod at or above the working
// directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("no go.mod at or above the working directory")
		}
		dir = up
	}
}

// Subject reads newimpl/time.go under the module root.
func Subject(root string) ([]byte, error) {
	return os.ReadFile(filepath.Join(root, SubjectPath))
}
