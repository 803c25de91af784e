package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/timerdiff/timerdiff/internal/campaign"
	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/known"
	"github.com/timerdiff/timerdiff/internal/ops"
)

// progressEvery is how often run prints a progress line to stderr.
var progressEvery = 2 * time.Second

func (cl *cli) cmdRun(args []string) error {
	fs := cl.newFlags("run", "run [-time 60s | -count N] [-seed S] [-corpus DIR] [-conc SHARE] [-findings DIR] [-strict]", campaign.About)
	budget := fs.Duration("time", 60*time.Second, "run for this long")
	count := fs.Int("count", 0, "run exactly `N` programs (instead of -time)")
	seed := fs.Uint64("seed", 0, "PRNG seed; 0 picks one from the clock")
	dir := fs.String("corpus", corpus.Root, "mutate the programs in `DIR` (none if \"\"; the default is skipped if missing)")
	conc := fs.Float64("conc", 0.25, "the `share` of the time or count spent on concurrent programs (0 for none)")
	findings := findingsFlag(fs, "are reported but do not fail the run")
	strict := fs.Bool("strict", false, "fail on known findings too")
	pos, err := cl.parse(fs, args)
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
	o := campaign.Options{
		Seed: *seed, Count: *count, Budget: *budget, Dir: *dir,
		Old: cl.oldImpl, New: cl.newImpl, PairFlags: pairFlags(fs), Strict: *strict,
		Stdout: cl.stdout, Stderr: cl.stderr, Progress: progressEvery,
	}
	if o.Findings, err = cl.loadFindings(*findings, set); err != nil {
		return err
	}
	// The concurrent share comes out of the sequential budget.
	if o.Count > 0 {
		o.ConcCount = int(float64(o.Count) * *conc)
		o.Count -= o.ConcCount
		if o.Count == 0 {
			o.Count, o.ConcCount = o.ConcCount, o.ConcCount-1
		}
	} else {
		o.ConcTime = time.Duration(float64(o.Budget) * *conc)
		o.Budget -= o.ConcTime
	}
	if o.Seed == 0 {
		o.Seed = uint64(time.Now().UnixNano())
	}
	if o.Corpus, o.Dir, err = loadSeeds(o.Dir, set["corpus"]); err != nil {
		return err
	}
	found, err := campaign.Run(o)
	if err != nil {
		return err
	}
	if found {
		return errFound
	}
	return nil
}

// loadSeeds reads the campaign's seeds from dir; a missing default
// directory is no corpus, and dir comes back "".
func loadSeeds(dir string, explicit bool) ([]campaign.Entry, string, error) {
	if dir == "" {
		return nil, "", nil
	}
	_, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return nil, "", nil
	case err != nil:
		return nil, dir, &inputError{err}
	}
	files, err := corpus.Read(dir)
	if err != nil {
		return nil, dir, &inputError{err}
	}
	var seeds []campaign.Entry
	for _, f := range files {
		if f.Err != nil {
			return nil, dir, &inputError{f.Err}
		}
		data, err := ops.Encode(f.Program)
		if err != nil {
			return nil, dir, &inputError{fmt.Errorf("%s: %w", f.Path, err)}
		}
		seeds = append(seeds, campaign.Entry{Program: f.Program, Data: data})
	}
	return seeds, dir, nil
}

// findingsFlag is run's and replay's -findings: the committed findings,
// whose problems do what the usage says.
func findingsFlag(fs *flag.FlagSet, does string) *string {
	return fs.String("findings", filepath.Join(corpus.Root, corpus.Findings), "the known findings: problems the scripts in `DIR` show "+does+" (none if \"\"; the default is skipped if missing, or with -old or -new)")
}

// loadFindings loads the known findings from dir, the -findings flag
// (set: the flags given). corpus/findings holds the findings of the pair
// under test; another pair has no baseline unless -findings names one.
// A nil Set knows nothing.
func (cl *cli) loadFindings(dir string, set map[string]bool) (*known.Set, error) {
	if (set["old"] || set["new"]) && !set["findings"] || dir == "" {
		return nil, nil
	}
	if _, err := os.Stat(dir); err != nil {
		if set["findings"] || !os.IsNotExist(err) {
			return nil, &inputError{err}
		}
		return nil, nil
	}
	s, err := known.Load(dir, cl.oldImpl, cl.newImpl)
	if err != nil {
		return nil, &inputError{err}
	}
	return s, nil
}
