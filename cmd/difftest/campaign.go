package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/timerdiff/timerdiff/fuzz"
	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/known"
	"github.com/timerdiff/timerdiff/internal/minimize"
	"github.com/timerdiff/timerdiff/internal/ops"
)

const runAbout = `Run generates programs from a PRNG seeded with -seed (random fuzz bytes,
and mutations of the corpus's programs), runs each on the old and the new
version and compares them, until -time has passed or -count programs have
run. Programs that show a new behaviour join the in-memory corpus. It
stops at the first divergence, minimizes it and prints it with the line
that reproduces it (exit 1). The same -seed, -count and corpus give the
same programs and the same summary.

Then, for the -conc share of the budget, it runs concurrent programs with
fuzzed schedules (threads on their own Ms, goroutines that may move to an
idle P), judged like FuzzConcurrent: it counts the programs showing each
kind of new-version problem and prints the first of each, minimized.
A problem that a script under -findings shows too (the committed,
explained findings) is reported as known, naming the script, and does
not fail the run unless -strict: so the exit status is 1 for a
divergence or a new kind of problem, 0 otherwise, which makes run a CI
check that hides nothing.
`

// batchSize is how many programs are generated at once, from the corpus
// as it was after the previous batch: results are merged in program order,
// so the campaign does not depend on how the workers were scheduled.
const batchSize = 128

// progressEvery is how often run prints a progress line to stderr.
var progressEvery = 2 * time.Second

func cmdRun(args []string) error {
	fs := newFlags("run", "run [-time 60s | -count N] [-seed S] [-corpus DIR] [-conc 0.25] [-findings DIR] [-strict] [-old C] [-new C]", runAbout)
	budget := fs.Duration("time", 60*time.Second, "run for this long")
	count := fs.Int("count", 0, "run exactly `N` programs (instead of -time)")
	seed := fs.Uint64("seed", 0, "PRNG seed; 0 picks one from the clock")
	dir := fs.String("corpus", "corpus", "mutate the programs in `DIR` (none if \"\"; the default is skipped if missing)")
	conc := fs.Float64("conc", 0.25, "the `share` of the time or count spent on concurrent programs (0 for none)")
	findings := fs.String("findings", "corpus/findings", "the known findings: problems the scripts in `DIR` show are reported but do not fail the run (none if \"\"; the default is skipped if missing, or with -old or -new)")
	strict := fs.Bool("strict", false, "fail on known findings too")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case len(pos) > 0:
		return usagef("run: unexpected argument %q", pos[0])
	case set["time"] && set["count"]:
		return usagef("run: -time and -count are exclusive")
	case set["count"] && *count <= 0:
		return usagef("run: -count %d is not positive", *count)
	case *budget <= 0:
		return usagef("run: -time %v is not positive", *budget)
	case *conc < 0 || *conc >= 1:
		return usagef("run: -conc %v is outside [0, 1)", *conc)
	}
	c := &campaign{seed: *seed, count: *count, budget: *budget, dir: *dir, cov: &coverage{}, seen: map[feature]bool{}, strict: *strict}
	// corpus/findings holds the findings of the pair under test; another
	// pair is judged without a baseline unless -findings names one.
	if (set["old"] || set["new"]) && !set["findings"] {
		*findings = ""
	}
	if *findings != "" {
		if _, err := os.Stat(*findings); err != nil && (set["findings"] || !os.IsNotExist(err)) {
			return &inputError{err}
		}
		k, err := known.Load(*findings, oldImpl, newImpl)
		if err != nil {
			return &inputError{err}
		}
		c.findings = k
	}
	// The concurrent share comes out of the sequential budget.
	if c.count > 0 {
		c.concCount = int(float64(c.count) * *conc)
		c.count -= c.concCount
		if c.count == 0 {
			c.count, c.concCount = c.concCount, c.concCount-1
		}
	} else {
		c.concTime = time.Duration(float64(c.budget) * *conc)
		c.budget -= c.concTime
	}
	if c.seed == 0 {
		c.seed = uint64(time.Now().UnixNano())
	}
	if err := c.loadCorpus(set["corpus"]); err != nil {
		return err
	}
	return c.run()
}

