package explore

import (
	"fmt"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/sched"
)

// Report is the verdict on the outcome sets of one program.
type Report struct {
	Old, New    *Result
	Divergences []Divergence // outcomes only the new version reaches
	Lost        []Reached    // outcomes only the old version reaches (not failures)
	Problems    []Finding    // the new version's hangs and lock-order findings, and its other findings the old version does not show
	Shared      []Finding    // throws, heap violations and lost timers both versions show (properties of upstream)
	Known       []Finding    // the old version's findings that the new one does not show

	// Deeper holds the differences of the outcome sets at Bound that the
	// other version reaches at Bound+1 (see Pair): the two versions take
	// their locks at different steps, so one interleaving can cost them a
	// different number of preemptions. They are not divergences.
	Deeper []DeeperOutcome
}

// DeeperOutcome is an outcome one version reaches within the bound and
// the other only with one more preemption.
type DeeperOutcome struct {
	Reached
	Only   string // the version that reaches it within the bound: "old" or "new"
	Bound  int    // the bound at which the other version reaches it too
	Others Reached
}

// Divergence is an outcome the new version reaches and the old one does
// not, with the old outcome closest to it.
type Divergence struct {
	New     Reached
	Closest *Reached // nil if the old version reached nothing
	Diff    string   // go-cmp diff of Closest and New, -old +new
}

// Equal reports whether the new version reached no outcome the old one
// did not, and showed no problem.
func (r *Report) Equal() bool { return len(r.Divergences) == 0 && len(r.Problems) == 0 }

// Decided reports whether both searches were complete, so that the sets
// compared are the whole sets within the bound. When they are not, a
// divergence may be an outcome the old version reaches beyond Max.
func (r *Report) Decided() bool { return r.Old.Complete && r.New.Complete }

// Verdict is "equal", "diverged" or, when the searches were cut by Max
// before a divergence was found, "unknown".
func (r *Report) Verdict() string {
	switch {
	case !r.Equal():
		return "diverged"
	case !r.Decided():
		return "unknown"
	}
	return "equal"
}

// outcomeOptions is a function, not a package variable, so that a binary
// that links explore without Compare (the fuzz targets', through the
// concurrent judge) links none of go-cmp.
func outcomeOptions() cmp.Options { return cmp.Options{cmpopts.EquateEmpty()} }

// Compare compares the outcome sets of the old and the new version on the
// same program and options.
func Compare(old, nw *Result) *Report {
	r := &Report{Old: old, New: nw}
	oldKeys := map[string]bool{}
	for i := range old.Outcomes {
		oldKeys[old.Outcomes[i].Outcome.Key()] = true
	}
	newKeys := map[string]bool{}
	for i := range nw.Outcomes {
		n := &nw.Outcomes[i]
		k := n.Outcome.Key()
		newKeys[k] = true
		if oldKeys[k] {
			continue
		}
		d := Divergence{New: *n}
		if c := closest(old.Outcomes, k); c >= 0 {
			d.Closest = &old.Outcomes[c]
			d.Diff = cmp.Diff(d.Closest.Outcome, n.Outcome, outcomeOptions())
			if d.Diff == "" {
				panic("explore: outcomes with different keys but no go-cmp difference:\n" + k)
			}
		}
		r.Divergences = append(r.Divergences, d)
	}
	for i := range old.Outcomes {
		if !newKeys[old.Outcomes[i].Outcome.Key()] {
			r.Lost = append(r.Lost, old.Outcomes[i])
		}
	}
	// The judge's rule (package check), over every schedule within the
	// bound: a problem the old version shows too, in some schedule, is
	// an upstream property.
	oldFinds := map[string]bool{}
	for _, f := range old.Findings {
		oldFinds[f.Key()] = true
	}
	newFinds := map[string]bool{}
	for _, f := range nw.Findings {
		newFinds[f.Key()] = true
		switch {
		case f.Kind == oracle.Tester || !oldFinds[f.Key()]:
			r.Problems = append(r.Problems, f)
		default:
			r.Shared = append(r.Shared, f)
		}
	}
	for _, f := range old.Findings {
		if !newFinds[f.Key()] {
			r.Known = append(r.Known, f)
		}
	}
	return r
}

