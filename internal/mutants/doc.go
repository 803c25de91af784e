// Package mutants measures how well timerdiff catches realistic bugs in the
// new version: it makes mutants of newimpl/time.go, builds each into a
// binary that compares the old version against the mutant instead of the
// new one, and reports which corpus file (or which random program) tells
// them apart.
//
// What it promises:
//   - newimpl/time.go is never edited. A mutant is applied by writing the
//     mutated file to a temporary directory and handing it to the go
//     command with -overlay. The overlay either replaces newimpl/time.go
//     itself (BuildSingle: one binary per mutant, exactly the new version
//     with one change) or adds a copy of package newimpl under the overlay
//     only path internal/mutants/zz/<id>/newimpl with the mutated time.go
//     (BuildAll: every mutant in one binary, one link, one corpus pass).
//     The copies keep the file name newimpl/time.go, so throws and hangs
//     name the same functions as the original.
//   - A mutant is data: a name, a one-line description and an exact
//     snippet of newimpl/time.go with its replacement (Catalog, hand
//     written), or the same generated with go/ast (Operators, over
//     modtimer and deltimer). Apply fails unless the snippet is where the
//     mutant says (exactly once, for the catalog).
//   - A mutant the sequential tester cannot tell apart from the new
//     version carries the one-line argument why (Mutant.Equivalent); it is
//     reported, never counted as a survivor and never dropped.
//   - Results are deterministic: the corpus is read in sorted order and a
//     campaign's programs depend on the seed and the program's index only,
//     so the program that kills a mutant first is the same on every run.
//
// The killer binary (cmd/killer) is the worker; difftest mutants runs the
// whole score and writes RESULTS.md.
package mutants
