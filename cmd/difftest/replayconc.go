package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/campaign"
	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/known"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/internal/timeline"
)

// concInput is a concurrent case read from a file: a script with thread
// blocks, or a FuzzConcurrent fuzz file (the program, then the bytes the
// fuzz target reads its schedule from).
type concInput struct {
	path string
	p    ops.ConcProgram
	fuzz bool   // a FuzzConcurrent fuzz file
	rest []byte // its schedule bytes (sched.Bytes)
}

// readConc reads a concurrent case; errors are inputErrors naming the file.
func readConc(path string) (*concInput, error) {
	p, rest, err := corpus.ReadConcProgram(path)
	if err != nil {
		return nil, &inputError{err}
	}
	in := &concInput{path: path, p: p, rest: rest}
	if src, err := os.ReadFile(path); err == nil && !ops.IsConcScript(src) {
		in.fuzz = true
	}
	return in, nil
}

// concChooser says how a replay picks the interleaving.
type concChooser struct {
	choose func() sim.Chooser
	about  string
	line   sched.Schedule // the schedule line replayed (sched.Replay), if any
}

// chooserFor is the input's own schedule (its schedule line, or the
// fuzz file's bytes), unless pct is set or there is none: then PCT.
func chooserFor(in *concInput, pct *sched.PCT) concChooser {
	switch {
	case pct == nil && in.fuzz:
		rest := in.rest
		return concChooser{func() sim.Chooser { return sched.NewBytes(rest) },
			fmt.Sprintf("the fuzz file's %d schedule bytes (sched.Bytes, as FuzzConcurrent reads them)", len(rest)), nil}
	case pct == nil && in.p.Schedule != nil:
		s := in.p.Schedule
		return concChooser{func() sim.Chooser { return sched.Replay(s) }, "the script's line: " + s.Line(), s}
	}
	seed, depth := uint64(0), 2
	if pct != nil {
		seed, depth = pct.Seed, pct.Depth
	}
	about := fmt.Sprintf("PCT seed %d depth %d", seed, depth)
	if in.p.Schedule != nil || in.fuzz {
		about += " (-pct: the file's own schedule is not used)"
	}
	return concChooser{func() sim.Chooser { return &sched.PCT{Seed: seed, Depth: depth} }, about, nil}
}

// replayConcOptions are replay's flags for concurrent cases.
type replayConcOptions struct {
	pct  *sched.PCT // nil: the input's own schedule
	both bool       // the old version's timeline too
	html string     // write the HTML timeline here
	// findings are the committed findings, to say which of the new
	// version's causes are known; nil: no baseline for this pair.
	findings *known.Set
}

// replayConc runs a concurrent case on both versions, prints what they
// did and the judge's verdict, and reports whether the new version showed
// no problem.
func (cl *cli) replayConc(w io.Writer, in *concInput, opt replayConcOptions) (bool, error) {
	p := in.p
	ch := chooserFor(in, opt.pct)
	var made []sim.Chooser
	r := check.ConcPair(cl.oldImpl, cl.newImpl, p, func() sim.Chooser {
		c := ch.choose()
		made = append(made, c)
		return c
	}, true)
	calls := 0
	for _, th := range p.Threads {
		calls += len(th.Calls)
	}
	fmt.Fprintf(w, "== %s: concurrent, %d Ps, %d timers, %d setup ops, %d threads, %d calls\n", in.path, p.Procs, p.Timers, len(p.Ops), len(p.Threads), calls)
	fmt.Fprintf(w, "schedule: %s, for both versions\n", ch.about)
	fmt.Fprintf(w, "(* marks a call whose results differ: under one schedule that is not a divergence by itself, see difftest explore)\n")
	if len(p.Ops) > 0 {
		fmt.Fprintf(w, "setup:\n")
		concTable(w, "op", r.Old.Setup, r.New.Setup, p.Ops)
	}
	for i, th := range p.Threads {
		fmt.Fprintf(w, "M%d on P%d:\n", i, th.P)
		var olds, news []run.Step
		if i < len(r.Old.Threads) {
			olds = r.Old.Threads[i]
		}
		if i < len(r.New.Threads) {
			news = r.New.Threads[i]
		}
		concTable(w, "#", olds, news, th.Calls)
	}
	for k, tr := range []*run.ConcTrace{&r.Old, &r.New} {
		name := []string{"old", "new"}[k]
		fmt.Fprintf(w, "%s ran: %s (%d choice points%s; %d preemptions)\n", name, sched.Schedule(tr.Choices).Line(), len(tr.Choices), followed(made[k], ch.line, len(tr.Choices)), tr.Preemptions)
		if tr.Err != "" {
			fmt.Fprintf(w, "  %s: the adapter refused the threads: %s\n", name, tr.Err)
		}
		for _, sr := range tr.Sched {
			what := "its M ran the scheduler on P%d, then resumed it"
			if sr.Moved {
				what = "it resumed on another P; the scheduler on P%d dropped it"
			}
			fmt.Fprintf(w, "  %s: the goroutine on M%d was preempted: "+what+" (M%d)\n", name, sr.Of, sr.P, sr.M)
		}
		for _, l := range tr.IdleAdds {
			fmt.Fprintf(w, "  %s: TIMER ON IDLE P: %s\n", name, campaign.ClipLine(l))
		}
		for _, l := range tr.Lost {
			fmt.Fprintf(w, "  %s after the threads: %s: %s\n", name, l.Kind, campaign.ClipLine(l.Text))
		}
		for _, b := range tr.Bad {
			fmt.Fprintf(w, "  %s after the threads: INVARIANT %s\n", name, campaign.ClipLine(b))
		}
	}
	if r.OK() {
		fmt.Fprintf(w, "verdict: ok: the new version shows no problem\n")
	} else {
		fmt.Fprintf(w, "verdict: PROBLEM: the new version shows %d problems\n", len(r.Problems))
	}
	for _, pr := range r.Problems {
		fmt.Fprintf(w, "PROBLEM (%s): %s\n", pr.Kind, campaign.ClipLine(pr.Text))
		fmt.Fprintf(w, "  cause: %s\n", pr.Sig)
		if opt.findings != nil {
			if file, ok := opt.findings.Match(pr); ok {
				fmt.Fprintf(w, "  finding: known (%s has this cause)\n", file)
			} else {
				fmt.Fprintf(w, "  finding: new (no committed finding has this cause)\n")
			}
		}
	}
	for _, s := range r.Shared {
		fmt.Fprintf(w, "shared (both versions, %s): %s\n", s.Kind, campaign.ClipLine(s.Text))
		fmt.Fprintf(w, "  cause: %s\n", s.Sig)
	}
	for _, k := range r.Known {
		fmt.Fprintf(w, "known (old version alone, %s): %s\n", k.Kind, campaign.ClipLine(k.Text))
	}
	if !r.OK() {
		fmt.Fprintf(w, "the new version's run replays with: %s\n", sched.Schedule(r.New.Choices).Line())
	}
	v := &timeline.Verdict{New: r.Problems, Shared: r.Shared, Old: r.Known}
	fmt.Fprintf(w, "timeline of the new version:\n")
	if err := timeline.Text(w, &r.New, v); err != nil {
		return false, err
	}
	if opt.both {
		fmt.Fprintf(w, "timeline of the old version:\n")
		if err := timeline.Text(w, &r.Old, v); err != nil {
			return false, err
		}
	}
	if opt.html != "" {
		var b bytes.Buffer
		if err := timeline.HTML(&b, &r.Old, &r.New, v, in.path+" ("+ch.about+")"); err != nil {
			return false, err
		}
		if err := corpus.WriteNew(opt.html, b.Bytes()); err != nil {
			return false, err
		}
		fmt.Fprintf(w, "wrote %s\n", opt.html)
	}
	return r.OK(), nil
}

