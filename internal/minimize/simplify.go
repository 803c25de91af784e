package minimize

import (
	"slices"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
)

// A site is one thing that can be simplified: the program's header, or one
// field of one op. Sites are numbered: the program sites first, then
// opFields sites per op, in op order.
const (
	siteProcs     = iota // fewer Ps
	siteRenumberT        // timers renumbered from 0 in order of first use
	siteTimers           // timer slots cut to the ones used
	siteRenumberG        // sleeping goroutines renumbered likewise
	programSites
)

// The fields of an op, in the order they are simplified.
const (
	fieldT = iota
	fieldG
	fieldOn
	fieldP
	fieldN
	fieldWhen
	fieldPeriod
	fieldF // back to fire(aT)
	fieldArg
	fieldTarget
	fieldFWhen
	fieldSeq
	opFields
)

func sites(p ops.Program) int { return programSites + opFields*len(p.Ops) }

// candidates returns the simplifications of site s of p, simplest first.
// Each is strictly simpler than p at that site; some may be invalid.
func candidates(p ops.Program, s int) []ops.Program {
	if s < programSites {
		return programCandidates(p, s)
	}
	i, f := (s-programSites)/opFields, (s-programSites)%opFields
	var qs []ops.Program
	for _, c := range callCandidates(p.Ops[i], f, clockAt(p, i)) {
		q := p
		q.Ops = slices.Clone(p.Ops)
		q.Ops[i] = c
		qs = append(qs, q)
	}
	return qs
}

func programCandidates(p ops.Program, s int) []ops.Program {
	var qs []ops.Program
	switch s {
	case siteProcs:
		for _, v := range toward(int64(p.Procs), 1) {
			q := p
			q.Procs = int(v)
			qs = append(qs, q)
		}
	case siteRenumberT:
		if q := renumberTimers(p); !slices.Equal(q.Ops, p.Ops) {
			qs = append(qs, q)
		}
	case siteTimers:
		if used := max(1, timersUsed(p)); used < p.Timers {
			q := p
			q.Timers = used
			qs = append(qs, q)
		}
	case siteRenumberG:
		if q := renumberGoroutines(p); !slices.Equal(q.Ops, p.Ops) {
			qs = append(qs, q)
		}
	}
	return qs
}

// usesF reports whether calls of kind k carry a timer function.
func usesF(k port.Kind) bool { return k == port.StartTimer || k == port.Modtimer }

// usesT reports whether calls of kind k name a timer slot.
func usesT(k port.Kind) bool {
	switch k {
	case port.StartTimer, port.StopTimer, port.ResetTimer, port.ModTimer, port.Modtimer:
		return true
	}
	return false
}

// callCandidates returns the simplifications of field f of c, made when
// the clock reads clock. Fields c's kind does not use are zero, and zero
// is their simplest value, so they yield nothing, except where noted.
func callCandidates(c port.Call, f int, clock int64) []port.Call {
	var cs []port.Call
	each := func(v, target int64, set func(*port.Call, int64)) {
		for _, w := range toward(v, target) {
			d := c
			set(&d, w)
			cs = append(cs, d)
		}
	}
	switch f {
	case fieldT:
		each(int64(c.T), 0, func(d *port.Call, v int64) { d.T = int(v) })
	case fieldG:
		each(int64(c.G), 0, func(d *port.Call, v int64) { d.G = int(v) })
	case fieldOn:
		each(int64(c.On), 0, func(d *port.Call, v int64) { d.On = int(v) })
	case fieldP:
		each(int64(c.P), 0, func(d *port.Call, v int64) { d.P = int(v) })
	case fieldN:
		if c.Kind == port.Procresize {
			each(int64(c.N), 1, func(d *port.Call, v int64) { d.N = int(v) })
		}
	case fieldWhen:
		set := func(d *port.Call, v int64) { d.When = v }
		switch c.Kind {
		case port.Sleep:
			each(c.When, 1, set)
		case port.Advance:
			each(c.When, 0, set)
		case port.StartTimer, port.ResetTimer, port.ModTimer, port.Modtimer:
			each(c.When, clock, set)
		}
	case fieldPeriod:
		each(c.Period, 0, func(d *port.Call, v int64) { d.Period = v })
	case fieldF:
		if usesF(c.Kind) && c.F.Kind != port.FuncFire {
			d := c
			d.F = port.Func{Kind: port.FuncFire, Arg: c.F.Arg}
			cs = append(cs, d)
		}
	case fieldArg:
		if usesF(c.Kind) {
			each(int64(c.F.Arg), int64(c.T), func(d *port.Call, v int64) { d.F.Arg = int(v) })
		}
	case fieldTarget:
		each(int64(c.F.Target), 0, func(d *port.Call, v int64) { d.F.Target = int(v) })
	case fieldFWhen:
		if usesF(c.Kind) && c.F.Kind == port.FuncReset {
			each(c.F.When, clock, func(d *port.Call, v int64) { d.F.When = v })
		}
	case fieldSeq:
		for _, w := range towardUnsigned(uint64(c.Seq)) {
			d := c
			d.Seq = uintptr(w)
			cs = append(cs, d)
		}
	}
	return cs
}

