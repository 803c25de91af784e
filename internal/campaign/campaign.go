// Package campaign runs differential campaigns: it generates programs
// (random fuzz bytes and mutations of a corpus, decoded with ops.Decode),
// keeps those that show a new feature, counts how often each branch of
// modtimer and deltimer is reached, and, for concurrent programs judged by
// check.ConcPair, counts and classifies the new version's problems.
// difftest run and the mutation runner's killer are commands over it.
package campaign

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/compare"
	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/known"
	"github.com/timerdiff/timerdiff/internal/minimize"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
)

// About describes a campaign, for difftest run's usage.
const About = `Run generates programs from a PRNG seeded with -seed (random fuzz bytes,
and mutations of the corpus's programs), runs each on the old and the new
version and compares them, until -time has passed or -count programs have
run. Programs that show a new behaviour join the in-memory corpus. It
stops at the first divergence, minimizes it and prints it with the line
that reproduces it (exit 1). The same -seed, -count and corpus give the
same programs and the same summary.

Then, for the -conc share of the budget, it runs concurrent programs with
fuzzed schedules (threads on their own Ms, goroutines that may move to an
idle P), judged like FuzzConcurrent: it counts the programs showing each
cause of new-version problem and prints the first case of each,
minimized. A cause is a problem's signature: its kind, the call in the
port's time.go that broke the invariant and, for a timer added to a P
its goroutine no longer held, the call at whose prologue that goroutine
was moved to another P; it is printed with the port's file and line and
compared by function and call. A problem with the signature of a script
under -findings (the committed, explained findings) is reported as
known, naming the script, and does not fail the run unless -strict: so
the exit status is 1 for a divergence or a new cause, 0 otherwise, which
makes run a CI check that hides nothing. Progress lines go to stderr,
through the concurrent part too.
`

// batchSize is how many programs are generated at once, from the corpus
// as it was after the previous batch: results are merged in program order,
// so the campaign does not depend on how the workers were scheduled.
const batchSize = 128

// Options says what one campaign runs and where it writes.
type Options struct {
	Seed   uint64        // the PRNG seed; not 0
	Count  int           // sequential programs to run; 0: until Budget is spent
	Budget time.Duration // the sequential phase's time, when Count is 0

	// The concurrent phase's size: a count, or a time (both 0: none).
	ConcCount int
	ConcTime  time.Duration

	Corpus []Entry // the seeds to mutate
	Dir    string  // where Corpus was read from, for the re-run line ("" if none)

	Old, New port.Impl // the pair under test
	// PairFlags are the command line's -old and -new flags as given
	// (" -new c6888d92"), for the re-run lines; "" for the default pair.
	PairFlags string

	// Findings are the committed, explained findings (package known):
	// a problem they show is reported as known and fails the campaign
	// only if Strict.
	Findings *known.Set
	Strict   bool

	Stdout, Stderr io.Writer     // the summary; progress lines
	Progress       time.Duration // how often to print a progress line; 0: 2s

	// SharedLockOrder: a lock-order "divergence" (compare flags every
	// rank violation and cycle of the new version) whose violations and
	// cycles the old version shows too, on the same program, does not
	// stop the campaign; it is counted as shared. Without it, a pair
	// whose versions both break the rank order (51df232b -> b5a99eaa)
	// stops at its first program.
	SharedLockOrder bool
}

// diverges reports whether r stops the campaign.
func (o *Options) diverges(r *check.Result) bool {
	if r.Report.Equal() {
		return false
	}
	return !o.SharedLockOrder || !SharedLockOrder(r)
}