// followed says how a run under a sched.Replayer followed its schedule
// line: how many choice points it covered, how many came after its end
// and how many named an M that could not run (the default was taken at
// both); "" for other choosers.
func followed(ch sim.Chooser, line sched.Schedule, points int) string {
	rp, ok := ch.(*sched.Replayer)
	if !ok {
		return ""
	}
	covered := min(len(line), points)
	past := points - covered
	s := fmt.Sprintf(": %d from the schedule line, %d after its end", covered, past)
	if off := rp.Misses - past; off > 0 {
		s += fmt.Sprintf(", %d where its M could not run", off)
	}
	return s
}

// concTable prints calls with the old and the new results side by side,
// then the timer functions each fired and the wakeNetPoller calls (once
// if both agree).
func concTable(w io.Writer, head string, olds, news []run.Step, calls []port.Call) {
	n := len(calls)
	cs, os, ns := make([]string, n), make([]string, n), make([]string, n)
	wCall, wOld := len("call"), len("old")
	for i, c := range calls {
		cs[i], os[i], ns[i] = c.String(), stepResult(olds, i), stepResult(news, i)
		wCall, wOld = max(wCall, len(cs[i])), max(wOld, len(os[i]))
	}
	fmt.Fprintf(w, "  %4s  %-*s  %-*s  %s\n", head, wCall, "call", wOld, "old", "new")
	for i := range n {
		mark := " "
		if os[i] != ns[i] {
			mark = "*"
		}
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("%s %4d  %-*s  %-*s  %s", mark, i, wCall, cs[i], wOld, os[i], ns[i]), " "))
		od, nd := stepDetails(olds, i), stepDetails(news, i)
		if slices.Equal(od, nd) {
			printDetails(w, "", od)
		} else {
			printDetails(w, "old: ", od)
			printDetails(w, "new: ", nd)
		}
	}
}

// stepResult is what call i did, in one cell.
func stepResult(steps []run.Step, i int) string {
	if i >= len(steps) {
		return notRun
	}
	s := &steps[i]
	if s.Err != "" {
		return "error: " + campaign.ClipLine(s.Err)
	}
	res := s.Out.Result(s.Call.Kind)
	if s.Out.Cut {
		res = strings.TrimSpace(res + " (cut short: another M threw or hung)")
	}
	if res == "" {
		return noResult
	}
	return campaign.ClipLine(res)
}

// stepDetails lists the timer functions call i fired and its
// wakeNetPoller calls.
func stepDetails(steps []run.Step, i int) []string {
	if i >= len(steps) {
		return nil
	}
	var ds []string
	for _, f := range steps[i].Out.Fires {
		ds = append(ds, "fire "+f.String())
	}
	for _, wk := range steps[i].Out.Wakes {
		ds = append(ds, fmt.Sprintf("wakeNetPoller(%d)", wk))
	}
	return ds
}
