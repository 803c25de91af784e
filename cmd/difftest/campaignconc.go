package main

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/explore"
	"github.com/timerdiff/timerdiff/internal/minimize"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// concPhase is the concurrent part of a campaign: programs and schedules
// decoded from PCG bytes (ops.DecodeConc, sched.Bytes), judged like
// FuzzConcurrent (check.ConcPair). Unlike the sequential part it does not
// stop at the first problem: it counts the programs showing each kind of
// problem and keeps the first example of each, minimized at the end.
type concPhase struct {
	programs, calls, migrations, preemptions int

	counts map[string]int
	first  map[string]*check.ConcResult
	order  []string // problem keys in order of first appearance
}

func problemKey(p check.Problem) string {
	if p.Class == "" {
		return string(p.Kind)
	}
	return string(p.Kind) + ": " + p.Class
}

// runConc runs n concurrent programs, or until the deadline if n is 0.
// Program i depends only on the seed and i.
func (c *campaign) runConc(n int, until time.Time) *concPhase {
	ph := &concPhase{counts: map[string]int{}, first: map[string]*check.ConcResult{}}
	rng := rand.New(rand.NewPCG(c.seed, 0x636f6e63)) // "conc"
	for i := 0; n > 0 && i < n || n == 0 && time.Now().Before(until); i++ {
		data := make([]byte, 24+rng.IntN(104))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		p, rest := ops.DecodeConc(data)
		r := check.ConcPair(oldImpl, newImpl, p, func() sim.Chooser { return sched.NewBytes(rest) }, false)
		ph.programs++
		for _, th := range r.New.Threads {
			ph.calls += len(th)
		}
		ph.migrations += r.New.Migrations
		ph.preemptions += r.New.Preemptions
		seen := map[string]bool{}
		for _, pr := range r.Problems {
			k := problemKey(pr)
			if seen[k] {
				continue
			}
			seen[k] = true
			if ph.counts[k] == 0 {
				ph.first[k] = r
				ph.order = append(ph.order, k)
			}
			ph.counts[k]++
		}
	}
	return ph
}

// ok reports whether no program showed a problem of the new version.
func (ph *concPhase) ok() bool { return len(ph.order) == 0 }

// write prints the concurrent part of the summary: the counts, and each
// kind of problem's first example, minimized, as a script with its
// schedule line.
func (ph *concPhase) write(seed uint64) {
	fmt.Fprintf(stdout, "concurrent: %d programs, %d calls; per program %.1f preemptions and %.2f goroutines moved to an idle P (new version)\n",
		ph.programs, ph.calls, float64(ph.preemptions)/float64(max(ph.programs, 1)), float64(ph.migrations)/float64(max(ph.programs, 1)))
	if ph.ok() {
		fmt.Fprintf(stdout, "new-version problems: 0\n")
		return
	}
	keys := append([]string(nil), ph.order...)
	sort.SliceStable(keys, func(i, j int) bool { return ph.counts[keys[i]] > ph.counts[keys[j]] })

	// The judge looks for a problem in the old version under a few
	// schedules only. Each kind's example is minimized, then explored on
	// both versions: a problem the old version also shows within the
	// bound is an upstream property, not the CL's.
	var real, shared []string
	examples := map[string]string{}
	for _, k := range keys {
		r := ph.first[k]
		want := r.Problems[0]
		for _, pr := range r.Problems {
			if problemKey(pr) == k {
				want = pr
			}
		}
		p := r.Replayable()
		small, st, err := minimize.MinimizeConc(p, minimize.SameProblem(oldImpl, newImpl, want))
		var b strings.Builder
		fmt.Fprintf(&b, "\nfirst %s", k)
		if err == nil {
			p = small
			fmt.Fprintf(&b, ", minimized (%v)", st)
		}
		fmt.Fprintf(&b, ":\n")
		for l := range strings.Lines(p.Script()) {
			fmt.Fprintf(&b, "    %s", l)
		}
		fmt.Fprintf(&b, "  save it as x.ops, then: go run ./cmd/difftest replay x.ops   (seed %d)\n", seed)
		examples[k] = b.String()
		nr := check.ConcPair(oldImpl, newImpl, p, func() sim.Chooser { return sched.Replay(p.Schedule) }, false)
		bound := min(max(nr.New.Preemptions+nr.New.Migrations, minSharedBound), maxSharedBound)
		if oldShows(p, want, bound) {
			shared = append(shared, k)
		} else {
			real = append(real, k)
		}
	}
	ph.order = real
	if len(real) == 0 {
		fmt.Fprintf(stdout, "new-version problems: 0\n")
	} else {
		fmt.Fprintf(stdout, "new-version problems (programs showing each; README \"What it finds\" explains the known ones):\n")
		for _, k := range real {
			fmt.Fprintf(stdout, "  %6d  %s\n", ph.counts[k], k)
		}
	}
	if len(shared) > 0 {
		fmt.Fprintf(stdout, "shown by the old version too, when its schedules with as many preemptions are explored (upstream properties):\n")
		for _, k := range shared {
			fmt.Fprintf(stdout, "  %6d  %s\n", ph.counts[k], k)
		}
	}
	for _, k := range real {
		fmt.Fprint(stdout, examples[k])
	}
}

// The bounds of the exploration that decides whether the old version
// shows a problem too: as many preemptions and moves as the new
// version's example needed, within these.
const (
	minSharedBound = 2
	maxSharedBound = 4
)

// findingKinds maps the judge's problem kinds to explore's finding kinds.
// Lock-order problems are missing on purpose: the new version must not
// have them whatever the old one does.
var findingKinds = map[check.ProblemKind]explore.FindingKind{
	check.ProblemHang:      explore.FindHang,
	check.ProblemThrow:     explore.FindThrow,
	check.ProblemInvariant: explore.FindHeap,
	check.ProblemLost:      explore.FindLost,
}

// oldShows reports whether exploring p on the old version, up to bound
// preemptions, finds a problem of want's kind and class.
func oldShows(p ops.ConcProgram, want check.Problem, bound int) bool {
	kind, ok := findingKinds[want.Kind]
	if !ok {
		return false
	}
	res, err := explore.Explore(oldImpl, p.Config(), p.Ops, p.Threads, explore.Options{Bound: bound, Max: 200000})
	if err != nil {
		return false
	}
	for _, f := range res.Findings {
		if f.Kind != kind {
			continue
		}
		what := digitsRE.ReplaceAllString(f.What, "N")
		if want.Class == "" || strings.Contains(want.Class, what) || strings.Contains(what, want.Class) {
			return true
		}
	}
	return false
}

var digitsRE = regexp.MustCompile(`-?[0-9]+`)