// campaign is the state of one run.
type campaign struct {
	seed   uint64
	count  int // 0: until the time budget is spent
	budget time.Duration
	dir    string

	gen      *generator
	seeds    int // corpus entries read from dir
	seen     map[feature]bool
	cov      *coverage
	programs int
	ops      int
	start    time.Time

	// Programs showing each known defect of the old version and each
	// invariant violation both versions share, numbers folded to N.
	known, shared map[string]int

	// The concurrent phase's size: a count, or a time.
	concCount int
	concTime  time.Duration

	findings *known.Set // committed findings: reported, failing only with strict
	strict   bool
}

// loadCorpus reads the seeds; a missing default directory is no corpus.
func (c *campaign) loadCorpus(explicit bool) error {
	var corpus []entry
	if c.dir != "" {
		_, err := os.Stat(c.dir)
		switch {
		case errors.Is(err, fs.ErrNotExist) && !explicit:
			c.dir = ""
		case err != nil:
			return &inputError{err}
		default:
			files, err := fuzz.ReadCorpus(c.dir)
			if err != nil {
				return &inputError{err}
			}
			for _, f := range files {
				if f.Err != nil {
					return &inputError{f.Err}
				}
				data, err := ops.Encode(f.Program)
				if err != nil {
					return &inputError{fmt.Errorf("%s: %w", f.Path, err)}
				}
				corpus = append(corpus, entry{f.Program, data})
			}
		}
	}
	c.seeds = len(corpus)
	c.gen = newGenerator(c.seed, corpus)
	return nil
}

func (c *campaign) run() error {
	c.start = time.Now()
	lastProgress := c.start
	for c.count == 0 || c.programs < c.count {
		if c.count == 0 && time.Since(c.start) >= c.budget {
			break
		}
		n := batchSize
		if c.count > 0 {
			n = min(n, c.count-c.programs)
		}
		progs := make([]ops.Program, n)
		for i := range progs {
			progs[i] = c.gen.next()
		}
		results := runAll(progs)
		for _, r := range results {
			if !r.Report.Equal() {
				c.programs++
				c.ops += len(r.Old.Steps)
				c.cov.add(&r.Old, r.Program.Config().Clock)
				return c.diverged(r)
			}
			c.merge(r)
		}
		if now := time.Now(); now.Sub(lastProgress) >= progressEvery {
			c.progress(now)
			lastProgress = now
		}
	}
	var ph *concPhase
	if c.concCount > 0 || c.concTime > 0 {
		fmt.Fprintf(stderr, "difftest: %.1fs: concurrent programs\n", time.Since(c.start).Seconds())
		ph = c.runConc(c.concCount, time.Now().Add(c.concTime))
	}
	c.summary(nil)
	c.done()
	if ph != nil {
		ph.write(c.seed)
		if !ph.ok() || c.strict && ph.knownSeen() {
			return errFound
		}
	}
	return nil
}

