package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/explore"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
)

const exploreAbout = `Explore runs every schedule of a concurrent program (a script with thread
blocks, or a FuzzConcurrent corpus file) on the old and the new version, up
to -bound preemptions per schedule (switches away from an M that could go
on; switches forced by blocking, spinning or finishing are free), and
compares the sets of outcomes the versions reach. -reduce makes the bounded
search skip an M whose next step another schedule ran first at an earlier
choice point, independent of every step since, where running it there costs
no more preemptions (sleep sets that keep the bound: package explore, rule
3). -bound -1 (or -complete) is the unbounded mode: any number of switches,
at most -moves goroutine preemptions and missed rescues, with the
partial-order reduction (package explore: DPOR with sleep sets, and runs
cut where an M would go on after a spin, a retried compare-and-swap or a
blocked lock, which change nothing), until the search ends ("complete:
every schedule (up to reduction)") or -max cuts it. -no-reduction turns the
reductions off. The reductions rest on the new version touching timer
fields and heaps only under their locks (package explore, rule 7): a
version that writes a timer's field after unlocking it reaches outcomes and
problems in schedules they skip, so the bounded search without -reduce is
the reference for a version that may break its locking. Each reduced search
is followed by the unreduced one at a lower bound (1 after -complete, one
less than -bound after -reduce; package explore, rule 10): an outcome or
problem that it reaches and the reduction missed is added, and the summary
says the reduction was escaped and the search is not complete. Per program
it prints each version's schedules explored, the alternatives pruned or
asleep, the runs cut, whether the search was complete, and, on stderr, the
time. A schedule line in the program is ignored. A progress line goes to
stderr; the summary to stdout: per version the schedules explored and the
distinct outcomes; every outcome only the new version reaches (a
divergence), with the schedule line that replays it and a diff against the
closest old outcome; the outcomes only the old version reaches (lost
behaviours, listed but not failures); and the oracles' findings: the new
version's hangs and lock-order violations and the throws and heap
violations only it shows (problems), those both show (shared), and the old
version's alone (known), each grouped by cause (its signature: kind, the
time.go call that broke the invariant with the port's file and line, and
the move before it, if one put a timer on a P its goroutine no longer held)
with the schedules showing it and the shortest of their witnesses, then
each problem's own text.
Exit status: 0 if the new version reaches no outcome the old one does not
and shows no problem (also when -max cut a search: the verdict says
unknown); 1 otherwise; 2 for a bad command line or program.

-break-contract is a separate mode for scripts that break the API contract
(two threads stop, reset or modify the same timer; stop or reset timer
functions: see corpus/contract/), which the default mode refuses. What it
finds is not a finding about the commit: every line it prints, on stdout
and stderr, starts with "CONTRACT BROKEN: ".
`

// contractPrefix starts every line of the -break-contract mode.
const contractPrefix = "CONTRACT BROKEN: "

func (cl *cli) cmdExplore(args []string) error {
	fs := cl.newFlags("explore", "explore [-bound 2 [-reduce] | -complete [-moves N]] [-max N] [-no-reduction] [-break-contract] FILE|DIR...", exploreAbout)
	bound := fs.Int("bound", 2, "the most preemptions per schedule; -1: no bound (every schedule, up to partial-order reduction)")
	complete := fs.Bool("complete", false, "no preemption bound: the same as -bound -1")
	moves := fs.Int("moves", 0, "with no bound: the most goroutine preemptions and missed rescues per schedule")
	noReduction := fs.Bool("no-reduction", false, "turn off the reductions: every schedule within the bound, or every interleaving")
	reduce := fs.Bool("reduce", false, "with a bound: skip schedules equivalent to one already run at no more preemptions (sleep sets)")
	maxRuns := fs.Int("max", 0, "the most schedules per version and program; 0: no limit")
	breakContract := fs.Bool("break-contract", false, "allow scripts that break the API contract; every output line says CONTRACT BROKEN")
	pos, err := cl.parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usagef("explore: no files")
	case *bound < -1:
		return usagef("explore: -bound %d: want >= 0, or -1 for no bound", *bound)
	case *maxRuns < 0:
		return usagef("explore: -max %d: want >= 0", *maxRuns)
	}
	if *complete {
		*bound = -1
	}
	read := func(path string) (ops.ConcProgram, error) {
		p, _, err := ops.ReadConcFile(path)
		return p, err
	}
	out, errOut, flag := cl.stdout, cl.stderr, ""
	if *breakContract {
		read = readConcShape
		out, errOut = &prefixWriter{w: cl.stdout, prefix: contractPrefix}, &prefixWriter{w: cl.stderr, prefix: contractPrefix}
		flag = " -break-contract"
		fmt.Fprintf(out, "out-of-contract mode: these programs may break the API contract; nothing below is a finding about the commit\n")
	}
	pos, err = opsFiles(pos)
	if err != nil {
		return &inputError{err}
	}
	progs := make([]ops.ConcProgram, len(pos))
	for i, path := range pos {
		p, err := read(path)
		if err != nil {
			return &inputError{err}
		}
		progs[i] = p
	}
	found := 0
	for i, p := range progs {
		if i > 0 {
			fmt.Fprintln(out)
		}
		pr := newProgress(errOut, pos[i], cl.oldImpl.Name())
		start := time.Now()
		r, err := explore.Pair(cl.oldImpl, cl.newImpl, p, explore.Options{Bound: *bound, Moves: *moves, Max: *maxRuns, NoReduction: *noReduction, BoundedSleep: *reduce, Progress: pr.update, BreakContract: *breakContract})
		elapsed := time.Since(start)
		pr.stop()
		if err != nil {
			return &inputError{fmt.Errorf("%s: %w", pos[i], err)}
		}
		if *breakContract {
			if err := p.Validate(); err != nil {
				fmt.Fprintf(out, "%s breaks the API contract: %v\n", pos[i], err)
			} else {
				fmt.Fprintf(out, "%s respects the API contract (the default mode runs it too)\n", pos[i])
			}
		}
		fmt.Fprintf(out, "%s: %d threads, bound %d\n%s", pos[i], len(p.Threads), *bound, r)
		// The time goes with the progress lines, to stderr: stdout is the
		// same from run to run.
		fmt.Fprintf(errOut, "%s: time: %v (both versions, in parallel)\n", pos[i], elapsed.Round(time.Millisecond))
		if !r.Equal() {
			found++
			fmt.Fprintf(out, "To re-run: go run%s ./cmd/difftest explore%s%s -bound %d %s\n", port.GoFlag(), flag, pairFlags(fs), *bound, pos[i])
		}
	}
	if found > 0 {
		return errFound
	}
	return nil
}

