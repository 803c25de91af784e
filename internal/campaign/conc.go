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
// stop at the first problem: it counts the programs showing each cause of
// problem (oracle.Signature) and keeps the first example of each,
// minimized at the end.
type Conc struct {
	old, new port.Impl // the pair the problems are minimized on

	programs, calls, migrations, preemptions int

	// Problems are grouped by signature (oracle.Signature.Key: their
	// cause), each with the first problem of its group as its example.
	counts map[string]int
	first  map[string]*check.ConcResult
	order  []string // signature keys in order of first appearance

	shared      map[string]int // problems both versions show, by signature
	sharedOrder []string

	known      *known.Set        // the committed findings: reported, not failures
	knownCount map[string]int    // programs showing each known problem
	knownFile  map[string]string // and the findings file that explains it
	knownOrder []string

	example map[string]check.Problem // each signature's first problem
}

func problemKey(p check.Problem) string { return p.Sig.Key() }

// NewConc returns an empty concurrent tally judged on the pair old, new.
// Problems that findings knows (nil: none) are counted apart, as known.
func NewConc(oldImpl, newImpl port.Impl, findings *known.Set) *Conc {
	return &Conc{old: oldImpl, new: newImpl, counts: map[string]int{}, first: map[string]*check.ConcResult{}, shared: map[string]int{},
		known: findings, knownCount: map[string]int{}, knownFile: map[string]string{}, example: map[string]check.Problem{}}
}

// RunConc runs n concurrent programs, or until the deadline if n is 0,
// on the pair old, new. Program i depends only on the seed and i. Every
// interval it prints a progress line to progress, whose content depends
// only on the programs run so far (its time aside).
func RunConc(oldImpl, newImpl port.Impl, findings *known.Set, seed uint64, n int, until time.Time, progress io.Writer, interval time.Duration) *Conc {
	ph := NewConc(oldImpl, newImpl, findings)
	rng := rand.New(rand.NewPCG(seed, 0x636f6e63)) // "conc"
	start := time.Now()
	last := start
	for i := 0; n > 0 && i < n || n == 0 && time.Now().Before(until); i++ {
		data := make([]byte, 24+rng.IntN(104))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		p, rest := ops.DecodeConc(data)
		ph.Add(check.ConcPair(oldImpl, newImpl, p, func() sim.Chooser { return sched.NewBytes(rest) }, false))
		if now := time.Now(); now.Sub(last) >= interval {
			ph.progress(progress, now.Sub(start))
			last = now
		}
	}
	ph.progress(progress, time.Since(start))
	return ph
}

// progress prints one line: the programs judged, and how many showed a
// known finding, a new cause, a problem both versions show.
func (ph *Conc) progress(w io.Writer, el time.Duration) {
	sum := func(m map[string]int) (n int) {
		for _, c := range m {
			n += c
		}
		return n
	}
	fmt.Fprintf(w, "difftest: concurrent: %.1fs: %d programs (%.1f/s); causes: %d known (%d programs), %d new (%d programs), %d shared\n",
		el.Seconds(), ph.programs, float64(ph.programs)/max(el.Seconds(), 1e-9),
		len(ph.knownOrder), sum(ph.knownCount), len(ph.order), sum(ph.counts), len(ph.sharedOrder))
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
			ph.example[k] = pr
		}
		ph.shared[k]++
	}
	for _, pr := range r.Problems {
		k := problemKey(pr)
		if seen[k] {
			continue
		}
		seen[k] = true
		if _, ok := ph.example[k]; !ok {
			ph.example[k] = pr
		}
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

// Write prints the concurrent part of the summary: the programs showing
// each cause (signature), and each new cause's first case, minimized, as
// a script with its schedule line and replay, the command that replays
// a script under the pair ("go run ./cmd/difftest replay"). A progress
// line per minimization goes to stderr.
func (ph *Conc) Write(stdout, stderr io.Writer, seed uint64, replay string) {
	fmt.Fprintf(stdout, "concurrent: %d programs, %d calls; per program %.1f preemptions and %.2f goroutines moved to an idle P (new version)\n",
		ph.programs, ph.calls, float64(ph.preemptions)/float64(max(ph.programs, 1)), float64(ph.migrations)/float64(max(ph.programs, 1)))
	if len(ph.knownOrder) > 0 {
		fmt.Fprintf(stdout, "known findings of the new version (programs showing each cause, the first one's problem, and the file that explains it):\n")
		for _, k := range ph.knownOrder {
			ph.writeGroup(stdout, ph.knownCount[k], k)
			fmt.Fprintf(stdout, "          [%s]\n", ph.knownFile[k])
		}
	}
	writeShared := func() {
		if len(ph.sharedOrder) > 0 {
			fmt.Fprintf(stdout, "shown by the old version too, under the same or an explored schedule with as many preemptions (upstream properties; programs showing each cause):\n")
			for _, k := range ph.sharedOrder {
				ph.writeGroup(stdout, ph.shared[k], k)
			}
		}
	}
	if ph.OK() {
		fmt.Fprintf(stdout, "new-version problems: 0\n")
		writeShared()
		return
	}
	keys := append([]string(nil), ph.order...)
	sort.SliceStable(keys, func(i, j int) bool { return ph.counts[keys[i]] > ph.counts[keys[j]] })

	// The judge has already explored the old version's schedules for
	// every problem counted here: they are the new version's alone.
	examples := map[string]string{}
	for i, k := range keys {
		fmt.Fprintf(stderr, "difftest: minimizing the first case of cause %d of %d: %s\n", i+1, len(keys), ph.example[k].Sig)
		p, st, ok := ph.Example(k)
		var b strings.Builder
		fmt.Fprintf(&b, "\nfirst case of %s", ph.example[k].Sig)
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
	fmt.Fprintf(stdout, "new-version problems (programs showing each cause, and the first one's problem):\n")
	for _, k := range keys {
		ph.writeGroup(stdout, ph.counts[k], k)
	}
	writeShared()
	for _, k := range keys {
		fmt.Fprint(stdout, examples[k])
	}
}

// writeGroup prints one cause: the programs that showed it and its
// signature, then its first problem's text, with its real numbers.
func (ph *Conc) writeGroup(w io.Writer, n int, key string) {
	ex := ph.example[key]
	fmt.Fprintf(w, "  %6d  %s\n", n, ex.Sig)
	fmt.Fprintf(w, "          e.g. %s\n", ClipLine(ex.Text))
}

// ProblemCount is one cause of new-version problems (oracle.Signature.Key)
// and the programs that showed it.
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
		out = append(out, ProblemCount{Key: k, Programs: ph.counts[k], Problem: ph.example[k]})
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
	want := ph.example[key]
	p = r.Replayable()
	small, st, err := minimize.Conc(p, minimize.SameProblem(ph.old, ph.new, want))
	if err != nil {
		return p, st, false
	}
	return small, st, true
}
