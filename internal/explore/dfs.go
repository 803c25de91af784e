package explore

import (
	"fmt"
	"slices"

	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// point is one choice point of a run: which M runs, or (a move point)
// whether the running goroutine moves to an idle P.
type point struct {
	runnable []int // the IDs of the Ms that could run, ascending; for a move point, sim.MigrateMark+p for each idle P
	cur      int   // the ID of the M that was running and could go on, or -1
	chosen   int   // the ID of the M that ran; for a move point, noMove or sim.MigrateMark+p
	move     bool  // a move point
	fine     int   // the steps (sim.Steps.Done) that had ended when the point was reached
}

// noMove is a move point's default: the goroutine stays on its P.
const noMove = -1

// guided is the Chooser of one run: it follows prefix, then the default
// (the running M if it can go on, else the lowest runnable M), and records
// every choice point.
type guided struct {
	prefix []int
	points []point
	left   int        // the first choice point where prefix named an M that could not run; -1 if none
	steps  *sim.Steps // every step's footprint, for the sleep sets; nil without them
	// ids backs the points' runnable slices, one allocation for many
	// points: a point's slice is capped, so later appends never write
	// into it.
	ids  []int
	hint int // the most points a run of the search has had

	// Past the prefix, with the reduction: the sleep set (rule 7) the
	// run carries, woken by every step since the prefix's last point,
	// so that a new choice point runs an M that is not asleep.
	sleep   []sleeper
	woke    int  // the steps the sleep set has been woken by
	carried bool // sleep and woke are set
	// bounded: a bounded search; a new choice point takes an M that is
	// awake only where the switch is free.
	bounded bool

	// cut: the World cut the run at a spin (sim.SpinCutter, rule 9)
	// when cutAt steps had ended.
	cut   bool
	cutAt int
}

// cutRun records that the World cut the run (sim.SpinCutter); guided
// itself is no SpinCutter, so that only the reduced search cuts.
func (g *guided) cutRun() { g.cut, g.cutAt = true, g.fine() }

// ChoicesHint implements sim.ChoicesHinter: every choice recorded is at
// a point, and the runs of a search are about as long as its longest.
func (g *guided) ChoicesHint() int { return g.hint }

// noRescue is the runnable list of every rescue point (read only).
var noRescue = []int{sim.NoRescueMark}

// runnableOf appends the IDs of ms to g.ids and returns them.
func (g *guided) runnableOf(n int, id func(i int) int) []int {
	start := len(g.ids)
	for i := range n {
		g.ids = append(g.ids, id(i))
	}
	return g.ids[start:len(g.ids):len(g.ids)]
}

// trackingGuided is a guided that asks the World for every step's
// footprint (sim.StepTracker).
type trackingGuided struct{ *guided }

func (g trackingGuided) TrackSteps() *sim.Steps { return g.steps }

// stayingGuided is a guided that never preempts a goroutine at a safe
// point: it is no sim.Migrator, so the World offers no preemption there
// (and the step that ends at one is not global). The unbounded search
// with no moves allowed runs with it.
type stayingGuided struct{ g *guided }

func (s stayingGuided) Choose(runnable []*sim.M, cur int) int { return s.g.Choose(runnable, cur) }
func (s stayingGuided) Rescue(m *sim.M, what string) bool     { return s.g.Rescue(m, what) }
func (s stayingGuided) ChoicesHint() int                      { return s.g.ChoicesHint() }
func (s stayingGuided) TrackSteps() *sim.Steps                { return s.g.steps }

// trackingCutter and stayingCutter are the Choosers of the reduced
// unbounded search: they cut spins (sim.SpinCutter, rule 9).
type (
	trackingCutter struct{ trackingGuided }
	stayingCutter  struct{ stayingGuided }
)

func (c trackingCutter) Cut() { c.guided.cutRun() }
func (c stayingCutter) Cut()  { c.g.cutRun() }

// fine is the number of steps ended so far.
func (g *guided) fine() int {
	if g.steps == nil {
		return 0
	}
	return len(g.steps.Done)
}

// Migrate implements sim.Migrator: a move point whose default is not to
// preempt; each option (preempted in place, or resuming on the head of
// the idle list) is an alternative that costs one preemption.
func (g *guided) Migrate(m *sim.M, options []int) int {
	d := len(g.points)
	p := point{cur: m.ID, chosen: noMove, move: true, fine: g.fine()}
	p.runnable = g.runnableOf(len(options), func(i int) int { return sim.MigrateMark + options[i] })
	k := -1
	if d < len(g.prefix) && g.prefix[d] != noMove {
		k = slices.Index(p.runnable, g.prefix[d])
		if k < 0 && g.left < 0 {
			g.left = d
		}
		if k >= 0 {
			p.chosen = p.runnable[k]
		}
	}
	g.points = append(g.points, p)
	return k
}

// Rescue implements sim.Rescuer: a move point whose default is that the
// rescue happens; the schedule where it does not (another M spinning)
// is an alternative that costs one preemption.
func (g *guided) Rescue(m *sim.M, what string) bool {
	d := len(g.points)
	p := point{cur: m.ID, chosen: noMove, move: true, runnable: noRescue, fine: g.fine()}
	missed := d < len(g.prefix) && g.prefix[d] == sim.NoRescueMark
	if missed {
		p.chosen = sim.NoRescueMark
	}
	g.points = append(g.points, p)
	return !missed
}

func (g *guided) Choose(runnable []*sim.M, cur int) int {
	d := len(g.points)
	p := point{runnable: g.runnableOf(len(runnable), func(i int) int { return runnable[i].ID }), cur: -1, fine: g.fine()}
	if cur >= 0 {
		p.cur = runnable[cur].ID
	}
	i := cur
	if cur < 0 {
		i = 0
	}
	if d < len(g.prefix) {
		j := slices.Index(p.runnable, g.prefix[d])
		if j < 0 && g.left < 0 {
			g.left = d
		}
		if j >= 0 {
			i = j
		}
	} else if g.steps != nil && (!g.bounded || cur < 0) {
		i = g.awake(p.runnable, i)
	}
	p.chosen = p.runnable[i]
	g.points = append(g.points, p)
	return i
}

// awake returns the index in runnable of the M to run at a new choice
// point: i (the default) unless its next step is asleep, else the first
// M whose next step is not; if every one's is, the run can reach only
// traces explored already (Abdulla et al.'s sleep-set-blocked run: see
// sleepSets), and it goes on with i.
func (g *guided) awake(runnable []int, i int) int {
	if !g.carried {
		// The first new point: the sleep set starts as the one at the
		// prefix's last point (with its choices tried), woken from
		// there; a move there empties it (sleepSets does the same).
		g.carried = true
		if n := len(g.prefix); n > 0 {
			last := &g.points[n-1]
			g.woke = last.fine
			if last.move && last.chosen != noMove {
				g.sleep = nil
			}
		}
	}
	for ; g.woke < len(g.steps.Done); g.woke++ {
		if len(g.sleep) == 0 {
			g.woke = len(g.steps.Done)
			break
		}
		g.sleep = wake(g.sleep, &g.steps.Done[g.woke])
	}
	if !asleep(g.sleep, runnable[i]) {
		return i
	}
	for j, m := range runnable {
		if !asleep(g.sleep, m) {
			return j
		}
	}
	return i
}

// explorer is one Explore call.
type explorer struct {
	impl    port.Impl
	cfg     port.Config
	setup   []port.Call
	threads []port.Thread
	opt     Options
	// reduce: the unbounded mode's partial-order reduction, rule 8's
	// races with rule 7's sleep sets, on the footprint of every step.
	reduce bool
	// boundedSleep: the bounded search's sleep sets (BoundedSleep).
	boundedSleep bool
	unfair       bool      // a run took the FairSlice switch, which the relation does not cover
	key          []byte    // the last run's Outcome Key
	points       []point   // the last run's choice points, whose memory the next run takes
	steps        sim.Steps // the steps of the last run, whose memory the next run takes (reduce)
	hb           hb        // the last run's happens-before order, whose memory the next run takes
	names        callNames // the strings of the program's calls

	// For tests: record every run's events and pass its trace to observe;
	// pass every run's happens-before order to onRun (in a bounded
	// search too: its runs then record their footprints, for
	// measurements).
	observe func(tr *run.ConcTrace)
	onRun   func(h *hb, blocked bool)

	res      *Result
	outcomes map[string]int // Key -> index in res.Outcomes
	findings map[string]int // kind + text + signature -> index in res.Findings
}

// node is a choice point on the path of the search: the point as the
// run that reached it first saw it, and what the search has done and
// still has to do there.
type node struct {
	point
	pre int // the cost (preemptions, or moves in the unbounded mode) of the path up to the point
	// all: every Ms that can run (every option, at a move point) is an
	// alternative, tried in order from runnable[next]; first is the
	// choice of the run that reached the point. Otherwise (the races of
	// rule 8) the alternatives are todo, in the order asked for.
	all   bool
	next  int
	first int
	todo  []int
	done  []int // with the reduction: the choices run (or being run) from here
	sleep []sleeper
	taken []sleeper // the first steps of the choices run, for the later siblings' sleep sets
}

// pop returns the node's next alternative, if any.
func (n *node) pop() (int, bool) {
	if n.all {
		for n.next < len(n.runnable) {
			m := n.runnable[n.next]
			n.next++
			if m != n.first {
				return m, true
			}
		}
		return 0, false
	}
	if len(n.todo) == 0 {
		return 0, false
	}
	m := n.todo[0]
	n.todo = n.todo[1:]
	return m, true
}

func (n *node) cost(m int, bound int) int {
	switch {
	case n.move && m == noMove:
		return n.pre
	case bound < 0 && n.move:
		return n.pre + 1
	case bound < 0:
		return n.pre
	case n.move || n.cur >= 0 && m != n.cur:
		return n.pre + 1 // a switch away from a running M, or a move
	}
	return n.pre
}

// ask adds m to the node's alternatives unless it is run or asked for
// already.
func (n *node) ask(m int) {
	if !slices.Contains(n.done, m) && !slices.Contains(n.todo, m) {
		n.todo = append(n.todo, m)
	}
}

// search is the depth-first search over schedules by re-execution: run a
// prefix (the default past it), extend the path by the run's new choice
// points, let the run's races ask for alternatives (rule 8), then take the
// deepest alternative left that is within the bound and not asleep.
//
// Without reduction every choice point asks for all its alternatives,
// and the order is that of a recursive search that runs, past a prefix,
// every alternative at the deepest point first: each schedule once.
func (e *explorer) search() error {
	var path []node
	var prefix []int
	var cand []sleeper
	for {
		if e.opt.Max > 0 && e.res.Schedules+e.res.Cut >= e.opt.Max {
			e.res.Complete = false
			return nil
		}
		pts, steps, ended, err := e.run(prefix, cand)
		if err != nil {
			return err
		}
		var zs [][]sleeper
		if d := len(prefix) - 1; d >= 0 && (e.reduce || e.boundedSleep) {
			if f := stepAt(steps, &pts[d], prefix[d]); f != nil && (e.reduce || costFree(pts, steps, d)) {
				n := &path[d]
				n.taken = append(n.taken, sleeper{prefix[d], *f})
			}
		}
		blocked := false
		if e.boundedSleep {
			zs, _ = sleepSets(pts, steps, len(prefix), cand, true)
		} else if e.reduce {
			// From a sleeping step on, the run only repeats traces: as
			// Abdulla et al.'s Explore returns at a state where every
			// enabled process is asleep, the search keeps the run up to
			// there, for its races and its choice points.
			var k int
			zs, k = sleepSets(pts, steps, len(prefix), cand, false)
			if k >= 0 {
				blocked = true
				e.res.Blocked++
				steps, ended, pts = steps[:k], false, pts[:len(zs)]
			}
		}
		pre := 0
		if d := len(prefix) - 1; d >= 0 {
			pre = path[d].cost(prefix[d], e.opt.Bound)
		}
		for d := len(prefix); d < len(pts); d++ {
			path = append(path, node{point: pts[d], pre: pre, first: pts[d].chosen, all: pts[d].move || !e.reduce})
			n := &path[d]
			if e.reduce {
				n.done = []int{n.chosen}
			}
			if e.reduce || e.boundedSleep {
				n.sleep = zs[d]
				// With a bound, only a cost-free step sleeps (rule 3).
				if f := stepAt(steps, &n.point, n.chosen); f != nil && !n.move && (e.reduce || costFree(pts, steps, d)) {
					n.taken = []sleeper{{n.chosen, *f}}
				}
			}
			pre = n.cost(n.chosen, e.opt.Bound)
		}
		if e.reduce {
			e.backtrack(path, pts, steps, ended)
		} else if e.onRun != nil {
			e.hb.reset(steps)
		}
		if e.onRun != nil {
			e.onRun(&e.hb, blocked)
		}
		// The deepest alternative left.
		found := false
		for d := len(path) - 1; d >= 0 && !found; d-- {
			n := &path[d]
			for {
				m, ok := n.pop()
				if !ok {
					break
				}
				if c := n.cost(m, e.opt.Bound); c > e.opt.Bound && e.opt.Bound >= 0 || e.opt.Bound < 0 && n.move && c > e.opt.Moves {
					continue
				}
				if (e.reduce || e.boundedSleep) && !n.move && asleep(n.sleep, m) {
					e.res.Slept++
					continue
				}
				if e.reduce {
					n.done = append(n.done, m)
				}
				n.chosen = m
				e.prune(path[d+1:])
				path = path[:d+1]
				prefix = make([]int, d+1)
				for i := range path {
					prefix[i] = path[i].chosen
				}
				cand = nil
				if (e.reduce || e.boundedSleep) && !n.move {
					cand = append(slices.Clone(n.sleep), n.taken...)
				}
				found = true
				break
			}
		}
		if !found {
			e.prune(path)
			return nil
		}
	}
}

// prune counts, for nodes the search leaves for good, the Ms that could
// run there and that the partial-order reduction never ran.
func (e *explorer) prune(nodes []node) {
	if !e.reduce {
		return
	}
	for i := range nodes {
		if n := &nodes[i]; !n.move {
			e.res.Pruned += len(n.runnable) - len(n.done)
		}
	}
}

// backtrack asks, at the choice points of path (the run's), for the
// alternatives that reverse each race of the run (rule 8): at the point
// before the race's first step, an M that can start the reversed
// schedule (an initial, unless one is run or asked for there already;
// if none can run there, every M that can). A run that
// ended early (a throw, a hang) asks, at its last choice point, for every
// M that could run there: their pending steps never ran, so the run says
// nothing about their dependence.
func (e *explorer) backtrack(path []node, pts []point, steps []sim.Footprint, ended bool) {
	// head[d] is the first of the choice points that share point d's
	// state: no step ended between them and no move was made (a safe
	// point where the goroutine stayed, then the choice of the M to run
	// again). An alternative is asked for there.
	head := make([]int, len(pts))
	for d := range pts {
		head[d] = d
		if d > 0 && pts[d-1].fine == pts[d].fine && (!pts[d-1].move || pts[d-1].chosen == noMove) {
			head[d] = head[d-1]
			if pts[head[d]].move {
				head[d] = d
			}
		}
	}
	before := make([]int, len(steps)) // the choice point heading the ones right before each step, or -1
	for i := range before {
		before[i] = -1
	}
	for d := range pts {
		if p := &pts[d]; !p.move && stepAt(steps, p, p.chosen) != nil {
			before[p.fine] = head[d]
		}
	}
	ask := func(d, m int) {
		n := &path[d]
		if !slices.Contains(n.runnable, m) {
			for _, q := range n.runnable {
				n.ask(q)
			}
		} else {
			n.ask(m)
		}
	}
	h := &e.hb
	h.reset(steps)
	h.races(func(i, j int) {
		d := before[i]
		if d < 0 {
			return
		}
		n := &path[d]
		for _, m := range n.done {
			if h.initial(i, j, m) {
				return
			}
		}
		for _, m := range n.todo {
			if h.initial(i, j, m) {
				return
			}
		}
		q := steps[j].M
		if h.initial(i, j, q) {
			ask(d, q)
			return
		}
		for _, m := range n.runnable {
			if h.initial(i, j, m) {
				ask(d, m)
				return
			}
		}
		for _, m := range n.runnable {
			ask(d, m)
		}
	})
	if ended {
		for d := len(pts) - 1; d >= 0; d-- {
			if !pts[d].move {
				for _, m := range pts[d].runnable {
					ask(d, m)
				}
				break
			}
		}
	}
}

// sleeper is an entry of a sleep set: M m's next step, which a sibling
// schedule already took first, and its footprint.
type sleeper struct {
	m  int
	fp sim.Footprint
}

func asleep(z []sleeper, m int) bool {
	for _, s := range z {
		if s.m == m {
			return true
		}
	}
	return false
}

// wake keeps the entries of z that step f does not depend on.
func wake(z []sleeper, f *sim.Footprint) []sleeper {
	var out []sleeper
	for _, s := range z {
		if !s.fp.Dependent(f) {
			out = append(out, s)
		}
	}
	return out
}

// sleepSets returns, for every choice point of a run past its prefix,
// the sleep set there: cand (the sleep set at the prefix's last point,
// with the steps already tried there) woken by every step the run took
// since, emptied by a preemption (a move point that moved). It also
// returns the index of the first of those steps that an M took while it
// was asleep, or -1: there every M that could run was asleep, at a
// choice point (awake found none awake) or where only one M could run;
// the sleep sets are then those of the choice points before that step.
func sleepSets(pts []point, steps []sim.Footprint, prefix int, cand []sleeper, goOn bool) ([][]sleeper, int) {
	zs := make([][]sleeper, len(pts))
	z, fi := cand, 0
	if prefix > 0 {
		fi = pts[prefix-1].fine
		if pts[prefix-1].move && pts[prefix-1].chosen != noMove {
			z = nil
		}
	}
	blocked := func(k int) ([][]sleeper, int) {
		n := prefix
		for n < len(pts) && pts[n].fine < k {
			n++
		}
		return zs[:n], k
	}
	for j := prefix; j < len(pts); j++ {
		for ; fi < pts[j].fine && fi < len(steps); fi++ {
			if !goOn && asleep(z, steps[fi].M) {
				return blocked(fi)
			}
			z = wake(z, &steps[fi])
		}
		zs[j] = z
		if pts[j].move && pts[j].chosen != noMove {
			z = nil
		}
	}
	for ; fi < len(steps) && len(z) > 0; fi++ {
		if !goOn && asleep(z, steps[fi].M) {
			return blocked(fi)
		}
		z = wake(z, &steps[fi])
	}
	return zs, -1
}

// stepAt returns the footprint of the step that M m took right after
// point p, or nil if the run did not record it so.
func stepAt(steps []sim.Footprint, p *point, m int) *sim.Footprint {
	if p.move || p.fine >= len(steps) || steps[p.fine].M != m {
		return nil
	}
	return &steps[p.fine]
}

// run runs one schedule and records what it reached.
// It also reports whether the run ended early (a throw or a hang).
func (e *explorer) run(prefix []int, cand []sleeper) ([]point, []sim.Footprint, bool, error) {
	// The points' memory serves run after run (the path's nodes copy
	// them); their runnable slices, in ids, are the path's: fresh.
	ch := &guided{prefix: prefix, left: -1, hint: e.res.Points, points: e.points[:0], bounded: e.opt.Bound >= 0}
	defer func() { e.points = ch.points }()
	var chooser sim.Chooser = ch
	if e.reduce || e.boundedSleep || e.onRun != nil {
		// The sleepers keep copies of the footprints they need, never a
		// pointer into the last run's steps.
		e.steps.Reset()
		ch.steps = &e.steps
		chooser = trackingGuided{ch}
		ch.sleep = cand
	}
	if e.opt.Bound < 0 && e.opt.Moves <= 0 {
		chooser = stayingGuided{ch}
	}
	if e.reduce && !e.opt.NoSpinCut {
		switch c := chooser.(type) {
		case trackingGuided:
			chooser = trackingCutter{c}
		case stayingGuided:
			chooser = stayingCutter{c}
		}
	}
	tr := run.Concurrent(e.impl, e.cfg, e.setup, e.threads, chooser, e.observe != nil)
	if tr.Err != "" {
		return nil, nil, false, fmt.Errorf("explore: %s: the threads were refused: %s", e.impl.Name(), tr.Err)
	}
	if ch.left >= 0 || len(ch.points) < len(prefix) {
		return nil, nil, false, fmt.Errorf("%w: %s, prefix %s", ErrNondeterministic, e.impl.Name(), sched.Schedule(prefix).Line())
	}
	r := e.res
	if ch.cut {
		// Not a schedule of the program (rule 9): only its steps up
		// to the cut, for the races and the sleep sets.
		r.Cut++
		return ch.points, ch.steps.Done[:ch.cutAt], false, nil
	}
	if e.observe != nil {
		e.observe(&tr)
	}
	if e.opt.Visit != nil {
		e.opt.Visit(&tr)
	}
	r.Schedules++
	r.Points = max(r.Points, len(ch.points))
	s := sched.Schedule(tr.Choices)
	// The Key in a buffer of the explorer's, made from the trace: the
	// map lookup of string(e.key) makes no string, and most runs reach a
	// known outcome, which need not be made.
	e.key = appendTraceKey(e.key[:0], &tr, e.names)
	if i, ok := e.outcomes[string(e.key)]; ok {
		r.Outcomes[i].Count++
	} else {
		o := abstract(&tr)
		e.outcomes[string(e.key)] = len(r.Outcomes)
		r.Outcomes = append(r.Outcomes, Reached{Outcome: o, Witness: s, Preemptions: tr.Preemptions, Count: 1})
	}
	for _, p := range oracle.Of(&tr) {
		k := findingKey(p)
		if i, ok := e.findings[k]; ok {
			r.Findings[i].Count++
			continue
		}
		e.findings[k] = len(r.Findings)
		r.Findings = append(r.Findings, Finding{Problem: p, Witness: s, Count: 1})
	}
	if e.opt.Progress != nil {
		e.opt.Progress(r.Impl, r.Schedules, len(r.Outcomes))
	}
	var steps []sim.Footprint
	if ch.steps != nil {
		steps = ch.steps.Done
		if ch.steps.Unfair > 0 && (e.reduce || e.boundedSleep) {
			e.unfair = true
		}
	}
	return ch.points, steps, tr.Ended(), nil
}

// costFree reports whether the step that the M chosen at point d took
// there may sleep, with a bound, for the later choices at d (rule 3):
// whether a schedule that runs it later costs at least as many
// preemptions as the equivalent one that runs it first at d. So it does
// when that M was d's running M (the later choice paid a preemption at d
// that running it first does not, and running it first pays at most
// one, after it), or when its step stopped its M (it blocked, spun or
// finished: switching away from it after the step is free). The run that
// took the step went on past d by default, with no move.
func costFree(pts []point, steps []sim.Footprint, d int) bool {
	p := &pts[d]
	if p.chosen == p.cur {
		return true
	}
	m, fi := p.chosen, p.fine
	if fi+1 >= len(steps) || steps[fi+1].M == m {
		return false // the run ended there, or the M went on
	}
	for j := d + 1; j < len(pts) && pts[j].fine <= fi+1; j++ {
		if q := &pts[j]; q.fine == fi+1 && !q.move && slices.Contains(q.runnable, m) {
			return false // it could have gone on
		}
	}
	return true
}