// SharedLockOrder reports whether r's divergence is a lock-order one
// whose every rank violation and cycle of the new version (by pair of
// classes and tier) the old version shows too.
func SharedLockOrder(r *check.Result) bool {
	d := r.Report.Divergence
	if d == nil || d.Kind != compare.KindLockOrder {
		return false
	}
	old := map[string]bool{}
	for _, e := range r.Old.LockEdges {
		if !e.RankOK {
			old[fmt.Sprintf("%s -> %s %t", e.From, e.To, e.Ranked)] = true
		}
	}
	for _, c := range r.Old.LockCycles {
		old["cycle "+c] = true
	}
	for _, e := range r.New.LockEdges {
		if !e.RankOK && !old[fmt.Sprintf("%s -> %s %t", e.From, e.To, e.Ranked)] {
			return false
		}
	}
	for _, c := range r.New.LockCycles {
		if !old["cycle "+c] {
			return false
		}
	}
	return true
}

// Run runs a campaign and prints its summary. It reports whether it found
// a divergence or a new-version problem; err is an internal error.
func Run(o Options) (found bool, err error) {
	out, err := RunOutcome(o)
	if err != nil {
		return false, err
	}
	return out.Found, nil
}

// Outcome is what a campaign found, for callers that tabulate campaigns
// rather than print them (difftest series). Run prints the same.
type Outcome struct {
	Found      bool          // what Run returns
	Programs   int           // sequential programs run
	Divergence *check.Result // the first divergent program, minimized; nil if none
	Repro      string        // the line that re-runs the campaign up to it
	Conc       *Conc         // the concurrent phase; nil if there was none
}

// RunOutcome runs a campaign, prints its summary as Run does, and returns
// what it found.
func RunOutcome(o Options) (*Outcome, error) {
	if o.Progress == 0 {
		o.Progress = 2 * time.Second
	}
	c := &campaign{Options: o, cov: &Coverage{}, seen: map[Feature]bool{}, seeds: len(o.Corpus), gen: NewGenerator(o.Seed, o.Corpus)}
	found, err := c.run()
	if err != nil {
		return nil, err
	}
	c.out.Found = found
	c.out.Programs = c.programs
	return &c.out, nil
}

// campaign is the state of one run.
type campaign struct {
	Options

	gen      *Generator
	seeds    int // corpus entries read from dir
	seen     map[Feature]bool
	cov      *Coverage
	programs int
	ops      int
	start    time.Time

	// Programs showing each known defect of the old version and each
	// invariant violation both versions share, numbers folded to N.
	known, shared map[string]int

	out Outcome // what RunOutcome returns
}

func (c *campaign) run() (bool, error) {
	c.start = time.Now()
	lastProgress := c.start
	for c.Count == 0 || c.programs < c.Count {
		if c.Count == 0 && time.Since(c.start) >= c.Budget {
			break
		}
		n := batchSize
		if c.Count > 0 {
			n = min(n, c.Count-c.programs)
		}
		progs := make([]ops.Program, n)
		for i := range progs {
			progs[i] = c.gen.Next()
		}
		results := runAll(c.Old, c.New, progs, c.diverges)
		for _, r := range results {
			if c.diverges(r) {
				c.programs++
				c.ops += len(r.Old.Steps)
				c.cov.Add(&r.Old, r.Program.Config().Clock)
				return c.diverged(r)
			}
			c.merge(r)
		}
		if now := time.Now(); now.Sub(lastProgress) >= c.Progress {
			c.progress(now)
			lastProgress = now
		}
	}
	var ph *Conc
	if c.ConcCount > 0 || c.ConcTime > 0 {
		fmt.Fprintf(c.Stderr, "difftest: %.1fs: concurrent programs\n", time.Since(c.start).Seconds())
		ph = RunConc(c.Old, c.New, c.Findings, c.Seed, c.ConcCount, time.Now().Add(c.ConcTime), c.Stderr, c.Progress)
		c.out.Conc = ph
	}
	c.summary(nil)
	c.done()
	if ph != nil {
		ph.Write(c.Stdout, c.Stderr, c.Seed, c.replayCmd())
		return !ph.OK() || c.Strict && ph.KnownSeen(), nil
	}
	return false, nil
}

