package bench

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/timerdiff/timerdiff/internal/explore"
	"github.com/timerdiff/timerdiff/internal/mutants"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/shootout"
	"github.com/timerdiff/timerdiff/internal/versions"
	"github.com/timerdiff/timerdiff/newimpl"
)

// Source returns 2fb5ef88's time.go (newimpl/time.go under root) with the
// case's edits made, in order.
func (c Case) Source(root string) ([]byte, error) {
	src, err := mutants.Subject(root)
	if err != nil {
		return nil, err
	}
	for _, m := range c.Edits {
		if src, err = m.Parse(src); err != nil {
			return nil, fmt.Errorf("case %s: %w", c.Name, err)
		}
	}
	return src, nil
}

// Parse returns the case's program.
func (c Case) Parse() (ops.ConcProgram, error) {
	p, err := ops.ParseConc(c.Name, []byte(c.Program))
	if err != nil {
		return p, fmt.Errorf("case %s: %w", c.Name, err)
	}
	return p, nil
}

// Shows reports whether the trace shows the case's symptom.
func (c Case) Shows(tr *run.ConcTrace) bool {
	for _, p := range oracle.Of(tr) {
		if p.Kind == c.Symptom && strings.Contains(p.Text, c.Match) {
			return true
		}
	}
	return false
}

// WorkerPkg is the command that runs the bench with the cases' buggy
// versions registered (Build).
const WorkerPkg = "./internal/bench/cmd/benchworker"

// zzDir is the overlay-only directory of the buggy versions' packages.
const zzDir = "internal/bench/zz"

// Build builds the worker into dir with every case that has edits
// registered under its name, each its own copy of package newimpl with
// the edited time.go (go build -overlay: newimpl/time.go is never
// touched). It returns the binary's path.
func Build(root, dir string) (string, error) {
	var names []string
	var srcs [][]byte
	for _, c := range Cases {
		if c.Real() {
			continue
		}
		src, err := c.Source(root)
		if err != nil {
			return "", err
		}
		names = append(names, c.Name)
		srcs = append(srcs, src)
	}
	bin := filepath.Join(dir, "benchworker")
	if err := mutants.BuildVersions(root, dir, WorkerPkg, zzDir, bin, names, srcs); err != nil {
		return "", err
	}
	return bin, nil
}

// Options say what Run runs.
type Options struct {
	Trials int // per case, version and sampled strategy
	Budget int // schedules per trial (and the cap of an exploration)
	Bound  int // the exhaustive strategy's preemption bound (iterative deepening from 0)
	// Cases and Strategies, if not empty, keep only those names.
	Cases, Strategies []string
	// Log, if not nil, gets a line per finished (case, version, strategy).
	Log io.Writer
}

// Row is one case on one version under one strategy.
type Row struct {
	Case    string
	Version string // "bug" or "fixed <commit>"
	Fixed   bool
	shootout.Result
}

// Impls gives the buggy version of a case with edits, by case name.
type Impls func(name string) (port.Impl, bool)

// Strategies returns the strategies the bench runs for one case on one
// version: shootout's sampled ones, then explore-bB, bounded exhaustive
// search by iterative deepening (bounds 0..b, every schedule of each, up
// to the budget in all), stopping at the first schedule that shows the
// symptom.
func Strategies(c Case, impl port.Impl, p ops.ConcProgram, bound int) []shootout.Strategy {
	s := shootout.Standard()
	return append(s, shootout.Strategy{
		Name: fmt.Sprintf("explore-b%d", bound),
		Exhaustive: func(_ shootout.Case, budget int) shootout.Trial {
			return exhaustive(c, impl, p, bound, budget)
		},
	})
}

// stop ends an exploration at the first detection.
type stop struct{}

func exhaustive(c Case, impl port.Impl, p ops.ConcProgram, bound, budget int) (tr shootout.Trial) {
	start := time.Now()
	for b := 0; b <= bound && tr.Schedules < budget; b++ {
		found, done := false, false
		func() {
			defer func() {
				if r := recover(); r != nil {
					if _, ok := r.(stop); !ok {
						panic(r)
					}
				}
			}()
			res, err := explore.Explore(impl, p.Config(), p.Ops, p.Threads, explore.Options{
				Bound: b, Max: budget - tr.Schedules,
				Visit: func(t *run.ConcTrace) {
					tr.Schedules++
					if c.Shows(t) {
						found = true
						panic(stop{})
					}
				},
			})
			if err != nil {
				panic(fmt.Sprintf("bench: case %s: %v", c.Name, err))
			}
			done = res.Complete
		}()
		if found {
			tr.Found = true
			break
		}
		if !done {
			break // the budget ran out inside this bound
		}
	}
	tr.Time = time.Since(start)
	return tr
}

