package campaign

import (
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/known"
	"github.com/timerdiff/timerdiff/internal/minimize"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// Conc is the concurrent part of a campaign: programs and schedules
// decoded from PCG bytes (ops.DecodeConc, sched.Bytes), judged like
// FuzzConcurrent (check.ConcPair). Unlike the sequential part it does not
// stop at the first problem: it counts the programs showing each kind of
// problem and keeps the first example of each, minimized at the end.
type Conc struct {
	old, new port.Impl // the pair the problems are minimized on

	programs, calls, migrations, preemptions int

	counts map[string]int
	first  map[string]*check.ConcResult
	order  []string // problem keys in order of first appearance

	shared      map[string]int // problems both versions show, by kind and class
	sharedOrder []string

	known      *known.Set        // the committed findings: reported, not failures
	knownCount map[string]int    // programs showing each known problem
	knownFile  map[string]string // and the findings file that explains it
	knownOrder []string
}

func problemKey(p check.Problem) string { return p.Key() }

// NewConc returns an empty concurrent tally judged on the pair old, new.
// Problems that findings knows (nil: none) are counted apart, as known.
func NewConc(oldImpl, newImpl port.Impl, findings *known.Set) *Conc {
	return &Conc{old: oldImpl, new: newImpl, counts: map[string]int{}, first: map[string]*check.ConcResult{}, shared: map[string]int{},
		known: findings, knownCount: map[string]int{}, knownFile: map[string]string{}}
}

// RunConc runs n concurrent programs, or until the deadline if n is 0,
// on the pair old, new. Program i depends only on the seed and i.
func RunConc(oldImpl, newImpl port.Impl, findings *known.Set, seed uint64, n int, until time.Time) *Conc {
	ph := NewConc(oldImpl, newImpl, findings)
	rng := rand.New(rand.NewPCG(seed, 0x636f6e63)) // "conc"
	for i := 0; n > 0 && i < n || n == 0 && time.Now().Before(until); i++ {
		data := make([]byte, 24+rng.IntN(104))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		p, rest := ops.DecodeConc(data)
		ph.Add(check.ConcPair(oldImpl, newImpl, p, func() sim.Chooser { return sched.NewBytes(rest) }, false))
	}
	return ph
}

// Add counts one judged program: its problems by kind and class, and
// those both versions show apart.
func (ph *Conc) Add(r *check.ConcResult) {
	ph.programs++
	for _, th := range r.New.Threads {
		ph.calls += len(th)
	}
	ph.migrations += r.New.Migrations
	ph.preemptions += r.New.Preemptions
	seen := map[string]bool{}
	for _, pr := range r.Shared {
		k := problemKey(pr)
		if seen[k] {
			continue
		}
		seen[k] = true
		if ph.shared[k] == 0 {
			ph.sharedOrder = append(ph.sharedOrder, k)
		}
		ph.shared[k]++
	}
	for _, pr := range r.Problems {
		k := problemKey(pr)
		if seen[k] {
			continue
		}
		seen[k] = true
		if file, ok := ph.known.Match(pr); ok {
			if ph.knownCount[k] == 0 {
				ph.knownOrder = append(ph.knownOrder, k)
				ph.knownFile[k] = file
			}
			ph.knownCount[k]++
			continue
		}
		if ph.counts[k] == 0 {
			ph.first[k] = r
			ph.order = append(ph.order, k)
		}
		ph.counts[k]++
	}
}

// OK reports whether no program showed a problem of the new version that
// is not a known finding.
func (ph *Conc) OK() bool { return len(ph.order) == 0 }

// KnownSeen reports whether some program showed a known finding.
func (ph *Conc) KnownSeen() bool { return len(ph.knownOrder) > 0 }

// Write prints the concurrent part of the summary: the counts, and each
// kind of problem's first example, minimized, as a script with its
// schedule line and replay, the command that replays a script under
// the pair ("go run ./cmd/difftest replay").
func (ph *Conc) Write(stdout io.Writer, seed uint64, replay string) {
	fmt.Fprintf(stdout, "concurrent: %d programs, %d calls; per program %.1f preemptions and %.2f goroutines moved to an idle P (new version)\n",
		ph.programs, ph.calls, float64(ph.preemptions)/float64(max(ph.programs, 1)), float64(ph.migrations)/float64(max(ph.programs, 1)))
	if len(ph.knownOrder) > 0 {
		fmt.Fprintf(stdout, "known findings of the new version (programs showing each; explained in the file named):\n")
		for _, k := range ph.knownOrder {
			fmt.Fprintf(stdout, "  %6d  %s  [%s]\n", ph.knownCount[k], k, ph.knownFile[k])
		}
	}
	if ph.OK() {
		fmt.Fprintf(stdout, "new-version problems: 0\n")
		if len(ph.sharedOrder) > 0 {
			fmt.Fprintf(stdout, "shown by the old version too, under the same or an explored schedule with as many preemptions (upstream properties):\n")
			for _, k := range ph.sharedOrder {
				fmt.Fprintf(stdout, "  %6d  %s\n", ph.shared[k], k)
			}
		}
		return
	}
	keys := append([]string(nil), ph.order...)
	sort.SliceStable(keys, func(i, j int) bool { return ph.counts[keys[i]] > ph.counts[keys[j]] })

	// The judge has already explored the old version's schedules for
	// every problem counted here: they are the new version's alone.
	examples := map[string]string{}
	for _, k := range keys {
		p, st, ok := ph.Example(k)
		var b strings.Builder
		fmt.Fprintf(&b, "\nfirst %s", k)
		if ok {
			fmt.Fprintf(&b, ", minimized (%v)", st)
		}
		fmt.Fprintf(&b, ":\n")
		for l := range strings.Lines(p.Script()) {
			fmt.Fprintf(&b, "    %s", l)
		}
		fmt.Fprintf(&b, "  save it as x.ops, then: %s x.ops   (seed %d)\n", replay, seed)
		examples[k] = b.String()
	}
	fmt.Fprintf(stdout, "new-version problems (programs showing each; README \"What it finds\" explains the known ones):\n")
	for _, k := range keys {
		fmt.Fprintf(stdout, "  %6d  %s\n", ph.counts[k], k)
	}
	if len(ph.sharedOrder) > 0 {
		fmt.Fprintf(stdout, "shown by the old version too, under the same or an explored schedule with as many preemptions (upstream properties):\n")
		for _, k := range ph.sharedOrder {
			fmt.Fprintf(stdout, "  %6d  %s\n", ph.shared[k], k)
		}
	}
	for _, k := range keys {
		fmt.Fprint(stdout, examples[k])
	}
}

// ProblemCount is one kind of new-version problem (Kind and Class, as
// oracle.Problem.Key) and the programs that showed it.
type ProblemCount struct {
	Key      string
	Problem  check.Problem // as the first program showed it
	Programs int
}

// Problems lists the new-version problems that are not known findings,
// most programs first (ties: order of first appearance).
func (ph *Conc) Problems() []ProblemCount {
	var out []ProblemCount
	for _, k := range ph.order {
		r := ph.first[k]
		pc := ProblemCount{Key: k, Programs: ph.counts[k]}
		for _, pr := range r.Problems {
			if problemKey(pr) == k {
				pc.Problem = pr
				break
			}
		}
		out = append(out, pc)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Programs > out[j].Programs })
	return out
}

// Programs is how many concurrent programs were judged.
func (ph *Conc) Programs() int { return ph.programs }

// Example returns the first program that showed the problem key, with
// the schedule line that replays it, minimized while the same problem
// stays (ok: the minimization succeeded; else the program as it ran).
func (ph *Conc) Example(key string) (p ops.ConcProgram, st minimize.ConcStats, ok bool) {
	r := ph.first[key]
	want := r.Problems[0]
	for _, pr := range r.Problems {
		if problemKey(pr) == key {
			want = pr
		}
	}
	p = r.Replayable()
	small, st, err := minimize.Conc(p, minimize.SameProblem(ph.old, ph.new, want))
	if err != nil {
		return p, st, false
	}
	return small, st, true
}