// runAll runs the programs on both versions with two workers, each doing
// whole programs, old then new: since an Impl runs one World at a time,
// one worker's old run overlaps the other's new run. It stops early after
// a divergence; the results after the first divergent one may be nil.
func runAll(progs []ops.Program) []*check.Result {
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
				if !r.Report.Equal() {
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
	c.ops += len(r.Old.Steps)
	clock := r.Program.Config().Clock
	c.cov.add(&r.Old, clock)
	fresh := false
	for _, f := range features(&r.Old, clock) {
		if !c.seen[f] {
			c.seen[f], fresh = true, true
		}
	}
	if fresh {
		if data, err := ops.Encode(r.Program); err == nil {
			c.gen.corpus = append(c.gen.corpus, entry{r.Program, data})
		}
	}
}

func (c *campaign) progress(now time.Time) {
	el := now.Sub(c.start).Seconds()
	fmt.Fprintf(stderr, "difftest: %.1fs: %d programs (%.0f/s), %d ops (%.0f/s), 0 divergences, corpus %d\n",
		el, c.programs, float64(c.programs)/el, c.ops, float64(c.ops)/el, len(c.gen.corpus))
}

func (c *campaign) done() {
	el := time.Since(c.start)
	fmt.Fprintf(stderr, "difftest: done in %.1fs (%.0f programs/s, %.0f ops/s)\n",
		el.Seconds(), float64(c.programs)/el.Seconds(), float64(c.ops)/el.Seconds())
}

// summary prints what the campaign did; div describes the divergence, if
// any.
func (c *campaign) summary(div *string) {
	fmt.Fprintf(stdout, "seed %d: %d programs, %d ops (each run on both versions)\n", c.seed, c.programs, c.ops)
	if div == nil {
		fmt.Fprintf(stdout, "divergences: 0\n")
	} else {
		fmt.Fprintf(stdout, "divergences: 1: %s\n", *div)
	}
	fmt.Fprintf(stdout, "corpus: %d programs (%d seeds, %d added)\n", len(c.gen.corpus), c.seeds, len(c.gen.corpus)-c.seeds)
	writeCounts("known defects of the old version alone (programs showing each)", c.known)
	writeCounts("shared by both versions: properties of upstream, not of the CL (programs showing each)", c.shared)
	c.cov.write(stdout)
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

func writeCounts(title string, m map[string]int) {
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
	fmt.Fprintf(stdout, "%s:\n", title)
	for _, k := range keys {
		fmt.Fprintf(stdout, "  %6d  %s\n", m[k], k)
	}
}

// repro is the command line that runs this campaign up to program n.
func (c *campaign) repro(n int) string {
	s := fmt.Sprintf("go run ./cmd/difftest run -seed %d -count %d", c.seed, n)
	if c.dir != "corpus" {
		s += fmt.Sprintf(" -corpus %q", c.dir)
	}
	return s
}

// diverged minimizes and reports the first divergent program.
func (c *campaign) diverged(r *check.Result) error {
	d := r.Report.Divergence
	fmt.Fprintf(stderr, "difftest: program %d diverges (%s at op %d); minimizing\n", c.programs-1, d.Kind, d.Op)
	small, st, err := minimize.Minimize(r.Program, minimize.Diverges(oldImpl, newImpl, d))
	if err != nil {
		// The divergence did not reproduce: the tester is not deterministic.
		return fmt.Errorf("program %d: minimize: %w", c.programs-1, err)
	}
	m := check.Pair(oldImpl, newImpl, small)
	what := fmt.Sprintf("program %d, %s divergence at op %d; minimized %v", c.programs-1, d.Kind, d.Op, st)
	c.summary(&what)
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, failure(m, c.repro(c.programs)))
	c.done()
	return errFound
}

// failure is r's failure report with long parts clipped.
func failure(r *check.Result, repro string) string {
	c := *r
	d := *r.Report.Divergence
	d.Old, d.New = clipLine(d.Old), clipLine(d.New)
	d.Diff = clipLines(d.Diff, 60)
	c.Report.Divergence = &d
	return c.Failure(repro)
}

const maxLine = 400

func clipLine(s string) string {
	if len(s) <= maxLine {
		return s
	}
	return fmt.Sprintf("%s... (%d more bytes)", s[:maxLine], len(s)-maxLine)
}

// clipLines keeps the first n lines of s.
func clipLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) <= n+1 {
		return s
	}
	for i := range n {
		lines[i] = clipLine(strings.TrimSuffix(lines[i], "\n")) + "\n"
	}
	return strings.Join(lines[:n], "") + fmt.Sprintf("... (%d more lines)\n", len(lines)-n)
}
