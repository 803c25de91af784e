package campaign

import (
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
)

// Feature is one kind of behaviour a step showed; a program that shows a
// new one joins the campaign's corpus.
type Feature struct {
	kind          port.Kind
	before, after statusClass // of the target timer; classOther if none
	branch        branch
	pending, ran  bool
	skipped       bool
	fired, woke   bool
	ended         bool
	procs         int
}

// Features lists the features of a trace of a program started at clock.
func Features(tr *run.Trace, clock int64) []Feature {
	var fs []Feature
	var prev *port.State
	for i := range tr.Steps {
		s := &tr.Steps[i]
		f := Feature{
			kind:    s.Call.Kind,
			before:  classOther,
			after:   classOther,
			branch:  branchOf(s.Call, prev, clock),
			pending: s.Out.Pending, ran: s.Out.Ran, skipped: s.Out.Skipped,
			fired: len(s.Out.Fires) > 0, woke: len(s.Out.Wakes) > 0,
			ended: s.Ended(),
		}
		if name := target(s.Call); name != "" {
			f.before = classOf(TimerIn(prev, name))
			if s.State != nil {
				f.after = classOf(TimerIn(s.State, name))
			}
		}
		if s.State != nil {
			f.procs = len(s.State.Procs)
		}
		fs = append(fs, f)
		prev = s.State
	}
	return fs
}