// progress prints a line to stderr every second while a Pair runs, and a
// last one when it ends: schedules per second, and per version the
// schedules explored and the distinct outcomes.
type progress struct {
	w        io.Writer
	file     string // the program's file, which every line names
	oldName  string // the old version's Impl.Name, to tell its counts apart
	start    time.Time
	counts   [2][2]atomic.Int64 // [old, new][schedules, outcomes]
	done     chan struct{}
	finished sync.WaitGroup
}

func newProgress(w io.Writer, file, oldName string) *progress {
	p := &progress{w: w, file: file, oldName: oldName, start: time.Now(), done: make(chan struct{})}
	p.finished.Add(1)
	go func() {
		defer p.finished.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-tick.C:
				p.print()
			}
		}
	}()
	return p
}

func (p *progress) update(impl string, schedules, outcomes int) {
	i := 0
	if impl != p.oldName {
		i = 1
	}
	p.counts[i][0].Store(int64(schedules))
	p.counts[i][1].Store(int64(outcomes))
}

func (p *progress) print() {
	o, n := &p.counts[0], &p.counts[1]
	total := o[0].Load() + n[0].Load()
	rate := float64(total) / max(time.Since(p.start).Seconds(), 1e-9)
	fmt.Fprintf(p.w, "explore: %s: %.0f schedules/s; old %d schedules, %d outcomes; new %d schedules, %d outcomes\n",
		p.file, rate, o[0].Load(), o[1].Load(), n[0].Load(), n[1].Load())
}

func (p *progress) stop() {
	close(p.done)
	p.finished.Wait()
	p.print()
}

// readConcShape reads a concurrent script that may break the API contract
// (ops.ParseConcShape); the fuzz files of FuzzConcurrent always respect
// it, and are read as ops.ReadConcFile does.
func readConcShape(path string) (ops.ConcProgram, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return ops.ConcProgram{}, err
	}
	if !ops.IsConcScript(src) {
		p, _, err := ops.ReadConcFile(path)
		return p, err
	}
	return ops.ParseConcShape(path, src)
}

// prefixWriter starts every line written through it with prefix.
type prefixWriter struct {
	w      io.Writer
	prefix string
	mid    bool // in the middle of a line
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	n := len(b)
	var out bytes.Buffer
	for len(b) > 0 {
		if !p.mid {
			out.WriteString(p.prefix)
		}
		line, rest, nl := bytes.Cut(b, []byte("\n"))
		out.Write(line)
		if nl {
			out.WriteByte('\n')
		}
		p.mid, b = !nl, rest
	}
	if _, err := p.w.Write(out.Bytes()); err != nil {
		return 0, err
	}
	return n, nil
}

// opsFiles returns paths with each directory replaced by the *.ops files
// directly in it, sorted by name.
func opsFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		names, err := corpus.ConcPaths(p)
		if err != nil {
			return nil, err
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("%s: no .ops files", p)
		}
		out = append(out, names...)
	}
	return out, nil
}

// pairFlags returns the -old and -new flags given on the command line,
// for re-run lines (" -new c6888d92"), or "".
func pairFlags(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "old" || f.Name == "new" {
			fmt.Fprintf(&b, " -%s %s", f.Name, f.Value)
		}
	})
	return b.String()
}

// replayLine is the command line that replays file under the build's
// overlay and pair, the -old and -new flags as given (pairFlags).
func replayLine(pair, file string) string {
	return fmt.Sprintf("go run%s ./cmd/difftest replay%s %s", port.GoFlag(), pair, file)
}
