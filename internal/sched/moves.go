package sched

import (
	"math/rand/v2"

	"github.com/timerdiff/timerdiff/internal/sim"
)

// DefaultMoveProb is the chance that a seeded strategy moves the running
// goroutine to an idle P where sim.Conc offers a move (Migrate): 1/32,
// what Bytes does on uniformly random bytes (8 of the 256 byte values,
// MigrateAt..SwitchAt-1, move).
const DefaultMoveProb = 1.0 / 32

// mover decides moves from its own seeded stream, so that a strategy's
// choices of Ms do not shift with the number of moves Conc offers.
type mover struct {
	rng *rand.Rand
}

func newMover(seed uint64) mover {
	return mover{rand.New(rand.NewPCG(seed, 0x6d6f7665735f5f5f))} // "moves___"
}

// move returns an index into idle with probability prob (0 means
// DefaultMoveProb, < 0 never), else -1.
func (v *mover) move(prob float64, idle []int) int {
	if prob == 0 {
		prob = DefaultMoveProb
	}
	if prob < 0 || len(idle) == 0 || v.rng.Float64() >= prob {
		return -1
	}
	return v.rng.IntN(len(idle))
}

// Moves makes any Chooser a sim.Migrator: where Conc offers to move the
// running goroutine to an idle P, it does so with probability Prob, to an
// idle P chosen uniformly, drawing from its own stream seeded by Seed;
// every Choose goes to the wrapped Chooser. The wrapped Chooser's own
// Migrate, if it has one, is not used. With Moves, strategies that do not
// move goroutines themselves (PCT, SURW) can reach the schedules where
// a goroutine resumes on another P, at the same rate as Bytes and POS.
//
// The zero Prob means DefaultMoveProb; a negative one, never.
// Deterministic for a given Seed, Prob and sequence of calls; use a fresh
// Moves (and a fresh wrapped Chooser) for every run.
type Moves struct {
	Chooser sim.Chooser
	Seed    uint64
	Prob    float64

	v    mover
	init bool
}

// Choose implements sim.Chooser.
func (w *Moves) Choose(runnable []*sim.M, cur int) int { return w.Chooser.Choose(runnable, cur) }

// Migrate implements sim.Migrator.
func (w *Moves) Migrate(m *sim.M, idle []int) int {
	if !w.init {
		w.v, w.init = newMover(w.Seed), true
	}
	return w.v.move(w.Prob, idle)
}
