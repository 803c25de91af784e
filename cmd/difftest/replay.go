package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/campaign"
	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/compare"
	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
)

const replayAbout = `Replay runs each program (a script, a go test fuzz v1 file, or every such
file under a directory) on the old and the new version and prints the two
traces side by side: per op, the call, each version's result, the timer
functions fired, the wakeNetPoller calls and the state that changed. The
first divergent op is marked with '!'. Then comes the comparison report.
Exit status: 0 if all programs show the same behaviour, 1 if any diverges,
2 if an argument cannot be read (one line naming the file and line).

A concurrent FILE (a script with thread blocks, or a go test fuzz v1 file
under a FuzzConcurrent folder) runs its setup and then its threads on both
versions under one schedule: the script's schedule line (sched.Replay), the
fuzz file's schedule bytes, or, if it has neither or -pct is given, PCT
with seed -pct and depth -depth. Replay prints the setup ops, then per M
its calls with the old and the new result side by side (* where they
differ), the schedule each version ran, the judge's verdict (the new
version's problems, what both versions show, the old version's known
lock-order defects: see check.ConcPair) and the new version's timeline
(both with -both); -html writes the two timelines as one HTML page. Under
each problem of the new version replay says whether a committed finding
(-findings) has the same cause: known, or new. Exit status 1 if the new
version shows a problem. -pct, -depth, -both and -html apply only to
concurrent files.
`

func (cl *cli) cmdReplay(args []string) error {
	fs := cl.newFlags("replay", "replay [-pct SEED] [-depth 2] [-both] [-html FILE] [-findings DIR] FILE|DIR...", replayAbout)
	seed := fs.Uint64("pct", 0, "concurrent files: replay under PCT with this `seed`, not the file's own schedule")
	depth := fs.Int("depth", 2, "concurrent files: the PCT depth (1 + preemption points)")
	both := fs.Bool("both", false, "concurrent files: print the old version's timeline too")
	html := fs.String("html", "", "concurrent file: write both versions' timelines to this new HTML `file`")
	findings := findingsFlag(fs, "are named under each problem of a concurrent file with the same cause")
	pos, err := cl.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("replay: no files")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *depth < 1 {
		return usagef("replay: -depth %d: want >= 1", *depth)
	}
	inputs, err := readReplayInputs(pos)
	if err != nil {
		return err
	}
	var concs int
	for _, in := range inputs {
		if in.conc != nil {
			concs++
			continue
		}
		for _, name := range []string{"pct", "depth", "both", "html"} {
			if set[name] {
				return usagef("replay: -%s applies only to concurrent files; %s is sequential", name, in.seq.Path)
			}
		}
	}
	if *html != "" && concs != 1 {
		return usagef("replay: -html wants exactly one concurrent file, have %d", concs)
	}
	opt := replayConcOptions{both: *both, html: *html}
	if concs > 0 {
		if opt.findings, err = cl.loadFindings(*findings, set); err != nil {
			return err
		}
	}
	if set["pct"] || set["depth"] {
		opt.pct = &sched.PCT{Seed: *seed, Depth: *depth}
	}
	if opt.html != "" {
		if _, err := os.Stat(opt.html); !errors.Is(err, iofs.ErrNotExist) {
			return &inputError{fmt.Errorf("%s exists; not overwriting it", opt.html)}
		}
	}
	failed := 0
	for i, in := range inputs {
		if i > 0 {
			fmt.Fprintln(cl.stdout)
		}
		if in.conc != nil {
			ok, err := cl.replayConc(cl.stdout, in.conc, opt)
			if err != nil {
				return err
			}
			if !ok {
				failed++
			}
			continue
		}
		if !cl.replay(cl.stdout, in.seq.Path, in.seq.Program) {
			failed++
		}
	}
	switch {
	case len(inputs) > 1 && concs == 0:
		fmt.Fprintf(cl.stdout, "\n%d programs: %d equal, %d diverge\n", len(inputs), len(inputs)-failed, failed)
	case len(inputs) > 1:
		fmt.Fprintf(cl.stdout, "\n%d programs (%d concurrent): %d pass, %d diverge or show a problem\n", len(inputs), concs, len(inputs)-failed, failed)
	}
	if failed > 0 {
		return errFound
	}
	return nil
}

// replayInput is one program to replay: sequential or concurrent.
type replayInput struct {
	seq  *corpus.File
	conc *concInput
}

