package sched

import (
	"math/rand/v2"
	"testing"

	"github.com/timerdiff/timerdiff/internal/sim"
)

// BenchmarkChoose measures one Choose among 3 runnable Ms, the running
// one able to go on, with a fresh Chooser every 64 choice points (about
// one run of a small concurrent program: DefaultSteps), so that setting
// up a Chooser is part of the cost.
func BenchmarkChoose(b *testing.B) {
	data := make([]byte, 1<<12)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	for _, bc := range []struct {
		name string
		mk   func(seed uint64) sim.Chooser
	}{
		{"bytes", func(seed uint64) sim.Chooser { return NewBytes(data[seed%64*64:]) }},
		{"pct3", func(seed uint64) sim.Chooser { return &PCT{Seed: seed, Depth: 3} }},
		{"pos", func(seed uint64) sim.Chooser { return &POS{Seed: seed} }},
		{"pos-redraw0.5", func(seed uint64) sim.Chooser { return &POS{Seed: seed, Redraw: 0.5} }},
		{"surw", func(seed uint64) sim.Chooser { return &SURW{Seed: seed, Budget: []int{24, 24, 24}} }},
		{"moves(pct3)", func(seed uint64) sim.Chooser {
			return &Moves{Chooser: &PCT{Seed: seed, Depth: 3}, Seed: seed}
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			run := ms(0, 1, 2)
			idle := []int{3}
			var ch sim.Chooser
			var mg sim.Migrator
			cur := 0
			for i := 0; b.Loop(); i++ {
				if i%64 == 0 {
					ch = bc.mk(uint64(i / 64))
					mg, _ = ch.(sim.Migrator)
					cur = -1
				}
				if mg != nil && cur >= 0 {
					mg.Migrate(run[cur], idle)
				}
				cur = ch.Choose(run, cur)
			}
		})
	}
}
