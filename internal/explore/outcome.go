package explore

import (
	"fmt"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
)

// Outcome is what one schedule of a program observably did, abstracted
// from its run.ConcTrace (see the package doc, rule 4).
type Outcome struct {
	Err     string          // the adapter refused the threads (bad input)
	Setup   []CallOutcome   // the sequential setup
	Threads [][]CallOutcome // per thread, the calls it started
	Final   *port.State     // after the threads; nil if a call threw or hung
	Bad     []string        // heap invariant violations after the threads
	Lost    []string        // due timers the runtime can no longer run (run.Lost)
}

// CallOutcome is the abstract result of one call.
type CallOutcome struct {
	Call   port.Call
	Err    string      // the adapter refused it
	Result string      // port.Outcome.Result without the throw or hang
	Fires  []port.Fire // timer functions run, in order
	Wakes  []int64     // wakeNetPoller calls, in order
	Throw  string      // the throw or badTimer message (not where)
	Hang   string      // the kind of hang: "deadlock", "livelock", "step budget"
	Cut    bool        // another M threw or hung before the call ended
}

// abstract makes the Outcome of a trace.
func abstract(tr *run.ConcTrace) Outcome {
	o := Outcome{Err: tr.Err, Final: tr.Final, Bad: append(slices.Clone(tr.Bad), tr.IdleAdds...)}
	for _, l := range tr.Lost {
		o.Lost = append(o.Lost, l.Text)
	}
	for i := range tr.Setup {
		o.Setup = append(o.Setup, abstractCall(&tr.Setup[i]))
	}
	if tr.Threads != nil {
		o.Threads = make([][]CallOutcome, len(tr.Threads))
		for i, th := range tr.Threads {
			for k := range th {
				o.Threads[i] = append(o.Threads[i], abstractCall(&th[k]))
			}
		}
	}
	return o
}

func abstractCall(s *run.Step) CallOutcome {
	c := CallOutcome{Call: s.Call, Err: s.Err}
	switch out := s.Out; {
	case out.Cut:
		// What it did before another M ended the process depends on
		// where that happened, not on behaviour.
		c.Cut = true
	case out.Hang != "":
		// As in package compare: a hanging call's fires and wakes
		// depend on how many steps each version's loop takes.
		c.Hang = out.HangKind.String()
	case out.Throw != "":
		c.Throw = out.Throw
		c.Fires, c.Wakes = out.Fires, out.Wakes
	default:
		c.Result = out.Result(s.Call.Kind)
		c.Fires, c.Wakes = out.Fires, out.Wakes
	}
	return c
}

// String prints what the call did on one line:
//
//	P0: t0.stopTimer() -> pending=true; fire fire(a1) seq=0 now=125 on P0; wakeNetPoller(150)
func (c *CallOutcome) String() string {
	var parts []string
	switch {
	case c.Err != "":
		parts = append(parts, "error: "+c.Err)
	case c.Cut:
		parts = append(parts, "cut short (another M threw or hung)")
	case c.Hang != "":
		parts = append(parts, "HANG ("+c.Hang+")")
	case c.Throw != "":
		parts = append(parts, fmt.Sprintf("throw(%q)", c.Throw))
	case c.Result != "":
		parts = append(parts, c.Result)
	}
	for _, f := range c.Fires {
		parts = append(parts, "fire "+f.String())
	}
	for _, w := range c.Wakes {
		parts = append(parts, fmt.Sprintf("wakeNetPoller(%d)", w))
	}
	if len(parts) == 0 {
		return c.Call.String()
	}
	return c.Call.String() + " -> " + strings.Join(parts, "; ")
}

// String prints the Outcome, one line per call and per part of the final
// state. It prints every field, so it is also the Outcome's Key.
func (o *Outcome) String() string {
	var b strings.Builder
	if o.Err != "" {
		fmt.Fprintf(&b, "error: %s\n", o.Err)
	}
	if len(o.Setup) > 0 {
		b.WriteString("setup:\n")
		for i := range o.Setup {
			fmt.Fprintf(&b, "  %s\n", o.Setup[i].String())
		}
	}
	for i, th := range o.Threads {
		fmt.Fprintf(&b, "M%d:\n", i)
		for k := range th {
			fmt.Fprintf(&b, "  %s\n", th[k].String())
		}
	}
	if o.Final != nil {
		b.WriteString("final:\n")
		writeState(&b, o.Final)
	}
	for _, bad := range o.Bad {
		fmt.Fprintf(&b, "bad: %s\n", bad)
	}
	for _, l := range o.Lost {
		fmt.Fprintf(&b, "lost: %s\n", l)
	}
	return b.String()
}

// Key identifies the Outcome: equal Keys, equal Outcomes.
func (o *Outcome) Key() string { return o.String() }

func writeState(b *strings.Builder, s *port.State) {
	fmt.Fprintf(b, "  clock=%d timerpMask=%s netpollInited=%t\n", s.Clock, s.TimerpMask, s.NetpollInited)
	for _, p := range s.Procs {
		fmt.Fprintf(b, "  P%d: numTimers=%d deletedTimers=%d timer0When=%d timerModifiedEarliest=%d timers=[",
			p.ID, p.NumTimers, p.DeletedTimers, p.Timer0When, p.TimerModifiedEarliest)
		for i, e := range p.Heap {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(b, "%s@%d", e.Timer, e.When)
		}
		b.WriteByte(']')
		if p.TimersLocked {
			b.WriteString(" timersLocked")
		}
		b.WriteByte('\n')
	}
	for _, t := range s.Timers {
		if pristine(t) {
			continue // lossless: every run of a program has the same timers
		}
		fmt.Fprintf(b, "  %s: %s when=%d nextwhen=%d period=%d pp=%s f=%q seq=%d\n",
			t.Name, t.Status, t.When, t.Nextwhen, t.Period, port.PName(t.P), t.F, t.Seq)
	}
	for _, m := range s.Ms {
		fmt.Fprintf(b, "  M%d: p=%s locks=%d held=%q\n", m.ID, port.PName(m.P), m.Locks, m.Held)
	}
}

// pristine reports whether a timer was never touched: a sleep timer of a
// goroutine that never slept.
func pristine(t port.TimerState) bool {
	return t.Status == "timerRemoved" && t.When == 0 && t.Nextwhen == 0 && t.Period == 0 &&
		t.P < 0 && t.F == "" && t.Seq == 0
}
