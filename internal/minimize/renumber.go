package minimize

import (
	"slices"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// renumber gives a concurrent program the smallest names that keep the
// problem: timers (and sleeping goroutines) renumbered from 0 in order of
// first use, the timer count cut to the ones used; then the Ps likewise,
// with the P count cut to the ones used. Each step is kept only if keep
// holds, since names are not neutral in the model: the idle list is kept
// in P order, and a goroutine preempted to an idle P resumes on its head.
func (m *concMinimizer) renumber(p ops.ConcProgram) ops.ConcProgram {
	for _, step := range renumberSteps {
		if q, ok := step(p); ok && !q.Equal(p) && m.test(q) {
			p = q
		}
	}
	return p
}

// renumberSteps are renumber's candidates, in the order it tries them,
// each made from the program as the steps before left it; ok is false
// where a step does not apply.
var renumberSteps = []func(ops.ConcProgram) (ops.ConcProgram, bool){
	always(concTimers), always(concCutTimers), always(concGoroutines),
	concPs, always(concCutPs),
}

func always(f func(ops.ConcProgram) ops.ConcProgram) func(ops.ConcProgram) (ops.ConcProgram, bool) {
	return func(p ops.ConcProgram) (ops.ConcProgram, bool) { return f(p), true }
}

// renumberings returns renumber's candidates made from p alone (for
// ConcNeighbours): those that differ from p.
func renumberings(p ops.ConcProgram) []ops.ConcProgram {
	var qs []ops.ConcProgram
	for _, step := range renumberSteps {
		if q, ok := step(p); ok && !q.Equal(p) {
			qs = append(qs, q)
		}
	}
	return qs
}

// eachCall calls f on every call of q (setup ops, then each thread's
// calls), which it clones first so that p's slices are left alone.
func eachCall(p ops.ConcProgram, f func(c *port.Call)) ops.ConcProgram {
	q := p
	q.Ops = slices.Clone(p.Ops)
	for i := range q.Ops {
		f(&q.Ops[i])
	}
	q.Threads = slices.Clone(p.Threads)
	for i := range q.Threads {
		q.Threads[i].Calls = slices.Clone(q.Threads[i].Calls)
		for k := range q.Threads[i].Calls {
			f(&q.Threads[i].Calls[k])
		}
	}
	return q
}

// firstUse numbers ids from 0 in the order seen.
type firstUse map[int]int

func (n firstUse) of(id int) int {
	if v, ok := n[id]; ok {
		return v
	}
	n[id] = len(n)
	return n[id]
}

// concTimers renumbers the timers from 0 in order of first use and cuts
// the timer count to them; a function's argument that is its own timer's
// number follows it.
func concTimers(p ops.ConcProgram) ops.ConcProgram {
	n := firstUse{}
	q := eachCall(p, func(c *port.Call) {
		if usesT(c.Kind) {
			if usesF(c.Kind) && c.F.Arg == c.T {
				c.F.Arg = n.of(c.T) // fire(aT) names its own timer: it follows
			}
			c.T = n.of(c.T)
		}
		if usesF(c.Kind) && (c.F.Kind == port.FuncStop || c.F.Kind == port.FuncReset) {
			c.F.Target = n.of(c.F.Target)
		}
	})
	q.Timers = max(1, len(n))
	return q
}

// concCutTimers cuts the timer count to the highest timer used, without
// renumbering.
func concCutTimers(p ops.ConcProgram) ops.ConcProgram {
	used := 0
	eachCall(p, func(c *port.Call) {
		if usesT(c.Kind) {
			used = max(used, c.T+1)
		}
		if usesF(c.Kind) && (c.F.Kind == port.FuncStop || c.F.Kind == port.FuncReset) {
			used = max(used, c.F.Target+1)
		}
	})
	q := p
	q.Timers = max(1, used)
	return q
}

// concGoroutines renumbers the sleeping goroutines from 0 in order of
// first use.
func concGoroutines(p ops.ConcProgram) ops.ConcProgram {
	n := firstUse{}
	return eachCall(p, func(c *port.Call) {
		if c.Kind == port.Sleep {
			c.G = n.of(c.G)
		}
	})
}

// onUnused reports whether calls of kind k leave On unused (zero).
func onUnused(k port.Kind) bool {
	switch k {
	case port.Pidleput, port.Pidleget, port.NobarrierWakeTime, port.TimeSleepUntil, port.Advance:
		return true
	}
	return false
}

// usesP reports whether calls of kind k name a target P.
func usesP(k port.Kind) bool {
	switch k {
	case port.CheckTimers, port.Pidleput, port.Pidleget, port.NobarrierWakeTime:
		return true
	}
	return false
}

// concPs renumbers the Ps in order of first use: the setup ops' Ps, the
// threads' Ps, their calls' target Ps, then the Ps the schedule moves
// goroutines to; the Ps nothing names keep their order after those. The
// thread calls' On follows their thread's P. Not with a procresize in the
// setup, which changes the P count midway (ok false).
func concPs(p ops.ConcProgram) (ops.ConcProgram, bool) {
	if slices.ContainsFunc(p.Ops, func(c port.Call) bool { return c.Kind == port.Procresize }) {
		return p, false
	}
	n := firstUse{}
	for _, c := range p.Ops {
		if !onUnused(c.Kind) {
			n.of(c.On)
		}
		if usesP(c.Kind) {
			n.of(c.P)
		}
	}
	for _, th := range p.Threads {
		n.of(th.P)
	}
	for _, th := range p.Threads {
		for _, c := range th.Calls {
			if usesP(c.Kind) {
				n.of(c.P)
			}
		}
	}
	for _, id := range p.Schedule {
		if id >= sim.MigrateMark && id != sim.NoRescueMark {
			n.of(id - sim.MigrateMark)
		}
	}
	for id := range p.Procs {
		n.of(id)
	}
	q := p
	q.Ops = slices.Clone(p.Ops)
	for i := range q.Ops {
		c := &q.Ops[i]
		if !onUnused(c.Kind) {
			c.On = n[c.On]
		}
		if usesP(c.Kind) {
			c.P = n[c.P]
		}
	}
	q.Threads = slices.Clone(p.Threads)
	for i := range q.Threads {
		th := &q.Threads[i]
		th.P = n[th.P]
		th.Calls = slices.Clone(th.Calls)
		for k := range th.Calls {
			c := &th.Calls[k]
			c.On = th.P
			if usesP(c.Kind) {
				c.P = n[c.P]
			}
		}
	}
	q.Schedule = slices.Clone(p.Schedule)
	for i, id := range q.Schedule {
		if id >= sim.MigrateMark && id != sim.NoRescueMark {
			q.Schedule[i] = sim.MigrateMark + n[id-sim.MigrateMark]
		}
	}
	return q, true
}

// concCutPs cuts the P count to the highest P named (at least the
// threads' count), without renumbering.
func concCutPs(p ops.ConcProgram) ops.ConcProgram {
	used := len(p.Threads)
	eachCall(p, func(c *port.Call) {
		if !onUnused(c.Kind) {
			used = max(used, c.On+1)
		}
		if usesP(c.Kind) {
			used = max(used, c.P+1)
		}
	})
	for _, th := range p.Threads {
		used = max(used, th.P+1)
	}
	for _, id := range p.Schedule {
		if id >= sim.MigrateMark && id != sim.NoRescueMark {
			used = max(used, id-sim.MigrateMark+1)
		}
	}
	q := p
	q.Procs = used
	return q
}
