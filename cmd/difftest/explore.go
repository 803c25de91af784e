package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/timerdiff/timerdiff/internal/explore"
	"github.com/timerdiff/timerdiff/internal/ops"
)

const exploreAbout = `Explore runs every schedule of a concurrent program (a script with thread
blocks, or a FuzzConcurrent corpus file) on the old and the new version, up
to -bound preemptions per schedule (switches away from an M that could go
on; switches forced by blocking, spinning or finishing are free), and
compares the sets of outcomes the versions reach. A schedule line in the
program is ignored. A progress line goes to stderr; the summary to stdout:
per version the schedules explored and the distinct outcomes; every outcome
only the new version reaches (a divergence), with the schedule line that
replays it and a diff against the closest old outcome; the outcomes only
the old version reaches (lost behaviours, listed but not failures); and the
oracles' findings: the new version's hangs and lock-order violations and
the throws and heap violations only it shows (problems), those both show
(shared), and the old version's alone (known).
Exit status: 0 if the new version reaches no outcome the old one does not
and shows no problem (also when -max cut a search: the verdict says
unknown); 1 otherwise; 2 for a bad command line or program.
`

func cmdExplore(args []string) error {
	fs := newFlags("explore", "explore [-bound 2] [-max N] FILE...", exploreAbout)
	bound := fs.Int("bound", 2, "the most preemptions per schedule")
	maxRuns := fs.Int("max", 0, "the most schedules per version and program; 0: no limit")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usagef("explore: no files")
	case *bound < 0:
		return usagef("explore: -bound %d: want >= 0", *bound)
	case *maxRuns < 0:
		return usagef("explore: -max %d: want >= 0", *maxRuns)
	}
	progs := make([]ops.ConcProgram, len(pos))
	for i, path := range pos {
		p, _, err := ops.ReadConcFile(path)
		if err != nil {
			return &inputError{err}
		}
		progs[i] = p
	}
	found := 0
	for i, p := range progs {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		pr := newProgress()
		r, err := explore.Pair(oldImpl, newImpl, p, explore.Options{Bound: *bound, Max: *maxRuns, Progress: pr.update})
		pr.stop()
		if err != nil {
			return &inputError{fmt.Errorf("%s: %w", pos[i], err)}
		}
		fmt.Fprintf(stdout, "%s: %d threads, bound %d\n%s", pos[i], len(p.Threads), *bound, r)
		if !r.Equal() {
			found++
			fmt.Fprintf(stdout, "To re-run: difftest explore -bound %d %s\n", *bound, pos[i])
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
	start    time.Time
	counts   [2][2]atomic.Int64 // [old, new][schedules, outcomes]
	done     chan struct{}
	finished sync.WaitGroup
}

func newProgress() *progress {
	p := &progress{start: time.Now(), done: make(chan struct{})}
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
	if impl != oldImpl.Name() {
		i = 1
	}
	p.counts[i][0].Store(int64(schedules))
	p.counts[i][1].Store(int64(outcomes))
}

func (p *progress) print() {
	o, n := &p.counts[0], &p.counts[1]
	total := o[0].Load() + n[0].Load()
	rate := float64(total) / max(time.Since(p.start).Seconds(), 1e-9)
	fmt.Fprintf(stderr, "explore: %.0f schedules/s; old %d schedules, %d outcomes; new %d schedules, %d outcomes\n",
		rate, o[0].Load(), o[1].Load(), n[0].Load(), n[1].Load())
}

func (p *progress) stop() {
	close(p.done)
	p.finished.Wait()
	p.print()
}