// toward returns values strictly closer to target than v, closest first:
// target itself, halfway, and one step. Nothing if v == target.
func toward(v, target int64) []int64 {
	if v == target {
		return nil
	}
	// The distance may not fit in an int64; it always fits in a uint64.
	var mid, step int64
	if v > target {
		mid = target + int64((uint64(v)-uint64(target))/2)
		step = v - 1
	} else {
		mid = target - int64((uint64(target)-uint64(v))/2)
		step = v + 1
	}
	return dedup([]int64{target, mid, step})
}

func towardUnsigned(v uint64) []uint64 {
	if v == 0 {
		return nil
	}
	return slices.Compact([]uint64{0, v / 2, v - 1})
}

func dedup(vs []int64) []int64 {
	var out []int64
	for _, v := range vs {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// clockAt is the virtual clock when op i of p starts: only advance moves
// it.
func clockAt(p ops.Program, i int) int64 {
	clock := p.Config().Clock
	for _, c := range p.Ops[:i] {
		if c.Kind == port.Advance {
			clock += c.When
		}
	}
	return clock
}

// timersUsed is one more than the highest timer slot p names.
func timersUsed(p ops.Program) int {
	n := 0
	for _, c := range p.Ops {
		if usesT(c.Kind) {
			n = max(n, c.T+1)
		}
		if usesF(c.Kind) && c.F.Kind != port.FuncFire {
			n = max(n, c.F.Target+1)
		}
	}
	return n
}

// renumberTimers renames the timer slots p names to 0, 1, ... in order of
// first use (as a call's timer or as a function's target).
func renumberTimers(p ops.Program) ops.Program {
	next := map[int]int{}
	of := func(t int) int {
		if n, ok := next[t]; ok {
			return n
		}
		next[t] = len(next)
		return next[t]
	}
	q := p
	q.Ops = slices.Clone(p.Ops)
	for i := range q.Ops {
		c := &q.Ops[i]
		if usesT(c.Kind) {
			c.T = of(c.T)
		}
		if usesF(c.Kind) && c.F.Kind != port.FuncFire {
			c.F.Target = of(c.F.Target)
		}
	}
	return q
}

// renumberGoroutines renames the sleeping goroutines to g0, g1, ... in
// order of first use.
func renumberGoroutines(p ops.Program) ops.Program {
	next := map[int]int{}
	q := p
	q.Ops = slices.Clone(p.Ops)
	for i := range q.Ops {
		c := &q.Ops[i]
		if c.Kind != port.Sleep {
			continue
		}
		n, ok := next[c.G]
		if !ok {
			n = len(next)
			next[c.G] = n
		}
		c.G = n
	}
	return q
}
