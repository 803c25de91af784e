package ops

import (
	"fmt"
	"slices"

	"github.com/timerdiff/timerdiff/internal/port"
)

// MaxWhen is the runtime's maxWhen: the largest when, and the largest the
// virtual clock may reach.
const MaxWhen = 1<<63 - 1

const maxWhen = MaxWhen

// maxClock is the latest the virtual clock may reach: just below maxWhen,
// the when the runtime uses for "never". At now == maxWhen a periodic
// timer whose next when saturates at maxWhen is due again at once and
// checkTimers fires it forever; the real nanotime is centuries away from
// that, so programs keep the clock below it.
const maxClock = maxWhen - 1

// Program is a sequence of calls on a fresh World.
//
// A valid Program (see Validate) starts with Procs Ps (ids 0..Procs-1) and
// Timers timer slots (t0..t{Timers-1}) at the clock port.DefaultConfig.Clock.
type Program struct {
	Procs  int // Ps at the start, 1..port.MaxProcs
	Timers int // timer slots, 1..port.MaxTimers
	Ops    []port.Call
}

// Config returns the World p starts from: port.DefaultConfig with Procs and
// Timers replaced.
func (p Program) Config() port.Config {
	c := port.DefaultConfig
	c.Procs = p.Procs
	c.Timers = p.Timers
	return c
}

// Equal reports whether p and q are the same program (a nil and an empty
// Ops are the same).
func (p Program) Equal(q Program) bool {
	return p.Procs == q.Procs && p.Timers == q.Timers && slices.Equal(p.Ops, q.Ops)
}

// Validate reports the first reason p is not a valid Program, naming the op
// by its index. In a valid Program:
//   - 1 <= Procs <= port.MaxProcs and 1 <= Timers <= port.MaxTimers;
//   - every op has a known Kind, and the fields its Kind does not use are
//     zero (so that it prints, parses and encodes without loss);
//   - every P an op names (On, P) exists at that op: Procs Ps at the start,
//     N after procresize(N), with 1 <= N <= port.MaxProcs;
//   - timers and f targets are below Timers, goroutines below port.MaxGs;
//   - advance(d) has d >= 0 and the clock stays below maxWhen (see maxClock).
func (p Program) Validate() error {
	i, msg := p.check()
	switch {
	case msg == "":
		return nil
	case i < 0:
		return fmt.Errorf("invalid program: %s", msg)
	}
	return fmt.Errorf("op %d (%v): %s", i, p.Ops[i], msg)
}

// check returns the index of the first bad op and why it is bad; -1 for
// the header; "" if p is valid.
func (p Program) check() (int, string) {
	if p.Procs < 1 || p.Procs > port.MaxProcs {
		return -1, fmt.Sprintf("procs %d not in 1..%d", p.Procs, port.MaxProcs)
	}
	if p.Timers < 1 || p.Timers > port.MaxTimers {
		return -1, fmt.Sprintf("timers %d not in 1..%d", p.Timers, port.MaxTimers)
	}
	procs, clock := p.Procs, port.DefaultConfig.Clock
	var idle idleList
	for i, c := range p.Ops {
		if msg := checkCall(c, procs, p.Timers, clock); msg != "" {
			return i, msg
		}
		if msg := idle.step(c, i); msg != "" {
			return i, msg
		}
		switch c.Kind {
		case port.Procresize:
			procs = c.N
		case port.Advance:
			clock += c.When
		}
	}
	return 0, ""
}

// idleList is the scheduler's idle list (sched.pidle) as a program's
// calls change it: pidleput puts a P on it, pidleget takes its head, and
// no code runs on a P that is on it.
type idleList struct {
	ps []int // the idle Ps; the head (the next pidleget's) last
	at []int // the op that idled each
}

func (l *idleList) idle(p int) (int, bool) {
	for k, q := range l.ps {
		if q == p {
			return l.at[k], true
		}
	}
	return 0, false
}

func (l *idleList) head() (int, bool) {
	if len(l.ps) == 0 {
		return 0, false
	}
	return l.ps[len(l.ps)-1], true
}

// step checks call c, op i, against the idle list and applies it; it
// returns why c cannot run, or "".
func (l *idleList) step(c port.Call, i int) string {
	if uses(c.Kind, 0).on {
		if at, ok := l.idle(c.On); ok {
			return fmt.Sprintf("runs on P%d, which is idle since op %d (pidleput): no code runs on an idle P", c.On, at)
		}
	}
	switch c.Kind {
	case port.Pidleput:
		if at, ok := l.idle(c.P); ok {
			return fmt.Sprintf("P%d is already idle (since op %d)", c.P, at)
		}
		l.ps, l.at = append(l.ps, c.P), append(l.at, i)
	case port.Pidleget:
		h, ok := l.head()
		switch {
		case !ok:
			return "no P is idle"
		case h != c.P:
			return fmt.Sprintf("pidleget takes the head of the idle list, P%d, not P%d", h, c.P)
		}
		l.ps, l.at = l.ps[:len(l.ps)-1], l.at[:len(l.at)-1]
	case port.Procresize:
		// Destroyed Ps leave the list; a caller whose P is destroyed
		// takes P0, which then runs.
		for k := len(l.ps) - 1; k >= 0; k-- {
			if l.ps[k] >= c.N || c.On >= c.N && l.ps[k] == 0 {
				l.ps = append(l.ps[:k], l.ps[k+1:]...)
				l.at = append(l.at[:k], l.at[k+1:]...)
			}
		}
	}
	return ""
}

