// Package check runs one program on the old and the new version of the
// timer code and judges the pair: the single place where the fuzz targets,
// the corpus replay and cmd/difftest meet the ports.
//
// Sequential programs (Program, Pair, Equal): both versions run the same
// calls from a fresh World; the verdict is compare.Check's; the same
// program always gives the same Result.
//
// Concurrent programs (Conc, ConcPair): both versions run the same setup
// and threads from a fresh World, each under its own chooser, so their
// interleavings may differ where they take different steps; the verdict
// judges the new version alone (see ConcPair): what it must never do
// (Problems), what the old version shows too (Shared: upstream
// properties), and the old version's lock-order defects (Known). The same
// program under choosers built from the same inputs always gives the same
// ConcResult.
package check

import (
	"github.com/timerdiff/timerdiff/internal/compare"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

// Old and New are the versions under test.
var (
	Old port.Impl = oldimpl.Impl
	New port.Impl = newimpl.Impl
)

// Result is a program, both traces and the verdict.
type Result struct {
	Program  ops.Program
	Old, New run.Trace
	Report   compare.Report
}

// Program runs p on the old and the new version.
func Program(p ops.Program) *Result { return Pair(Old, New, p) }

// Pair runs p on two given versions (a mutant in place of the new one).
func Pair(oldImpl, newImpl port.Impl, p ops.Program) *Result {
	r := &Result{Program: p}
	cfg := p.Config()
	r.Old = run.Run(oldImpl, cfg, p.Ops)
	r.New = run.Run(newImpl, cfg, p.Ops)
	r.Report = compare.Check(&r.Old, &r.New)
	return r
}

// Locate is Pair without the go-cmp diff of the diverging step
// (compare.Locate): the same Report otherwise. FuzzDiff explains a
// divergence with it, so that its test binary links no go-cmp; the
// replay line it prints shows the diff.
func Locate(oldImpl, newImpl port.Impl, p ops.Program) *Result {
	r := &Result{Program: p}
	cfg := p.Config()
	r.Old = run.Run(oldImpl, cfg, p.Ops)
	r.New = run.Run(newImpl, cfg, p.Ops)
	r.Report = compare.Locate(&r.Old, &r.New)
	return r
}
