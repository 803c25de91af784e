package corpus

import (
	"fmt"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// PCTSeeds is how many PCT schedules a concurrent file without a schedule
// line is replayed under: seeds 0..PCTSeeds-1, at depths 1..3 in turn.
const PCTSeeds = 12

// Run is one replay of a concurrent file: how to make its chooser, and
// how to name it in a failure.
type Run struct {
	Name   string // "schedule line", "PCT seed 3 depth 1"
	Choose func() sim.Chooser
}

// Runs is the one policy for replaying a concurrent corpus file: under its
// schedule line if it has one, else under PCT seeds 0..PCTSeeds-1 at
// depths 1..3.
func Runs(p ops.ConcProgram) []Run {
	if s := p.Schedule; s != nil {
		return []Run{{"schedule line", func() sim.Chooser { return sched.Replay(s) }}}
	}
	var runs []Run
	for seed := range uint64(PCTSeeds) {
		depth := 1 + int(seed%3)
		runs = append(runs, Run{fmt.Sprintf("PCT seed %d depth %d", seed, depth),
			func() sim.Chooser { return &sched.PCT{Seed: seed, Depth: depth} }})
	}
	return runs
}
