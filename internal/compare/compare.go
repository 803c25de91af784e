// Package compare decides whether two traces of the same program, one from
// the old version and one from the new, show the same behaviour, and
// explains the first difference.
//
// The contract:
//  1. Two steps are the same when everything observable is equal: the
//     adapter error, the results, the fires, the wakeNetPoller calls, the
//     throw or hang with where it happened, the state after the call and
//     the heap invariant violations. Outcome.Steps (a cost) is ignored.
//  2. Check reports the first step that is not the same as a Divergence,
//     with a go-cmp diff of the two steps, old as "-" and new as "+".
//     StepDiff returns "" exactly when StepsEqual is true; the fast
//     equality on the hot path and the go-cmp explanation cannot disagree
//     (the tests check it, and Check panics if they ever do).
//  3. Independently of the old version, the new one must not hang and
//     must not take locks against the runtime's declared rank order or in
//     a cycle: those are divergences too (kinds "hang" and "lock order").
//     A lock-order problem of the old version alone is a known defect of
//     the old code (the CL says it removes one), reported but not failed.
//  4. An invariant violation that both versions show at the same step is
//     not a divergence: it is a property of upstream, listed in Shared.
package compare

import (
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
)

// Kind says what differs.
type Kind string

const (
	KindError     Kind = "error"      // the adapter refused a call in one version only
	KindThrow     Kind = "throw"      // throw, badTimer or crash
	KindHang      Kind = "hang"       // a call could not finish
	KindResult    Kind = "result"     // a return value
	KindFire      Kind = "fire"       // timer functions run
	KindWake      Kind = "wake"       // wakeNetPoller calls
	KindState     Kind = "state"      // the state after the call
	KindInvariant Kind = "invariant"  // heap invariant violations
	KindLockOrder Kind = "lock order" // the new version's locks break the rank order
)

// Divergence is the first difference between the old and the new trace.
type Divergence struct {
	Kind Kind
	Op   int       // index of the call where it shows
	Call port.Call // that call
	Old  string    // what the old version did there, one line
	New  string    // what the new version did there, one line
	Diff string    // go-cmp diff of the step, -old +new
}

func (d *Divergence) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s divergence at op %d: %s\n", d.Kind, d.Op, d.Call)
	fmt.Fprintf(&b, "  old: %s\n", d.Old)
	fmt.Fprintf(&b, "  new: %s\n", d.New)
	if d.Diff != "" {
		fmt.Fprintf(&b, "diff (-old +new):\n%s", d.Diff)
	}
	return b.String()
}

// Report is the verdict on one program.
type Report struct {
	Divergence *Divergence // nil when the versions behaved the same
	Known      []string    // lock-order defects of the old version alone
	Shared     []string    // invariant violations both versions show (upstream properties)
}

// Equal reports whether nothing diverged.
func (r *Report) Equal() bool { return r.Divergence == nil }

// Check compares the traces of one program on the old and the new version.
func Check(old, nw *run.Trace) Report { return check(old, nw, mustDiff) }

// Locate is Check without the go-cmp diff of the diverging step: the same
// verdict, kind, op and one-line summaries, with Divergence.Diff "". It
// is for the fuzz targets' test binary, which must not link go-cmp: the
// fuzzing engine diffs every coverage counter of the binary after each
// input, and go-cmp's are thousands (difftest replay gives the diff).
// Locate must not reach StepDiff, so Check hands check the diff function.
func Locate(old, nw *run.Trace) Report { return check(old, nw, nil) }

// mustDiff is StepDiff of op i's two steps, which StepsEqual found
// different.
func mustDiff(i int, o, w *run.Step) string {
	d := StepDiff(o, w)
	if d == "" {
		panic(fmt.Sprintf("compare: op %d: StepsEqual is false but go-cmp finds no difference", i))
	}
	return d
}

