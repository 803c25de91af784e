package mutants

import "testing"

// TestOperatorsGenerate checks that the generated mutants apply, parse
// and have stable, unique names; printing each is the -v output.
func TestOperatorsGenerate(t *testing.T) {
	src := subject(t)
	ms, err := Operators(src, OperatorFuncs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		t.Fatal("Operators generated no mutants")
	}
	checkMutants(t, src, ms, "op/")
	again, _ := Operators(src, OperatorFuncs...)
	for i := range ms {
		if ms[i] != again[i] {
			t.Fatalf("Operators is not deterministic: %v then %v", ms[i], again[i])
		}
	}
	for name := range OperatorEquivalent {
		if !hasName(ms, name) {
			t.Errorf("OperatorEquivalent names %q, which Operators no longer generates", name)
		}
	}
	for _, m := range ms {
		t.Log(m)
	}
}

func hasName(ms []Mutant, name string) bool {
	for _, m := range ms {
		if m.Name == name {
			return true
		}
	}
	return false
}
