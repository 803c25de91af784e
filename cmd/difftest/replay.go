package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/fuzz"
	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/compare"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
)

const replayAbout = `Replay runs each program (a script, a go test fuzz v1 file, or every such
file under a directory) on the old and the new version and prints the two
traces side by side: per op, the call, each version's result, the timer
functions fired, the wakeNetPoller calls and the state that changed. The
first divergent op is marked with '!'. Then comes the comparison report.
Exit status: 0 if all programs show the same behaviour, 1 if any diverges,
2 if an argument cannot be read (one line naming the file and line).
`

func cmdReplay(args []string) error {
	fs := newFlags("replay", "replay FILE|DIR...", replayAbout)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("replay: no files")
	}
	files, err := readInputs(pos)
	if err != nil {
		return err
	}
	diverged := 0
	for i, f := range files {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if !replay(stdout, f.Path, f.Program) {
			diverged++
		}
	}
	if len(files) > 1 {
		fmt.Fprintf(stdout, "\n%d programs: %d equal, %d diverge\n", len(files), len(files)-diverged, diverged)
	}
	if diverged > 0 {
		return errFound
	}
	return nil
}

// readInputs reads files and directories of files in argument order
// (directories in sorted path order). Any unreadable file is an
// inputError naming it.
func readInputs(paths []string) ([]fuzz.CorpusFile, error) {
	var files []fuzz.CorpusFile
	for _, path := range paths {
		info, err := os.Stat(path)
		if err != nil {
			return nil, &inputError{err}
		}
		if !info.IsDir() {
			p, err := ops.ReadFile(path)
			if err != nil {
				return nil, &inputError{err}
			}
			files = append(files, fuzz.CorpusFile{Path: path, Program: p})
			continue
		}
		dir, err := fuzz.ReadCorpus(path)
		if err != nil {
			return nil, &inputError{err}
		}
		for _, f := range dir {
			if f.Err != nil {
				return nil, &inputError{f.Err}
			}
		}
		files = append(files, dir...)
	}
	return files, nil
}

// replay prints the side-by-side traces of p and the report; it reports
// whether the versions agreed.
func replay(w io.Writer, name string, p ops.Program) bool {
	r := check.Pair(oldImpl, newImpl, p)
	cfg := p.Config()
	fmt.Fprintf(w, "== %s: %d Ps, %d timers, %d ops\n", name, p.Procs, p.Timers, len(p.Ops))
	t := sideBySide{r: r, oldPrev: initial(oldImpl, cfg), newPrev: initial(newImpl, cfg)}
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
		c.Old, c.New, c.Diff = clipLine(c.Old), clipLine(c.New), clipLines(c.Diff, 60)
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
		return clipLine(res)
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
		fmt.Fprintf(w, "         %s%s\n", prefix, clipLine(d))
	}
}
