package main

import (
	"encoding/json"
	"time"

	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/seriesdiff"
)

const seriesAbout = `Series runs the checks over the timer-lock series (internal/seriesdiff):
for every adjacent pair of its seven commits (51df232b -> b5a99eaa -> 2fb5ef88
-> 58911599 -> d1e8dc25 -> 1df6db8e -> c6888d92) and for the span b5a99eaa ->
c6888d92, the sequential corpus (divergences), the concurrent corpus and
findings explored at -bound (the new version's problems by kind, outcomes
only the new version reaches, lost behaviours), the lock-order facts one
version shows and the other does not, and with -time D > 0 a campaign per
pair (D split evenly; progress on stderr). It prints one table, then each
non-empty cell's first case with the command that replays it; -json
writes the same as JSON. Run it from the module root. It ignores -old
and -new.
Exit status: 0 only if every pair is clean (every cell empty); 1
otherwise; 2 bad command line or unreadable corpus.
`

func (cl *cli) cmdSeries(args []string) error {
	fs := cl.newFlags("series", "series [-bound 1] [-time D] [-seed S] [-json] [-corpus DIR]", seriesAbout)
	bound := fs.Int("bound", 1, "explore's preemption bound")
	budget := fs.Duration("time", 0, "the campaigns' total time, split evenly over the pairs (0: no campaign)")
	seed := fs.Uint64("seed", 1, "the campaigns' PRNG seed")
	asJSON := fs.Bool("json", false, "write the table as JSON")
	dir := fs.String("corpus", corpus.Root, "the corpus `DIR`")
	pos, err := cl.parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usagef("series takes no arguments, got %q", pos[0])
	case *bound < 0:
		return usagef("series: -bound %d: want >= 0", *bound)
	case *budget < 0:
		return usagef("series: -time %v is negative", *budget)
	case *seed == 0:
		*seed = uint64(time.Now().UnixNano())
	}
	rep, err := seriesdiff.Run(seriesdiff.Options{Root: *dir, Bound: *bound, Time: *budget, Seed: *seed, Stderr: cl.stderr})
	if err != nil {
		return &inputError{err}
	}
	if *asJSON {
		enc := json.NewEncoder(cl.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		rep.Write(cl.stdout)
	}
	if !rep.Clean() {
		return errFound
	}
	return nil
}
