// Package fuzz holds timerdiff's native Go fuzz targets and what they
// share with the tools: the pair they run (Pair, from TIMERDIFF_OLD and
// TIMERDIFF_NEW), their seeds (SeqSeeds, ConcSeeds) and their re-run
// lines (GoTest, Difftest).
//
//	go test ./fuzz -run='^$' -fuzz=FuzzDiff         # fuzz sequential programs
//	go test ./fuzz -run='^$' -fuzz=FuzzConcurrent   # fuzz concurrent programs and schedules
//
// Invariants: FuzzDiff fails exactly when compare.Check finds a divergence
// between the old and the new version (or a hang or lock-order problem of
// the new one); every failure prints the divergence, the program as a
// script and how to re-run it; the go-cmp diff of the diverging step is
// left to the difftest replay line it prints. FuzzConcurrent fails
// exactly when check.Conc finds a problem of the new version on a
// concurrent program.
//
// The fuzzing engine diffs every coverage counter of the test binary
// after each input, so this package's tests are the two targets alone
// and they call only what they run: decoding, the ports, the lockstep
// judge and the concurrent judge. The replay of the committed corpus, the
// findings' tests and the benchmarks are in package fuzz/regress.
package fuzz
