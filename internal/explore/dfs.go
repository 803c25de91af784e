package explore

import (
	"fmt"
	"runtime"
	"slices"
	"strings"

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
	local    bool  // cur was about to make an M-local step (see localStep)
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
	left   int // the first choice point where prefix named an M that could not run; -1 if none
	local  *localStep
	steps  *sim.Steps // every step's footprint, for the sleep sets; nil without them
	// ids backs the points' runnable slices, one allocation for many
	// points: a point's slice is capped, so later appends never write
	// into it.
	ids  []int
	hint int // the most points a run of the search has had
}

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
		p.local = g.local != nil && g.local.at()
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
	}
	p.chosen = p.runnable[i]
	g.points = append(g.points, p)
	return i
}

// localStep tells, from the stack of the running M's goroutine (the
// Chooser is called on it from sim.Conc.Step), whether the primitive it
// is about to make is M-local: sim.World.Prim, which the ports call only
// from acquirem and releasem, whose only effect is on m.locks. No other
// M reads m.locks, and a Prim neither writes a shared word nor releases a
// lock, so it changes no M's runnability. The answer depends only on the
// innermost frames, cached by their PCs.
type localStep struct {
	cache map[[localFrames]uintptr]bool
}

// localFrames is enough PCs to reach sim.World.Prim from localStep.at:
// at, Choose, (trackingGuided.Choose,) Conc.pick, Conc.choosePreempt,
// Conc.Step, World.Step, World.Prim, fewer with
// inlining.
const localFrames = 10

func (l *localStep) at() bool {
	var pcs [localFrames]uintptr
	n := runtime.Callers(2, pcs[:])
	if v, ok := l.cache[pcs]; ok {
		return v
	}
	frames := runtime.CallersFrames(pcs[:n])
	local := false
	for {
		f, more := frames.Next()
		if strings.HasSuffix(f.Function, "/internal/sim.(*World).Prim") {
			local = true
			break
		}
		if !more {
			break
		}
	}
	l.cache[pcs] = local
	return local
}

// explorer is one Explore call.
type explorer struct {
	impl    port.Impl
	cfg     port.Config
	setup   []port.Call
	threads []port.Thread
	opt     Options
	local   *localStep
	sleep   bool      // sleep sets (unbounded, reduced search)
	unfair  bool      // a run took the FairSlice switch, which the relation does not cover
	free    []*runBuf // the runBufs no dfs frame uses
	key     []byte    // the last run's Outcome Key
	names   callNames // the strings of the program's calls

	// For tests: record every run's events and pass its trace to observe.
	observe func(tr *run.ConcTrace)

	res      *Result
	outcomes map[string]int // Key -> index in res.Outcomes
	findings map[string]int // kind + what -> index in res.Findings
}

// search is the depth-first search over schedules: the run of the empty
// prefix, then recursively every alternative its choice points allow.
func (e *explorer) search() error {
	// Rule 3 (M-local steps) is dropped: TestReductionSoundCorpus showed
	// it losing an outcome (corpus/concurrent/
	// restart_after_steal_shared_throw.ops, bound 1). Set e.local to
	// bring it back once its argument is mended.
	_, _, err := e.dfs(nil, 0, nil)
	return err
}