// checkCall checks one call made with procs Ps and the clock at clock.
func checkCall(c port.Call, procs, timers int, clock int64) string {
	if !uses(c.Kind, 0).known {
		return fmt.Sprintf("unknown kind %v", c.Kind)
	}
	if c != canonical(c) {
		return fmt.Sprintf("fields unused by %v are set: %+v", c.Kind, c)
	}
	u := uses(c.Kind, c.F.Kind)
	switch {
	case u.on && (c.On < 0 || c.On >= procs):
		return fmt.Sprintf("P%d does not exist (%d Ps)", c.On, procs)
	case u.p && (c.P < 0 || c.P >= procs):
		return fmt.Sprintf("P%d does not exist (%d Ps)", c.P, procs)
	case u.t && (c.T < 0 || c.T >= timers):
		return fmt.Sprintf("timer t%d does not exist (%d timers)", c.T, timers)
	case u.g && (c.G < 0 || c.G >= port.MaxGs):
		return fmt.Sprintf("goroutine g%d does not exist (%d goroutines)", c.G, port.MaxGs)
	case u.n && (c.N < 1 || c.N > port.MaxProcs):
		return fmt.Sprintf("procresize(%d) not in 1..%d", c.N, port.MaxProcs)
	case u.f && c.F.Kind > port.FuncDeadline:
		return fmt.Sprintf("unknown func kind %d", c.F.Kind)
	case c.Kind == port.StartTimer && c.F.Kind == port.FuncDeadline:
		return "deadline(...) is netpoll's timer function: only netpoll's modtimer installs it"
	case u.target && (c.F.Target < 0 || c.F.Target >= timers):
		return fmt.Sprintf("f target t%d does not exist (%d timers)", c.F.Target, timers)
	case c.Kind == port.Advance && c.When < 0:
		return fmt.Sprintf("advance(%d) is negative", c.When)
	case c.Kind == port.Advance && c.When > maxClock-clock:
		return fmt.Sprintf("advance(%d) moves the clock (%d) past maxWhen-1", c.When, clock)
	}
	return ""
}

// fields says which Call fields a kind uses.
type fields struct {
	known                bool
	on, t, g, p, n       bool
	when, period, f, seq bool
	target, fwhen        bool // of F, for the call's F.Kind
}

// uses returns the fields that calls of kind k with a function of kind fk
// use: usesOf's answer, from a table for the kinds Decode makes (it asks
// two or three times per op of every fuzz input).
func uses(k port.Kind, fk port.FuncKind) fields {
	if int(k) < len(usesTable) && int(fk) < len(usesTable[k]) {
		return usesTable[k][fk]
	}
	return usesOf(k, fk)
}

// usesTable[k][fk] is usesOf(k, fk), for every Kind up to Advance and
// FuncKind up to FuncDeadline.
var usesTable = func() (t [port.Advance + 1][port.FuncDeadline + 1]fields) {
	for k := range t {
		for fk := range t[k] {
			t[k][fk] = usesOf(port.Kind(k), port.FuncKind(fk))
		}
	}
	return
}()

func usesOf(k port.Kind, fk port.FuncKind) fields {
	u := fields{known: true, on: true}
	switch k {
	case port.StartTimer, port.Modtimer:
		u.t, u.when, u.period, u.f, u.seq = true, true, true, true, true
		u.target = fk == port.FuncStop || fk == port.FuncReset
		u.fwhen = fk == port.FuncReset
	case port.StopTimer:
		u.t = true
	case port.ResetTimer:
		u.t, u.when = true, true
	case port.ModTimer:
		u.t, u.when, u.period = true, true, true
	case port.Sleep:
		u.g, u.when = true, true
	case port.CheckTimers:
		u.p = true
	case port.Procresize:
		u.n = true
	case port.Pidleput, port.Pidleget, port.NobarrierWakeTime:
		u.on, u.p = false, true
	case port.TimeSleepUntil, port.Advance:
		u.on, u.when = false, k == port.Advance
	default:
		return fields{}
	}
	return u
}

// canonical returns c with the fields its kind does not use set to zero.
func canonical(c port.Call) port.Call {
	u := uses(c.Kind, c.F.Kind)
	var d port.Call
	d.Kind = c.Kind
	if u.on {
		d.On = c.On
	}
	if u.t {
		d.T = c.T
	}
	if u.g {
		d.G = c.G
	}
	if u.p {
		d.P = c.P
	}
	if u.n {
		d.N = c.N
	}
	if u.when {
		d.When = c.When
	}
	if u.period {
		d.Period = c.Period
	}
	if u.f {
		d.F.Kind, d.F.Arg = c.F.Kind, c.F.Arg
	}
	if u.target {
		d.F.Target = c.F.Target
	}
	if u.fwhen {
		d.F.When = c.F.When
	}
	if u.seq {
		d.Seq = c.Seq
	}
	return d
}
