package sched

import (
	"math/rand/v2"

	"github.com/timerdiff/timerdiff/internal/sim"
)

// PCT is probabilistic concurrency testing: each M gets a random priority
// when first seen, Depth-1 change points are placed at random choice
// points among the first Steps, and at every choice point the runnable M
// with the highest priority runs. At the i-th change point the M that
// would run drops to priority -i (below every initial priority, and
// below those lowered at earlier change points), so that another M overtakes it there.
// A bug that needs d ordering constraints is found with probability at
// least 1/(n * k^(d-1)) per run for n Ms and k steps.
//
// The zero Depth means 1 (no change points: a random serial schedule);
// the zero Steps means DefaultSteps. The same Seed, Depth and Steps give
// the same choices for the same sequence of Choose calls. Use a fresh PCT
// for every run: it keeps state.
type PCT struct {
	Seed  uint64
	Depth int
	Steps int // choice points the change points are spread over

	rng     *rand.Rand
	prio    map[int]int // by M ID
	changes []int       // step indexes of change points, in order of placement
	step    int
}

// DefaultSteps is about the number of choice points of a small
// concurrent program (a few timer calls per thread: explore counts 20
// to 60). Spread over many more, most change points would never come.
const DefaultSteps = 64

func (p *PCT) init() {
	p.rng = rand.New(rand.NewPCG(p.Seed, 0x7063745f73656564)) // "pct_seed"
	p.prio = map[int]int{}
	steps := p.Steps
	if steps <= 0 {
		steps = DefaultSteps
	}
	for range max(p.Depth, 1) - 1 {
		p.changes = append(p.changes, p.rng.IntN(steps))
	}
}

// Choose implements sim.Chooser.
func (p *PCT) Choose(runnable []*sim.M, cur int) int {
	if p.rng == nil {
		p.init()
	}
	best := -1
	for i, m := range runnable {
		pr, ok := p.prio[m.ID]
		if !ok {
			// Initial priorities are >= 1 << 16, far above change points.
			pr = 1<<16 + p.rng.IntN(1<<16)
			p.prio[m.ID] = pr
		}
		if best < 0 || pr > p.prio[runnable[best].ID] {
			best = i
		}
	}
	for i, at := range p.changes {
		if at == p.step {
			p.prio[runnable[best].ID] = -1 - i // the i-th (from 0) is -1-i
			// Choose again with the lowered priority.
			for j, m := range runnable {
				if p.prio[m.ID] > p.prio[runnable[best].ID] {
					best = j
				}
			}
		}
	}
	p.step++
	return best
}