// closest returns the index of the outcome whose printed lines differ
// least from key's, the first of equals; -1 if there is none.
func closest(outs []Reached, key string) int {
	want := map[string]int{}
	for _, l := range strings.Split(key, "\n") {
		want[l]++
	}
	best, bestD := -1, 0
	for i := range outs {
		have := map[string]int{}
		for _, l := range strings.Split(outs[i].Outcome.Key(), "\n") {
			have[l]++
		}
		d := 0
		for l, n := range want {
			d += max(n-have[l], 0)
		}
		for l, n := range have {
			d += max(n-want[l], 0)
		}
		if best < 0 || d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// String is the report for people: the counts, then every divergence with
// its witness schedule and diff, the lost behaviours and the findings.
func (r *Report) String() string {
	var b strings.Builder
	for _, res := range []*Result{r.Old, r.New} {
		cut := ""
		switch {
		case res.Escaped > 0:
			cut = "; not complete: the reduction was escaped"
		case !res.Complete:
			cut = " (cut by -max: incomplete)"
		case res.Bound < 0:
			cut = "; complete: every schedule (up to reduction)"
		}
		bound := fmt.Sprintf("bound %d", res.Bound)
		if res.Bound < 0 {
			bound = "no bound"
		}
		red := ""
		switch {
		case res.Bound < 0 && (res.Pruned > 0 || res.Slept > 0):
			red = fmt.Sprintf(", %d alternatives pruned by the reduction, %d asleep", res.Pruned, res.Slept)
		case res.Bound >= 0 && res.Slept > 0:
			red = fmt.Sprintf(", %d alternatives asleep (the reduction)", res.Slept)
		}
		if res.Cut > 0 {
			red += fmt.Sprintf(", %d runs cut at a spin or retry", res.Cut)
		}
		if res.Escaped > 0 {
			red += fmt.Sprintf(", %d outcomes or findings that only the unreduced check at bound %d reached (added: the version may touch guarded state outside its guard)", res.Escaped, checkBound(res.Bound))
		}
		if res.Unreduced {
			red += ", without the reduction (a FairSlice switch)"
		}
		fmt.Fprintf(&b, "%s: %d schedules (%s, up to %d choice points%s), %d distinct outcomes%s\n",
			res.Impl, res.Schedules, bound, res.Points, red, len(res.Outcomes), cut)
	}
	fmt.Fprintf(&b, "verdict: %s: %d divergences, %d lost behaviours, %d new-version problems\n",
		r.Verdict(), len(r.Divergences), len(r.Lost), len(r.Problems))
	for _, d := range r.Deeper {
		other := "new"
		if d.Only == "new" {
			other = "old"
		}
		fmt.Fprintf(&b, "bound artifact: an outcome the %s version reaches within the bound (%s), the %s one only at bound %d (%s)\n",
			d.Only, d.Witness.Line(), other, d.Bound, d.Others.Witness.Line())
	}
	for i, d := range r.Divergences {
		fmt.Fprintf(&b, "\nDIVERGENCE %d: an outcome only the new version reaches (%d schedules)\n", i+1, d.New.Count)
		fmt.Fprintf(&b, "%s\n", d.New.Witness.Line())
		writeIndented(&b, d.New.Outcome.String())
		if d.Closest != nil {
			fmt.Fprintf(&b, "closest old outcome: %s\n", d.Closest.Witness.Line())
			fmt.Fprintf(&b, "diff (-old +new):\n%s", d.Diff)
		}
	}
	for i, l := range r.Lost {
		fmt.Fprintf(&b, "\nlost behaviour %d: an outcome only the old version reaches (%d schedules)\n%s\n", i+1, l.Count, l.Witness.Line())
		writeIndented(&b, l.Outcome.String())
	}
	for _, list := range []struct {
		name string
		fs   []Finding
	}{{"PROBLEM (new version)", r.Problems}, {"shared (both versions)", r.Shared}, {"known (old version alone)", r.Known}} {
		for _, g := range ByCause(list.fs) {
			fmt.Fprintf(&b, "%s: %s: %d schedules; smallest: %s\n", list.name, g.Sig, g.Count, g.Smallest.Line())
			for _, f := range g.Findings {
				fmt.Fprintf(&b, "    %s (%d schedules; first: %s)\n", f.Text, f.Count, f.Witness.Line())
			}
		}
	}
	return b.String()
}

// Cause is the findings of one signature (oracle.Signature.Key): the same
// kind of problem, from the same time.go call, after a move at the same
// safe point.
type Cause struct {
	Sig      oracle.Signature // the first finding's
	Findings []Finding        // in the order given
	Count    int              // schedules, summed over Findings
	Smallest sched.Schedule   // the shortest of their witnesses (the first of equals)
}

// ByCause groups findings by signature, in order of first appearance.
func ByCause(fs []Finding) []Cause {
	var out []Cause
	at := map[string]int{}
	for _, f := range fs {
		k := f.Sig.Key()
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, Cause{Sig: f.Sig, Smallest: f.Witness})
		}
		c := &out[i]
		c.Findings = append(c.Findings, f)
		c.Count += f.Count
		if len(f.Witness) < len(c.Smallest) {
			c.Smallest = f.Witness
		}
	}
	return out
}

func writeIndented(b *strings.Builder, s string) {
	for l := range strings.Lines(s) {
		b.WriteString("    " + l)
	}
}
