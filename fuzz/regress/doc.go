// Package regress holds the regression tests and benchmarks of timerdiff's
// fuzz targets, kept out of package fuzz so that the targets' test binary
// links only what they run (see package fuzz):
//
//	go test ./fuzz/regress                             # corpus/ replay, findings (part of go test ./...)
//	go test ./fuzz/regress -run=TestCorpus             # replay corpus/
//	go test ./fuzz/regress -run='^$' -bench=.          # cost of the harness
//
// TestCorpus replays every file under corpus/ with the judge of FuzzDiff
// and fails on any divergence or unreadable file, with the full go-cmp
// explanation; TestConcurrentCorpus replays corpus/concurrent/ under the
// judge of FuzzConcurrent. Nothing under a folder named contract
// (corpus/contract/: programs that break the API contract) is replayed;
// TestContractCorpus checks that every program there breaks it, and only
// difftest explore -break-contract runs them. TestFindings pins the
// committed findings (corpus/findings/) and upstream's fix as the ground
// truth. The pair comes from TIMERDIFF_OLD and TIMERDIFF_NEW, as for the
// fuzz targets (fuzz.Pair).
package regress
