package sched

import (
	"math/rand/v2"

	"github.com/timerdiff/timerdiff/internal/sim"
)

// POS is partial order sampling (Xinhao Yuan, Junfeng Yang, Ronghui Gu,
// "Partial Order Aware Concurrency Sampling", CAV 2018, LNCS 10982,
// doi:10.1007/978-3-319-96142-2_20). The paper's algorithm: every pending
// event gets a random priority when it becomes enabled; the enabled event
// with the highest priority runs; then the pending events that race with
// the one that ran (same object, one of them a write) lose their
// priorities and draw new ones ("priority reassignment"). Without the
// reassignment it is the paper's BasicPOS.
//
// Here an event is the next step of an M (its next scheduling point's
// primitive), and a pending event is the next step of a runnable M. Each
// M holds one priority, for its pending step:
//
//   - the M that ran since the previous choice point (the one chosen
//     there, and the running M cur if Conc ran it without asking) has a new
//     pending step, which draws a new priority: exactly BasicPOS;
//   - the Chooser interface does not say what an M's next step reads or
//     writes, so which pending steps race with the one that ran is not
//     known. The approximation: each other pending step is taken to race
//     with it independently with probability Redraw, and then draws a new
//     priority. Redraw 0 is BasicPOS; Redraw 1 takes every pair of steps
//     to race (nearly true of this simulation, where almost every
//     scheduling point is an atomic, lock or unlock on shared runtime
//     state) and is then a uniform random walk: each runnable M runs with
//     probability 1/n at every choice point.
//
// A priority is drawn lazily, when its M is next seen runnable (an M
// blocked in lock or spinning keeps its priority until it can run again,
// as a disabled event keeps its priority in the paper). Ms that appear
// during a run are handled like any other. Every schedule of the Ms has a
// positive probability: the M chosen at a point draws a new priority
// before the next one, so the constraints "the chosen M's priority beats
// the other runnable Ms'" never form a cycle. The paper's lower bound on
// the probability of hitting a given partial order assumes exact race
// detection and is not claimed here.
//
// Where Conc offers to move the running goroutine to an idle P (Migrate),
// POS moves it with probability MoveProb (0 means DefaultMoveProb,
// negative never), to an idle P chosen uniformly, from a second stream
// seeded by Seed.
//
// The same Seed, Redraw and MoveProb give the same answers for the same
// sequence of calls; POS reads no clock and no global random source. Use a
// fresh POS for every run: it keeps state.
type POS struct {
	Seed     uint64
	Redraw   float64
	MoveProb float64

	rng  *rand.Rand
	v    mover
	prio []uint64 // by M ID; 0: none yet (drawn when next runnable)
	last int      // ID of the M chosen at the previous choice point, or -1
}

func (p *POS) init() {
	p.rng = rand.New(rand.NewPCG(p.Seed, 0x706f735f73656564)) // "pos_seed"
	p.v = newMover(p.Seed)
	p.last = -1
}

// forget drops the priority of M id: its pending step is a new event.
func (p *POS) forget(id int) {
	if id < len(p.prio) {
		p.prio[id] = 0
	}
}

// Choose implements sim.Chooser.
func (p *POS) Choose(runnable []*sim.M, cur int) int {
	if p.rng == nil {
		p.init()
	}
	ran := p.last
	if ran >= 0 {
		p.forget(ran)
		if p.Redraw > 0 {
			for _, m := range runnable {
				if m.ID != ran && p.rng.Float64() < p.Redraw {
					p.forget(m.ID)
				}
			}
		}
	}
	if cur >= 0 {
		p.forget(runnable[cur].ID)
	}
	best, bp := -1, uint64(0)
	for i, m := range runnable {
		if m.ID >= len(p.prio) {
			p.prio = append(p.prio, make([]uint64, m.ID+1-len(p.prio))...)
		}
		pr := p.prio[m.ID]
		if pr == 0 {
			pr = p.rng.Uint64() | 1
			p.prio[m.ID] = pr
		}
		if pr > bp {
			best, bp = i, pr
		}
	}
	p.last = runnable[best].ID
	return best
}

// Migrate implements sim.Migrator.
func (p *POS) Migrate(m *sim.M, idle []int) int {
	if p.rng == nil {
		p.init()
	}
	return p.v.move(p.MoveProb, idle)
}
