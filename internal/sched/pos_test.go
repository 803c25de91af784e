package sched

import (
	"fmt"
	"slices"
	"testing"

	"github.com/timerdiff/timerdiff/internal/sim"
)

func TestPOSDeterministic(t *testing.T) {
	for _, redraw := range []float64{0, 0.5, 1} {
		seen := map[string]bool{}
		for seed := range uint64(20) {
			a := walk(&POS{Seed: seed, Redraw: redraw}, 5, 7, 3)
			b := walk(&POS{Seed: seed, Redraw: redraw}, 5, 7, 3)
			if !slices.Equal(a, b) {
				t.Fatalf("redraw %v seed %d: two runs differ:\n%v\n%v", redraw, seed, a, b)
			}
			seen[fmt.Sprint(a)] = true
		}
		if len(seen) < 10 {
			t.Errorf("redraw %v: 20 seeds gave only %d schedules", redraw, len(seen))
		}
	}
	// Moves come from their own stream: the same seed, the same moves.
	p, q := &POS{Seed: 3, MoveProb: 0.5}, &POS{Seed: 3, MoveProb: 0.5}
	for i := range 100 {
		if a, b := p.Migrate(nil, []int{1, 2, 3}), q.Migrate(nil, []int{1, 2, 3}); a != b {
			t.Fatalf("move %d: %d != %d", i, a, b)
		}
	}
}

// Two Ms with one step each, which conflict: POS runs them in both
// orders, each about half the time.
func TestPOSBothOrders(t *testing.T) {
	for _, redraw := range []float64{0, 0.5, 1} {
		c := interleavings(1000, func(s uint64) sim.Chooser { return &POS{Seed: s, Redraw: redraw} }, 1, 1)
		if len(c) != 2 || c["[0 1]"] < 400 || c["[1 0]"] < 400 {
			t.Errorf("redraw %v: orders of two single steps over 1000 seeds: %v, want both about 500", redraw, c)
		}
	}
}

// Every interleaving has a positive probability: POS reaches all 90 of
// three Ms with two steps each, and all 6 of two Ms with two.
func TestPOSReachesAll(t *testing.T) {
	for _, redraw := range []float64{0, 0.5, 1} {
		mk := func(s uint64) sim.Chooser { return &POS{Seed: s, Redraw: redraw} }
		if c := interleavings(1000, mk, 2, 2); len(c) != 6 {
			t.Errorf("redraw %v: %d of the 6 interleavings of 2+2 steps: %v", redraw, len(c), c)
		}
		if c := interleavings(20000, mk, 2, 2, 2); len(c) != 90 {
			t.Errorf("redraw %v: %d of the 90 interleavings of 2+2+2 steps", redraw, len(c))
		}
	}
}

// BasicPOS (Redraw 0) keeps the waiting Ms' priorities, so the running M
// goes on for a while: fewer switches than a uniform random walk (Redraw
// 1), which switches away from the running one of 3 Ms 2/3 of the time.
func TestPOSRedraw(t *testing.T) {
	switchRate := func(redraw float64) float64 {
		sw, pts := 0, 0
		for seed := range uint64(200) {
			s := walk(&POS{Seed: seed, Redraw: redraw}, 30, 30, 30)
			sw += switches(s)
			pts += len(s) - 1
		}
		return float64(sw) / float64(pts)
	}
	basic, uniform := switchRate(0), switchRate(1)
	t.Logf("switch rates: redraw 0 %.3f, redraw 0.5 %.3f, redraw 1 %.3f", basic, switchRate(0.5), uniform)
	if uniform < 0.6 || uniform > 0.72 {
		t.Errorf("redraw 1: switch rate %.3f, want about 2/3 (a uniform random walk)", uniform)
	}
	if basic >= uniform-0.1 {
		t.Errorf("redraw 0: switch rate %.3f, want well below redraw 1's %.3f", basic, uniform)
	}
	// Redraw 1 at the first point: each of 3 Ms about 1/3.
	first := map[int]int{}
	for seed := range uint64(3000) {
		first[(&POS{Seed: seed, Redraw: 1}).Choose(ms(0, 1, 2), -1)]++
	}
	for i := range 3 {
		if first[i] < 850 || first[i] > 1150 {
			t.Errorf("redraw 1: first choice %d taken %d of 3000 times, want about 1000", i, first[i])
		}
	}
}

// New Ms (with IDs never seen, out of order) get priorities like any.
func TestPOSNewMs(t *testing.T) {
	p := &POS{Seed: 1}
	got := map[int]bool{}
	for range 200 {
		got[p.Choose(ms(0, 7, 40), -1)] = true
	}
	if len(got) != 3 {
		t.Errorf("chose only %v of 3 Ms", got)
	}
}
