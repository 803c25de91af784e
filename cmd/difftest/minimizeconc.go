package main

import (
	"fmt"
	"slices"

	"github.com/timerdiff/timerdiff/internal/campaign"
	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/minimize"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// minimizeConc shrinks the concurrent case in file in and writes it to
// out.ops (overwriting it if overwrite); pair is the command line's -old
// and -new flags (pairFlags), for the re-run line.
func (cl *cli) minimizeConc(in, out string, overwrite bool, pair string) error {
	c, err := readConc(in)
	if err != nil {
		return err
	}
	if !c.fuzz && c.p.Schedule == nil {
		return &inputError{fmt.Errorf("%s: no schedule line: minimize needs the schedule that shows the problem (difftest replay -pct SEED %s prints one)", in, in)}
	}
	path := out + ".ops"
	p := c.p
	if c.fuzz {
		var first *check.ConcResult
		p, first = cl.recordSchedule(c)
		if first.OK() {
			fmt.Fprintf(cl.stdout, "%s: the new version shows no problem under the file's schedule bytes: nothing to minimize\n", in)
			return nil
		}
	}
	replay := func(s sched.Schedule) func() sim.Chooser {
		return func() sim.Chooser { return sched.Replay(s) }
	}
	r := check.ConcPair(cl.oldImpl, cl.newImpl, p, replay(p.Schedule), false)
	if r.OK() {
		what := "under its schedule line"
		if c.fuzz {
			what = "when both versions replay the new version's recorded schedule (" + p.Schedule.Line() + ")"
		}
		fmt.Fprintf(cl.stdout, "%s: the new version shows no problem %s: nothing to minimize\n", in, what)
		return nil
	}
	want := r.Problems[0]
	small, st, err := minimize.Conc(p, minimize.SameProblem(cl.oldImpl, cl.newImpl, want))
	if err != nil {
		return fmt.Errorf("%s: minimize: %w", in, err)
	}
	m := check.ConcPair(cl.oldImpl, cl.newImpl, small, replay(small.Schedule), false)
	if !slices.ContainsFunc(m.Problems, want.SameCause) {
		panic("difftest: the minimized case lost its problem: " + small.Script())
	}
	fmt.Fprintf(cl.stdout, "%s: %s: %s\n", in, want.Kind, st)
	script := header(small.Script(),
		fmt.Sprintf("minimized by difftest from %s (%s)", in, st),
		fmt.Sprintf("problem (%s): %s", want.Kind, campaign.ClipLine(want.Text)),
		fmt.Sprintf("cause: %s", want.Sig))
	if err := writeOut(path, []byte(script), overwrite); err != nil {
		return err
	}
	fmt.Fprint(cl.stdout, m.Failure(replayLine(pair, path)))
	fmt.Fprintf(cl.stdout, "wrote %s\n", path)
	return nil
}

// recordSchedule runs a fuzz input's program on both versions under its
// schedule bytes, as FuzzConcurrent does, recording the new version's
// choices: it returns the program with them as its schedule line, and the
// judge's result.
func (cl *cli) recordSchedule(c *concInput) (ops.ConcProgram, *check.ConcResult) {
	p := c.p
	rec := &sched.Recorder{Chooser: sched.NewBytes(c.rest)}
	made := 0
	r := check.ConcPair(cl.oldImpl, cl.newImpl, p, func() sim.Chooser {
		if made++; made == 2 { // ConcPair makes the old version's chooser first
			return rec
		}
		return sched.NewBytes(c.rest)
	}, false)
	p.Schedule = append(sched.Schedule{}, rec.Choices...)
	return p, r
}