// runAll runs the programs on both versions with two workers, each doing
// whole programs, old then new: since an Impl runs one World at a time,
// one worker's old run overlaps the other's new run. It stops early after
// a divergence; the results after the first divergent one may be nil.
func runAll(oldImpl, newImpl port.Impl, progs []ops.Program, diverges func(*check.Result) bool) []*check.Result {
	results := make([]*check.Result, len(progs))
	var next atomic.Int64
	var firstBad atomic.Int64
	firstBad.Store(int64(len(progs)))
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(len(progs)) || i > firstBad.Load() {
					return
				}
				r := check.Pair(oldImpl, newImpl, progs[i])
				results[i] = r
				if diverges(r) {
					for {
						b := firstBad.Load()
						if i >= b || firstBad.CompareAndSwap(b, i) {
							break
						}
					}
				}
			}
		})
	}
	wg.Wait()
	return results
}

// merge counts an equal program and adds it to the corpus if it showed a
// new feature.
func (c *campaign) merge(r *check.Result) {
	c.programs++
	c.count1(&c.known, r.Report.Known)
	c.count1(&c.shared, r.Report.Shared)
	if !r.Report.Equal() { // a lock-order divergence both versions show (SharedLockOrder)
		c.count1(&c.shared, []string{"both versions: " + r.Report.Divergence.New})
	}
	c.ops += len(r.Old.Steps)
	clock := r.Program.Config().Clock
	c.cov.Add(&r.Old, clock)
	fresh := false
	for _, f := range Features(&r.Old, clock) {
		if !c.seen[f] {
			c.seen[f], fresh = true, true
		}
	}
	if fresh {
		if data, err := ops.Encode(r.Program); err == nil {
			c.gen.Add(Entry{r.Program, data})
		}
	}
}

func (c *campaign) progress(now time.Time) {
	el := now.Sub(c.start).Seconds()
	fmt.Fprintf(c.Stderr, "difftest: %.1fs: %d programs (%.0f/s), %d ops (%.0f/s), 0 divergences, corpus %d\n",
		el, c.programs, float64(c.programs)/el, c.ops, float64(c.ops)/el, c.gen.Len())
}

func (c *campaign) done() {
	el := time.Since(c.start)
	fmt.Fprintf(c.Stderr, "difftest: done in %.1fs (%.0f programs/s, %.0f ops/s)\n",
		el.Seconds(), float64(c.programs)/el.Seconds(), float64(c.ops)/el.Seconds())
}

// summary prints what the campaign did; div describes the divergence, if
// any.
func (c *campaign) summary(div *string) {
	fmt.Fprintf(c.Stdout, "seed %d: %d programs, %d ops (each run on both versions)\n", c.Seed, c.programs, c.ops)
	if div == nil {
		fmt.Fprintf(c.Stdout, "divergences: 0\n")
	} else {
		fmt.Fprintf(c.Stdout, "divergences: 1: %s\n", *div)
	}
	fmt.Fprintf(c.Stdout, "corpus: %d programs (%d seeds, %d added)\n", c.gen.Len(), c.seeds, c.gen.Len()-c.seeds)
	writeCounts(c.Stdout, "known defects of the old version alone (programs showing each)", c.known)
	writeCounts(c.Stdout, "shared by both versions: properties of upstream, not of the CL (programs showing each)", c.shared)
	c.cov.Write(c.Stdout)
}

// digits folds the numbers of a message, so that one kind of finding is
// counted once however its values vary.
var digits = regexp.MustCompile(`[0-9]+`)

