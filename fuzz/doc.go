// Package fuzz holds timerdiff's native Go fuzz targets, the replay of the
// committed regression corpus, and the benchmarks.
//
//	go test ./fuzz -run='^$' -fuzz=FuzzDiff     # fuzz
//	go test ./fuzz -run=TestCorpus             # replay corpus/ (part of go test ./...)
//	go test ./fuzz -run='^$' -bench=.          # cost of the harness
//
// Invariants: FuzzDiff fails exactly when compare.Check finds a divergence
// between the old and the new version (or a hang or lock-order problem of
// the new one); every failure prints the divergence, the program as a
// script and how to re-run it. The corpus replay runs every file under
// corpus/ and fails on any divergence or unreadable file.
//
// FuzzConcurrent fails exactly when check.Conc finds a problem of the new
// version on a concurrent program; TestConcurrentCorpus replays
// corpus/concurrent/ under the same judge. Nothing under a folder named
// contract (corpus/contract/: programs that break the API contract) is
// replayed by go test; only difftest explore -break-contract runs those.
package fuzz
