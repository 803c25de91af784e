package explore

import (
	"slices"
	"strconv"

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
	if len(tr.Setup) > 0 {
		o.Setup = make([]CallOutcome, len(tr.Setup))
		for i := range tr.Setup {
			o.Setup[i] = abstractCall(&tr.Setup[i])
		}
	}
	if tr.Threads != nil {
		o.Threads = make([][]CallOutcome, len(tr.Threads))
		for i, th := range tr.Threads {
			if len(th) > 0 {
				o.Threads[i] = make([]CallOutcome, len(th))
			}
			for k := range th {
				o.Threads[i][k] = abstractCall(&th[k])
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
func (c *CallOutcome) String() string { return string(c.appendTo(nil, nil)) }

// appendTo appends c.String() to b. The Outcome's Key is made for every
// schedule of a search, so it is built with strconv, not fmt; names, if
// not nil, caches the calls' strings.
func (c *CallOutcome) appendTo(b []byte, names callNames) []byte {
	b = append(b, names.of(c.Call)...)
	sep := " -> "
	part := func() {
		b = append(b, sep...)
		sep = "; "
	}
	switch {
	case c.Err != "":
		part()
		b = append(b, "error: "...)
		b = append(b, c.Err...)
	case c.Cut:
		part()
		b = append(b, "cut short (another M threw or hung)"...)
	case c.Hang != "":
		part()
		b = append(b, "HANG ("...)
		b = append(b, c.Hang...)
		b = append(b, ')')
	case c.Throw != "":
		part()
		b = append(b, "throw("...)
		b = strconv.AppendQuote(b, c.Throw)
		b = append(b, ')')
	case c.Result != "":
		part()
		b = append(b, c.Result...)
	}
	for _, f := range c.Fires {
		part()
		b = append(b, "fire "...)
		b = appendFire(b, &f)
	}
	for _, w := range c.Wakes {
		part()
		b = append(b, "wakeNetPoller("...)
		b = strconv.AppendInt(b, w, 10)
		b = append(b, ')')
	}
	return b
}

// appendFire appends f.String() to b.
func appendFire(b []byte, f *port.Fire) []byte {
	b = append(b, f.What...)
	b = append(b, " seq="...)
	b = strconv.AppendUint(b, uint64(f.Seq), 10)
	b = append(b, " now="...)
	b = strconv.AppendInt(b, f.Now, 10)
	b = append(b, " on P"...)
	b = strconv.AppendInt(b, int64(f.P), 10)
	if f.Then != "" {
		b = append(b, " -> "...)
		b = append(b, f.Then...)
	}
	return b
}

// callNames caches port.Call.String: the calls of a search are the same
// in every schedule. A nil callNames caches nothing.
type callNames map[port.Call]string

func (n callNames) of(c port.Call) string {
	if n == nil {
		return c.String()
	}
	s, ok := n[c]
	if !ok {
		s = c.String()
		n[c] = s
	}
	return s
}

// String prints the Outcome, one line per call and per part of the final
// state. It prints every field, so it is also the Outcome's Key.
func (o *Outcome) String() string { return string(o.appendKey(nil, nil)) }

// Key identifies the Outcome: equal Keys, equal Outcomes.
func (o *Outcome) Key() string { return o.String() }

// appendKey appends o.Key() to b; names, if not nil, caches the calls'
// strings.
func (o *Outcome) appendKey(b []byte, names callNames) []byte {
	if o.Err != "" {
		b = append(b, "error: "...)
		b = append(b, o.Err...)
		b = append(b, '\n')
	}
	if len(o.Setup) > 0 {
		b = append(b, "setup:\n"...)
		for i := range o.Setup {
			b = append(b, "  "...)
			b = o.Setup[i].appendTo(b, names)
			b = append(b, '\n')
		}
	}
	for i, th := range o.Threads {
		b = append(b, 'M')
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ":\n"...)
		for k := range th {
			b = append(b, "  "...)
			b = th[k].appendTo(b, names)
			b = append(b, '\n')
		}
	}
	if o.Final != nil {
		b = append(b, "final:\n"...)
		b = appendState(b, o.Final)
	}
	for _, bad := range o.Bad {
		b = append(b, "bad: "...)
		b = append(b, bad...)
		b = append(b, '\n')
	}
	for _, l := range o.Lost {
		b = append(b, "lost: "...)
		b = append(b, l...)
		b = append(b, '\n')
	}
	return b
}

// appendTraceKey appends abstract(tr).Key() to b, without making the
// Outcome: most schedules of a search reach a known one.
func appendTraceKey(b []byte, tr *run.ConcTrace, names callNames) []byte {
	if tr.Err != "" {
		b = append(b, "error: "...)
		b = append(b, tr.Err...)
		b = append(b, '\n')
	}
	if len(tr.Setup) > 0 {
		b = append(b, "setup:\n"...)
		for i := range tr.Setup {
			c := abstractCall(&tr.Setup[i])
			b = append(b, "  "...)
			b = c.appendTo(b, names)
			b = append(b, '\n')
		}
	}
	for i, th := range tr.Threads {
		b = append(b, 'M')
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ":\n"...)
		for k := range th {
			c := abstractCall(&th[k])
			b = append(b, "  "...)
			b = c.appendTo(b, names)
			b = append(b, '\n')
		}
	}
	if tr.Final != nil {
		b = append(b, "final:\n"...)
		b = appendState(b, tr.Final)
	}
	for _, l := range [2][]string{tr.Bad, tr.IdleAdds} {
		for _, bad := range l {
			b = append(b, "bad: "...)
			b = append(b, bad...)
			b = append(b, '\n')
		}
	}
	for _, l := range tr.Lost {
		b = append(b, "lost: "...)
		b = append(b, l.Text...)
		b = append(b, '\n')
	}
	return b
}

// appendState appends the lines of the final state s to b.
func appendState(b []byte, s *port.State) []byte {
	b = append(b, "  clock="...)
	b = strconv.AppendInt(b, s.Clock, 10)
	b = append(b, " timerpMask="...)
	b = append(b, s.TimerpMask...)
	b = append(b, " netpollInited="...)
	b = strconv.AppendBool(b, s.NetpollInited)
	b = append(b, '\n')
	for _, p := range s.Procs {
		b = append(b, "  P"...)
		b = strconv.AppendInt(b, int64(p.ID), 10)
		b = append(b, ": numTimers="...)
		b = strconv.AppendUint(b, uint64(p.NumTimers), 10)
		b = append(b, " deletedTimers="...)
		b = strconv.AppendUint(b, uint64(p.DeletedTimers), 10)
		b = append(b, " timer0When="...)
		b = strconv.AppendInt(b, p.Timer0When, 10)
		b = append(b, " timerModifiedEarliest="...)
		b = strconv.AppendInt(b, p.TimerModifiedEarliest, 10)
		b = append(b, " timers=["...)
		for i, e := range p.Heap {
			if i > 0 {
				b = append(b, ' ')
			}
			b = append(b, e.Timer...)
			b = append(b, '@')
			b = strconv.AppendInt(b, e.When, 10)
		}
		b = append(b, ']')
		if p.TimersLocked {
			b = append(b, " timersLocked"...)
		}
		b = append(b, '\n')
	}
	for _, t := range s.Timers {
		if pristine(t) {
			continue // lossless: every run of a program has the same timers
		}
		b = append(b, "  "...)
		b = append(b, t.Name...)
		b = append(b, ": "...)
		b = append(b, t.Status...)
		b = append(b, " when="...)
		b = strconv.AppendInt(b, t.When, 10)
		b = append(b, " nextwhen="...)
		b = strconv.AppendInt(b, t.Nextwhen, 10)
		b = append(b, " period="...)
		b = strconv.AppendInt(b, t.Period, 10)
		b = append(b, " pp="...)
		b = appendPName(b, t.P)
		b = append(b, " f="...)
		b = strconv.AppendQuote(b, t.F)
		b = append(b, " seq="...)
		b = strconv.AppendUint(b, uint64(t.Seq), 10)
		b = append(b, '\n')
	}
	for _, m := range s.Ms {
		b = append(b, "  M"...)
		b = strconv.AppendInt(b, int64(m.ID), 10)
		b = append(b, ": p="...)
		b = appendPName(b, m.P)
		b = append(b, " locks="...)
		b = strconv.AppendInt(b, int64(m.Locks), 10)
		b = append(b, " held=["...)
		for i, h := range m.Held {
			if i > 0 {
				b = append(b, ' ')
			}
			b = strconv.AppendQuote(b, h)
		}
		b = append(b, "]\n"...)
	}
	return b
}

// appendPName appends port.PName(p) to b.
func appendPName(b []byte, p int) []byte {
	if p < 0 {
		return append(b, "nil"...)
	}
	b = append(b, 'P')
	return strconv.AppendInt(b, int64(p), 10)
}

// pristine reports whether a timer was never touched: a sleep timer of a
// goroutine that never slept.
func pristine(t port.TimerState) bool {
	return t.Status == "timerRemoved" && t.When == 0 && t.Nextwhen == 0 && t.Period == 0 &&
		t.P < 0 && t.F == "" && t.Seq == 0
}