// Run runs every case (with its buggy version from impls, or 2fb5ef88
// itself) and its fixed counterpart under every strategy.
func Run(impls Impls, opt Options) ([]Row, error) {
	keep := func(list []string, name string) bool {
		if len(list) == 0 {
			return true
		}
		for _, n := range list {
			if n == name {
				return true
			}
		}
		return false
	}
	var rows []Row
	for _, c := range Cases {
		if !keep(opt.Cases, c.Name) {
			continue
		}
		p, err := c.Parse()
		if err != nil {
			return nil, err
		}
		bug := newimpl.Impl
		if !c.Real() {
			var ok bool
			if bug, ok = impls(c.Name); !ok {
				return nil, fmt.Errorf("case %s: its buggy version is not registered (build the worker with bench.Build)", c.Name)
			}
		}
		fixed, err := versions.Lookup(c.Fixed)
		if err != nil {
			return nil, fmt.Errorf("case %s: %w", c.Name, err)
		}
		for _, v := range []struct {
			name  string
			fixed bool
			impl  port.Impl
		}{{"bug", false, bug}, {"fixed " + fixed.Short, true, fixed.Impl}} {
			sc := shootout.ConcCase(c.Name, v.impl, p, c.Shows)
			for _, s := range Strategies(c, v.impl, p, opt.Bound) {
				if !keep(opt.Strategies, s.Name) {
					continue
				}
				r := shootout.Run(sc, s, opt.Trials, opt.Budget)
				rows = append(rows, Row{Case: c.Name, Version: v.name, Fixed: v.fixed, Result: r})
				if opt.Log != nil {
					fmt.Fprintf(opt.Log, "%s on %s, %s: found in %d/%d trials\n", c.Name, v.name, s.Name, r.Found(), len(r.Trials))
				}
			}
		}
	}
	return rows, nil
}

// Table prints the rows: per case, version and strategy, the trials that
// found the symptom, and the medians of schedules and wall time to the
// first detection ("> budget" and "-" when the median trial found
// nothing).
func Table(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "case\tversion\tstrategy\tfound\tmedian schedules\tmedian time\t")
	for _, r := range rows {
		sch, tm := fmt.Sprintf("> %d", r.Budget), "-"
		if n, ok := r.Median(); ok {
			sch = fmt.Sprint(n)
		}
		if d, ok := r.MedianTime(); ok {
			tm = d.Round(time.Microsecond).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%s\t%s\t\n", r.Case, r.Version, r.Strategy, r.Found(), len(r.Trials), sch, tm)
	}
	return tw.Flush()
}

// Markdown prints the rows as a markdown table.
func Markdown(w io.Writer, rows []Row) {
	fmt.Fprintln(w, "| case | version | strategy | found | median schedules | median time |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, r := range rows {
		sch, tm := fmt.Sprintf("> %d", r.Budget), "-"
		if n, ok := r.Median(); ok {
			sch = fmt.Sprint(n)
		}
		if d, ok := r.MedianTime(); ok {
			tm = d.Round(time.Microsecond).String()
		}
		fmt.Fprintf(w, "| %s | %s | %s | %d/%d | %s | %s |\n", r.Case, r.Version, r.Strategy, r.Found(), len(r.Trials), sch, tm)
	}
}

// Check returns what the rows break: a case no strategy detected in any
// trial, or a fixed counterpart that showed the symptom.
func Check(rows []Row) error {
	var errs []error
	seen := map[string]bool{}
	for _, r := range rows {
		if r.Fixed && r.Found() > 0 {
			errs = append(errs, fmt.Errorf("%s: the fixed counterpart (%s) shows the symptom under %s", r.Case, r.Version, r.Strategy))
		}
		if !r.Fixed {
			seen[r.Case] = seen[r.Case] || r.Found() > 0
		}
	}
	for _, c := range Cases {
		if found, ok := seen[c.Name]; ok && !found {
			errs = append(errs, fmt.Errorf("%s: no strategy detected it", c.Name))
		}
	}
	return errors.Join(errs...)
}

// Root is mutants.ModuleRoot, for the command.
func Root() (string, error) { return mutants.ModuleRoot() }
