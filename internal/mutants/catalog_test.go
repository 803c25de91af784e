package mutants

import (
	"strings"
	"testing"
)

// TestCatalogApplies checks every catalog entry: a unique name, a one-line
// description, a snippet that occurs exactly once in newimpl/time.go, and
// a mutated file that still parses. (TestCorpusKillsCatalog builds them.)
func TestCatalogApplies(t *testing.T) {
	src := subject(t)
	if len(Catalog) < 20 {
		t.Errorf("len(Catalog) = %d, want at least 20", len(Catalog))
	}
	checkMutants(t, src, Catalog, "cat/")
}

func checkMutants(t *testing.T, src []byte, ms []Mutant, prefix string) {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.Name] {
			t.Errorf("duplicate mutant name %q", m.Name)
		}
		seen[m.Name] = true
		if !strings.HasPrefix(m.Name, prefix) {
			t.Errorf("mutant name %q does not start with %q", m.Name, prefix)
		}
		if m.Description == "" || strings.Contains(m.Description, "\n") {
			t.Errorf("%s: description %q is not one line", m.Name, m.Description)
		}
		if strings.Contains(m.Equivalent, "\n") {
			t.Errorf("%s: equivalence argument is not one line", m.Name)
		}
		if _, err := m.Parse(src); err != nil {
			t.Error(err)
		}
	}
}

func subject(t *testing.T) []byte {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	src, err := Subject(root)
	if err != nil {
		t.Fatal(err)
	}
	return src
}