// readReplayInputs reads replay's arguments in order, a directory's files
// in sorted path order (corpus.Read: the concurrent and contract
// folders are skipped under a directory, not when named). A file is
// concurrent if corpus.IsConc says so.
func readReplayInputs(paths []string) ([]replayInput, error) {
	var out []replayInput
	add := func(f corpus.File) error {
		conc, err := corpus.IsConc(f.Path)
		switch {
		case err != nil:
			return &inputError{err}
		case conc:
			in, err := readConc(f.Path)
			if err != nil {
				return err
			}
			out = append(out, replayInput{conc: in})
		case f.Err != nil:
			return &inputError{f.Err}
		default:
			out = append(out, replayInput{seq: &f})
		}
		return nil
	}
	for _, path := range paths {
		info, err := os.Stat(path)
		if err != nil {
			return nil, &inputError{err}
		}
		files := []corpus.File{{Path: path}}
		if info.IsDir() {
			if files, err = corpus.Read(path); err != nil {
				return nil, &inputError{err}
			}
		} else if conc, _ := corpus.IsConc(path); !conc {
			p, err := corpus.ReadProgram(path)
			files[0].Program, files[0].Err = p, err
		}
		for _, f := range files {
			if err := add(f); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// replay prints the side-by-side traces of p and the report; it reports
// whether the versions agreed.
func (cl *cli) replay(w io.Writer, name string, p ops.Program) bool {
	r := check.Pair(cl.oldImpl, cl.newImpl, p)
	cfg := p.Config()
	fmt.Fprintf(w, "== %s: %d Ps, %d timers, %d ops\n", name, p.Procs, p.Timers, len(p.Ops))
	t := sideBySide{r: r, oldPrev: initial(cl.oldImpl, cfg), newPrev: initial(cl.newImpl, cfg)}
	t.write(w)
	report(w, &r.Report, len(p.Ops))
	return r.Report.Equal()
}

// initial is the state of a fresh World.
func initial(impl port.Impl, cfg port.Config) *port.State {
	w := impl.Open(cfg)
	defer w.Close()
	s := w.Snapshot()
	return &s
}

// report prints the comparison report.
func report(w io.Writer, rep *compare.Report, nops int) {
	if d := rep.Divergence; d != nil {
		c := *d
		c.Old, c.New, c.Diff = campaign.ClipLine(c.Old), campaign.ClipLine(c.New), campaign.ClipLines(c.Diff, 60)
		fmt.Fprint(w, c.String())
	} else {
		fmt.Fprintf(w, "equal: old and new versions agree on all %d ops\n", nops)
	}
	for _, k := range rep.Known {
		fmt.Fprintf(w, "known: %s\n", k)
	}
	for _, s := range rep.Shared {
		fmt.Fprintf(w, "shared: %s\n", s)
	}
}

// sideBySide prints two traces of one program.
type sideBySide struct {
	r                *check.Result
	oldPrev, newPrev *port.State
}

const (
	notRun    = "(not run)"
	noResult  = "-"
	maxDetail = 12 // fires, wakes or changes printed per op and version
)

func (t *sideBySide) write(w io.Writer) {
	r := t.r
	n := len(r.Program.Ops)
	calls := make([]string, n)
	olds, news := make([]string, n), make([]string, n)
	wCall, wOld := len("call"), len("old")
	for i, c := range r.Program.Ops {
		calls[i] = c.String()
		olds[i], news[i] = result(&r.Old, i), result(&r.New, i)
		wCall, wOld = max(wCall, len(calls[i])), max(wOld, len(olds[i]))
	}
	div := -1
	if d := r.Report.Divergence; d != nil {
		div = d.Op
	}
	fmt.Fprintf(w, "  %3s  %-*s  %-*s  %s\n", "op", wCall, "call", wOld, "old", "new")
	for i := range n {
		mark := " "
		if i == div {
			mark = "!"
		}
		line := fmt.Sprintf("%s %3d  %-*s  %-*s  %s", mark, i, wCall, calls[i], wOld, olds[i], news[i])
		if i == div {
			line += "   <- first divergence (" + string(r.Report.Divergence.Kind) + ")"
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
		od, nd := t.details(&r.Old, i, &t.oldPrev), t.details(&r.New, i, &t.newPrev)
		if slices.Equal(od, nd) {
			printDetails(w, "", od)
		} else {
			printDetails(w, "old: ", od)
			printDetails(w, "new: ", nd)
		}
	}
}

// result is what op i did in tr, in one cell.
func result(tr *run.Trace, i int) string {
	if i >= len(tr.Steps) {
		return notRun
	}
	s := &tr.Steps[i]
	if s.Err != "" {
		return "error: " + s.Err
	}
	if res := s.Out.Result(s.Call.Kind); res != "" {
		return campaign.ClipLine(res)
	}
	return noResult
}

// details lists what op i of tr fired and woke and how it changed the
// state since *prev, which it then advances.
func (t *sideBySide) details(tr *run.Trace, i int, prev **port.State) []string {
	if i >= len(tr.Steps) {
		return nil
	}
	s := &tr.Steps[i]
	var ds []string
	for _, f := range s.Out.Fires {
		ds = append(ds, "fire "+f.String())
	}
	for _, wk := range s.Out.Wakes {
		ds = append(ds, fmt.Sprintf("wakeNetPoller(%d)", wk))
	}
	if s.State != nil {
		ds = append(ds, stateChanges(*prev, s.State)...)
		*prev = s.State
	}
	for _, b := range s.Bad {
		ds = append(ds, "INVARIANT: "+b)
	}
	return ds
}

func printDetails(w io.Writer, prefix string, ds []string) {
	for i, d := range ds {
		if i == maxDetail && len(ds) > maxDetail+1 {
			fmt.Fprintf(w, "         %s... and %d more\n", prefix, len(ds)-i)
			return
		}
		fmt.Fprintf(w, "         %s%s\n", prefix, campaign.ClipLine(d))
	}
}