// count1 adds one program to the count of each distinct folded message.
func (c *campaign) count1(m *map[string]int, msgs []string) {
	if *m == nil {
		*m = map[string]int{}
	}
	seen := map[string]bool{}
	for _, msg := range msgs {
		if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "op ") {
			msg = msg[i+2:] // "op 3: ..." names where, not what
		}
		if parts := strings.SplitN(msg, ": ", 3); len(parts) == 3 && strings.Contains(parts[2], " held while acquiring ") {
			// A lock-order edge: one line per pair of classes, whatever
			// entry point reached it.
			verdict := "allowed"
			switch {
			case strings.Contains(msg, "staticlockranking would report it"):
				verdict = "rank violation; staticlockranking would report it"
			case strings.Contains(msg, "RANK VIOLATION"):
				verdict = "rank violation of mklockrank's order; not one staticlockranking checks"
			}
			msg = parts[0] + ": " + parts[1] + " (" + verdict + ")"
		}
		k := digits.ReplaceAllString(msg, "N")
		if !seen[k] {
			seen[k] = true
			(*m)[k]++
		}
	}
}

func writeCounts(w io.Writer, title string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	fmt.Fprintf(w, "%s:\n", title)
	for _, k := range keys {
		fmt.Fprintf(w, "  %6d  %s\n", m[k], k)
	}
}

// repro is the command line that runs this campaign's sequential phase
// up to program n: the build's overlay, the pair, the seed, the count with
// no concurrent share (which would come out of it), and the corpus.
func (c *campaign) repro(n int) string {
	s := fmt.Sprintf("go run%s ./cmd/difftest run%s -seed %d -count %d -conc 0", port.GoFlag(), c.PairFlags, c.Seed, n)
	if c.Dir != corpus.Root {
		s += fmt.Sprintf(" -corpus %q", c.Dir)
	}
	return s
}

// replayCmd is the command line that replays a script under the pair
// under test, up to the file name.
func (c *campaign) replayCmd() string {
	return fmt.Sprintf("go run%s ./cmd/difftest replay%s", port.GoFlag(), c.PairFlags)
}

// diverged minimizes and reports the first divergent program.
func (c *campaign) diverged(r *check.Result) (bool, error) {
	d := r.Report.Divergence
	fmt.Fprintf(c.Stderr, "difftest: program %d diverges (%s at op %d); minimizing\n", c.programs-1, d.Kind, d.Op)
	small, st, err := minimize.Minimize(r.Program, minimize.Diverges(c.Old, c.New, d))
	if err != nil {
		// The divergence did not reproduce: the tester is not deterministic.
		return false, fmt.Errorf("program %d: minimize: %w", c.programs-1, err)
	}
	m := check.Pair(c.Old, c.New, small)
	c.out.Divergence, c.out.Repro = m, c.repro(c.programs)
	what := fmt.Sprintf("program %d, %s divergence at op %d; minimized %v", c.programs-1, d.Kind, d.Op, st)
	c.summary(&what)
	fmt.Fprintln(c.Stdout)
	fmt.Fprint(c.Stdout, Failure(m, c.repro(c.programs)))
	c.done()
	return true, nil
}

// Failure is r's failure report with long parts clipped.
func Failure(r *check.Result, repro string) string {
	c := *r
	d := *r.Report.Divergence
	d.Old, d.New = ClipLine(d.Old), ClipLine(d.New)
	d.Diff = ClipLines(d.Diff, 60)
	c.Report.Divergence = &d
	return c.Failure(repro)
}

// maxLine is the longest line ClipLine keeps whole.
const maxLine = 400

// ClipLine cuts s after maxLine bytes and says how much it cut.
func ClipLine(s string) string {
	if len(s) <= maxLine {
		return s
	}
	return fmt.Sprintf("%s... (%d more bytes)", s[:maxLine], len(s)-maxLine)
}

// ClipLines keeps the first n lines of s.
func ClipLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) <= n+1 {
		return s
	}
	for i := range n {
		lines[i] = ClipLine(strings.TrimSuffix(lines[i], "\n")) + "\n"
	}
	return strings.Join(lines[:n], "") + fmt.Sprintf("... (%d more lines)\n", len(lines)-n)
}