// check is Check, with diff (if not nil) explaining the diverging step.
func check(old, nw *run.Trace, diff func(i int, o, w *run.Step) string) Report {
	var r Report
	n := max(len(old.Steps), len(nw.Steps))
	for i := range n {
		if i >= len(old.Steps) || i >= len(nw.Steps) {
			// Both traces stop at the same kind of step, so a length
			// difference shows at the last common step; reaching here
			// would mean a trace kept going after an ending step.
			panic(fmt.Sprintf("compare: traces of different lengths (%d, %d) with equal steps", len(old.Steps), len(nw.Steps)))
		}
		o, w := &old.Steps[i], &nw.Steps[i]
		if !StepsEqual(o, w) {
			d := ""
			if diff != nil {
				d = diff(i, o, w)
			}
			r.Divergence = &Divergence{Kind: kindOf(o, w), Op: i, Call: o.Call, Old: Summary(o), New: Summary(w), Diff: d}
			break
		}
		for _, bad := range o.Bad {
			r.Shared = append(r.Shared, fmt.Sprintf("op %d: %s", i, bad))
		}
	}
	if r.Divergence == nil {
		r.Divergence = newVersionProblem(nw)
	}
	r.Known = oldDefects(old)
	return r
}

// newVersionProblem finds what the new version must never do, even if the
// old version does it too: hang, or take locks against the rank order.
func newVersionProblem(nw *run.Trace) *Divergence {
	for i := range nw.Steps {
		if s := &nw.Steps[i]; s.Out.Hang != "" {
			return &Divergence{Kind: KindHang, Op: i, Call: s.Call, Old: "(hangs too)", New: Summary(s)}
		}
	}
	for _, e := range nw.LockEdges {
		if !e.RankOK {
			return lockDivergence(nw, e.Call, e.String())
		}
	}
	if len(nw.LockCycles) > 0 {
		return lockDivergence(nw, len(nw.Steps)-1, "lock-order cycle "+nw.LockCycles[0])
	}
	return nil
}

func lockDivergence(tr *run.Trace, op int, what string) *Divergence {
	d := &Divergence{Kind: KindLockOrder, Op: op, Old: "(not compared: the new version alone is checked)", New: what}
	if op >= 0 && op < len(tr.Steps) {
		d.Call = tr.Steps[op].Call
	}
	return d
}

func oldDefects(old *run.Trace) []string {
	var known []string
	for _, e := range old.LockEdges {
		if !e.RankOK {
			known = append(known, "old version: "+e.String())
		}
	}
	for _, c := range old.LockCycles {
		known = append(known, "old version: lock-order cycle "+c)
	}
	return known
}

// kindOf names the first observable that differs, in the order a reader
// wants them: what the call returned before what it left behind.
func kindOf(o, w *run.Step) Kind {
	switch {
	case o.Err != w.Err:
		return KindError
	case o.Out.Throw != w.Out.Throw || (o.Out.Throw != "" && o.Out.Where != w.Out.Where):
		return KindThrow
	case o.Out.Hang != w.Out.Hang || (o.Out.Hang != "" && o.Out.Where != w.Out.Where):
		return KindHang
	case !resultsEqual(&o.Out, &w.Out):
		return KindResult
	case !slices.Equal(o.Out.Fires, w.Out.Fires):
		return KindFire
	case !slices.Equal(o.Out.Wakes, w.Out.Wakes):
		return KindWake
	case !statesEqual(o.State, w.State):
		return KindState
	default:
		return KindInvariant
	}
}

// maxListed bounds the fires and wakes a summary lists: a call stopped by
// the step budget may have thousands.
const maxListed = 8

// Summary is one line saying what a step did.
func Summary(s *run.Step) string {
	if s.Err != "" {
		return "error: " + s.Err
	}
	parts := []string{}
	if r := s.Out.Result(s.Call.Kind); r != "" {
		parts = append(parts, r)
	}
	for i, f := range s.Out.Fires {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("... %d more fires", len(s.Out.Fires)-i))
			break
		}
		parts = append(parts, "fire "+f.String())
	}
	for i, w := range s.Out.Wakes {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("... %d more wakes", len(s.Out.Wakes)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("wakeNetPoller(%d)", w))
	}
	if len(parts) == 0 {
		return "(no result)"
	}
	return strings.Join(parts, "; ")
}

// stepOptions make go-cmp see exactly what StepsEqual sees. A function,
// not a package variable, so that a binary that never calls StepDiff
// (see Locate) links none of go-cmp.
func stepOptions() cmp.Options {
	return cmp.Options{
		cmpopts.IgnoreFields(port.Outcome{}, "Steps", "Cause"),
		cmpopts.EquateEmpty(),
	}
}

// StepDiff explains how two steps differ, -old +new; "" iff StepsEqual.
func StepDiff(old, nw *run.Step) string {
	hang := bothHang(old, nw)
	return cmp.Diff(shown(old, hang), shown(nw, hang), stepOptions())
}
