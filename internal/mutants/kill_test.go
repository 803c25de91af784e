package mutants

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var hintBudget = flag.Duration("hint", 10*time.Second, "campaign budget for finding programs that kill surviving mutants")

// TestCorpusKillsCatalog asserts that the committed corpus kills every
// catalog mutant that is not listed as equivalent, and that it kills none
// that is (an equivalence argument that a program refutes is wrong).
func TestCorpusKillsCatalog(t *testing.T) {
	testKills(t, Catalog)
}

// TestCorpusKillsOperators is the same for the generated operator mutants
// of modtimer and deltimer.
func TestCorpusKillsOperators(t *testing.T) {
	if testing.Short() {
		t.Skip("operator mutants are slow to build the first time; the catalog runs in -short")
	}
	ms, err := Operators(subject(t), OperatorFuncs...)
	if err != nil {
		t.Fatal(err)
	}
	testKills(t, ms)
}

func testKills(t *testing.T, ms []Mutant) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := BuildAll(root, t.TempDir(), ms)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range b.Broken {
		t.Errorf("mutant %s does not compile:\n%s", name, out)
	}
	corpus := filepath.Join(root, "corpus")
	res, err := Run(b.Path, "-corpus", corpus)
	if err != nil {
		t.Fatal(err)
	}
	if r := res[ControlName]; r.Killed {
		t.Fatalf("the unmutated copy of newimpl is told apart from the old version by %s (%s: %s): the mutant build, not a mutant, makes the difference", r.By, r.Kind, r.Detail)
	}
	var survivors []Mutant
	killed := 0
	for _, m := range b.Mutants {
		r, ok := res[m.Name]
		switch {
		case !ok:
			t.Errorf("the killer did not report mutant %s", m.Name)
		case m.Equivalent != "" && r.Killed:
			t.Errorf("mutant %s is listed as equivalent (%s), but %s kills it at op %d (%s): %s", m.Name, m.Equivalent, r.By, r.Op, r.Kind, r.Detail)
		case m.Equivalent == "" && !r.Killed:
			survivors = append(survivors, m)
		case r.Killed:
			killed++
		}
	}
	t.Logf("corpus %s kills %d of %d mutants (%d listed as equivalent)", corpus, killed, len(b.Mutants), countEquivalent(b.Mutants))
	if len(survivors) == 0 {
		return
	}
	t.Errorf("the corpus kills no program of these %d mutants (equivalents excluded):\n%s"+
		"Add a program that kills each (minimized above when a random one was found) to corpus/,\n"+
		"or, if no sequential program can, give the mutant its one-line Equivalent argument.",
		len(survivors), hints(t, b.Path, survivors))
}

// hints looks for programs that kill the survivors with a random campaign
// from seed 1, and prints them as scripts.
func hints(t *testing.T, bin string, survivors []Mutant) string {
	var names []string
	for _, m := range survivors {
		names = append(names, m.Name)
	}
	res, err := Run(bin, "-mutants", strings.Join(names, ","), "-seed", "1", "-budget", hintBudget.String())
	var b strings.Builder
	for _, m := range survivors {
		fmt.Fprintf(&b, "  %s\n      %s\n", m.Name, m.Description)
		r := res[m.Name]
		switch {
		case err != nil:
			fmt.Fprintf(&b, "      (no campaign: %v)\n", err)
		case !r.Killed:
			fmt.Fprintf(&b, "      no random program (seed 1, %v) kills it either\n", *hintBudget)
		default:
			fmt.Fprintf(&b, "      killed by random program %s at op %d (%s): %s\n      as a script (minimized):\n", r.By, r.Op, r.Kind, r.Detail)
			for _, l := range strings.Split(strings.TrimSuffix(r.Script, "\n"), "\n") {
				b.WriteString("        " + l + "\n")
			}
		}
	}
	return b.String()
}

func countEquivalent(ms []Mutant) int {
	n := 0
	for _, m := range ms {
		if m.Equivalent != "" {
			n++
		}
	}
	return n
}
