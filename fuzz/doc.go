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
// after each input, so this package's tests are the two targets, an
// empty target that measures that cost in this binary (FuzzFloor) and a
// table test of the pair's choice, and they call only what they run: decoding, the ports, the lockstep
// judge and the concurrent judge. The replay of the committed corpus, the
// findings' tests and the benchmarks are in package fuzz/regress.
//
// Nothing the targets import, directly or not, may declare a sync.Map
// or import go-fuzz-headers (which links archive/tar and its sync.Maps);
// std's encoding/binary declares one, so internal/ops and internal/corpus
// write its byte orders out. go test -fuzz instruments the package
// under test and what it imports, less sync, reflect, testing and a few
// more; not, say, encoding/binary when only internal/fuzz imports it.
// With such a package in the binary, the engine saw new coverage
// after nearly every input of an empty target, minimized the input,
// dropped it as a duplicate without learning the bits, and ran at 3,000
// to 4,000 execs/s instead of 43,000 to 56,000.
// The likely cause: a sync.Map is a generic type (internal/sync's
// HashTrieMap) instantiated in the package that declares it, with that
// package's coverage instrumentation, so the engine's own uses of
// sync.Map move counters. To check a change, fuzz FuzzFloor (the empty
// target of this package) with GODEBUG=fuzzdebug=1: "ignoring duplicate input
// which increased coverage" must not repeat.
package fuzz