// reachesNext reports whether the run reached a choice point after d
// that is not a move: rule 3 holds only then. A run that ends right after
// d's M-local step (its M throws, which aborts the run) has no later
// point where the switch could be made instead.
func reachesNext(pts []point, d int) bool {
	for j := d + 1; j < len(pts); j++ {
		if !pts[j].move {
			return true
		}
	}
	return false
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
// since, emptied by a preemption (a move point that moved).
func sleepSets(pts []point, steps []sim.Footprint, prefix int, cand []sleeper) [][]sleeper {
	zs := make([][]sleeper, len(pts))
	z, fi := cand, 0
	if prefix > 0 {
		fi = pts[prefix-1].fine
		if pts[prefix-1].move && pts[prefix-1].chosen != noMove {
			z = nil
		}
	}
	for j := prefix; j < len(pts); j++ {
		for ; fi < pts[j].fine && fi < len(steps); fi++ {
			z = wake(z, &steps[fi])
		}
		zs[j] = z
		if pts[j].move && pts[j].chosen != noMove {
			z = nil
		}
	}
	return zs
}

// stepAt returns the footprint of the step that M m took right after
// point p, or nil if the run did not record it so.
func stepAt(steps []sim.Footprint, p *point, m int) *sim.Footprint {
	if p.move || p.fine >= len(steps) || steps[p.fine].M != m {
		return nil
	}
	return &steps[p.fine]
}

// dfs runs prefix, which has pre preemptions, then
// tries every alternative at the choice points past the prefix, deepest
// first. It reports false when Max stopped the search.
//
// Every schedule is run exactly once: a run explores, past its prefix, the
// default choice at each point, and spawns one child per other choice; a
// child branches only past its own prefix.
//
// With sleep sets (rule 7 of the package doc), cand is the sleep set at
// the prefix's last point together with the steps already tried there;
// dfs returns the footprint of the step its prefix's last choice made,
// for its later siblings' sleep sets.
func (e *explorer) dfs(prefix []int, pre int, cand []sleeper) (bool, *sim.Footprint, error) {
	if e.opt.Max > 0 && e.res.Schedules >= e.opt.Max {
		e.res.Complete = false
		return false, nil, nil
	}
	buf, steps, err := e.run(prefix)
	if err != nil {
		return false, nil, err
	}
	// The children copy what they need of pts: once they have run, its
	// memory serves the next run.
	defer func() { e.free = append(e.free, buf) }()
	pts := buf.points
	var first *sim.Footprint
	var zs [][]sleeper
	if e.sleep {
		if d := len(prefix) - 1; d >= 0 {
			if f := stepAt(steps, &pts[d], prefix[d]); f != nil {
				c := *f
				first = &c
			}
		}
		zs = sleepSets(pts, steps, len(prefix), cand)
	}
	// The default choices past the prefix cost nothing.
	for d := len(pts) - 1; d >= len(prefix); d-- {
		p := &pts[d]
		if p.local && e.local != nil && reachesNext(pts, d) {
			e.res.Pruned++
			continue
		}
		// The steps tried first at d, asleep in the later siblings'
		// subtrees when independent of their first step.
		var done []sleeper
		if e.sleep && !p.move {
			if f := stepAt(steps, p, p.chosen); f != nil {
				done = append(done, sleeper{p.chosen, *f})
			}
		}
		for _, alt := range p.runnable {
			if alt == p.chosen {
				continue
			}
			cost := pre
			switch {
			case e.opt.Bound < 0 && p.move:
				// Unbounded: only the moves count, against Moves (a
				// goroutine can be preempted again and again at one
				// safe point, each time spawning a scheduler M).
				if cost++; cost > e.opt.Moves {
					continue
				}
			case e.opt.Bound < 0:
			case p.move || p.cur >= 0 && alt != p.cur:
				cost++ // a switch away from a running M, or a move
				if cost > e.opt.Bound {
					continue
				}
			}
			var childCand []sleeper
			if e.sleep && !p.move {
				if asleep(zs[d], alt) {
					e.res.Slept++
					continue
				}
				childCand = append(slices.Clone(zs[d]), done...)
			}
			child := make([]int, d+1)
			for i := range d {
				child[i] = pts[i].chosen
			}
			child[d] = alt
			ok, f, err := e.dfs(child, cost, childCand)
			if !ok || err != nil {
				return ok, nil, err
			}
			if e.sleep && !p.move && f != nil {
				done = append(done, sleeper{alt, *f})
			}
		}
	}
	return true, first, nil
}

// runBuf is the memory of one run's choice points (guided.points and
// guided.ids), kept for the next run once the dfs frame that explored
// them has returned: only as many are live as frames.
type runBuf struct {
	points []point
	ids    []int
}

// run runs one schedule and records what it reached, in a runBuf that the
// caller hands back to e.free when done with it.
func (e *explorer) run(prefix []int) (*runBuf, []sim.Footprint, error) {
	var buf *runBuf
	if n := len(e.free); n > 0 {
		buf, e.free = e.free[n-1], e.free[:n-1]
	} else {
		buf = new(runBuf)
	}
	ch := &guided{prefix: prefix, left: -1, local: e.local, points: buf.points[:0], ids: buf.ids[:0], hint: e.res.Points}
	defer func() { buf.points, buf.ids = ch.points, ch.ids }()
	var chooser sim.Chooser = ch
	if e.sleep {
		ch.steps = &sim.Steps{}
		chooser = trackingGuided{ch}
	}
	tr := run.Concurrent(e.impl, e.cfg, e.setup, e.threads, chooser, e.observe != nil)
	if e.observe != nil {
		e.observe(&tr)
	}
	if e.opt.Visit != nil {
		e.opt.Visit(&tr)
	}
	if tr.Err != "" {
		return nil, nil, fmt.Errorf("explore: %s: the threads were refused: %s", e.impl.Name(), tr.Err)
	}
	if ch.left >= 0 || len(ch.points) < len(prefix) {
		return nil, nil, fmt.Errorf("%w: %s, prefix %s", ErrNondeterministic, e.impl.Name(), sched.Schedule(prefix).Line())
	}
	r := e.res
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
		k := string(p.Kind) + "\x00" + p.Text
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
		if ch.steps.Unfair > 0 {
			e.unfair = true
		}
	}
	return buf, steps, nil
}
