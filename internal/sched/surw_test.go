package sched

import (
	"fmt"
	"slices"
	"testing"

	"github.com/timerdiff/timerdiff/internal/sim"
)

func TestSURWDeterministic(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(20) {
		a := walk(&SURW{Seed: seed}, 5, 7, 3)
		b := walk(&SURW{Seed: seed}, 5, 7, 3)
		if !slices.Equal(a, b) {
			t.Fatalf("seed %d: two runs differ:\n%v\n%v", seed, a, b)
		}
		seen[fmt.Sprint(a)] = true
	}
	if len(seen) < 10 {
		t.Errorf("20 seeds gave only %d schedules", len(seen))
	}
}

// With Ms of 1 and 9 steps and exact budgets, SURW runs the long one
// first about 9/10 of the time, and samples each of the 10 interleavings
// about as often (a plain random walk runs the short one first half the
// time).
func TestSURWUniform(t *testing.T) {
	const n = 5000
	c := interleavings(n, func(s uint64) sim.Chooser { return &SURW{Seed: s, Budget: []int{1, 9}} }, 1, 9)
	if len(c) != 10 {
		t.Fatalf("%d of the 10 interleavings: %v", len(c), c)
	}
	for k, v := range c {
		if v < n/10*8/10 || v > n/10*12/10 {
			t.Errorf("interleaving %s: %d of %d, want about %d", k, v, n, n/10)
		}
	}
	if short := c["[0 1 1 1 1 1 1 1 1 1]"]; short > n*13/100 {
		t.Errorf("the short M ran first %d of %d times, want about 1/10", short, n)
	}
	// 2+2: 6 interleavings, each about 1/6.
	c = interleavings(n, func(s uint64) sim.Chooser { return &SURW{Seed: s, Budget: []int{2, 2}} }, 2, 2)
	for k, v := range c {
		if len(c) != 6 || v < n/6*8/10 || v > n/6*12/10 {
			t.Errorf("2+2: interleaving %s: %d of %d (%d interleavings), want about %d", k, v, n, len(c), n/6)
		}
	}
}

// The first choice between Ms of estimated lengths 1 and 9: the long one
// about 9/10 of the time, whether the estimate is a Budget or Remaining.
func TestSURWFirstChoice(t *testing.T) {
	const n = 4000
	for _, mk := range []func(uint64) *SURW{
		func(s uint64) *SURW { return &SURW{Seed: s, Budget: []int{1, 9}} },
		func(s uint64) *SURW {
			return &SURW{Seed: s, Remaining: func(m *sim.M) int { return 1 + 8*m.ID }}
		},
	} {
		long := 0
		for seed := range uint64(n) {
			if mk(seed).Choose(ms(0, 1), -1) == 1 {
				long++
			}
		}
		if long < n*87/100 || long > n*93/100 {
			t.Errorf("the long M first %d of %d times, want about 9/10", long, n)
		}
	}
}

// Estimates below 1 weigh 1: an M whose budget ran out still runs
// sometimes. Ms beyond Budget weigh Default (DefaultBudget if 0).
func TestSURWWeights(t *testing.T) {
	const n = 3000
	freq := func(mk func(uint64) *SURW, run []*sim.M) int {
		k := 0
		for seed := range uint64(n) {
			if mk(seed).Choose(run, -1) == 0 {
				k++
			}
		}
		return k
	}
	// Remaining 0 and 99: the first weighs 1 of 100.
	zero := freq(func(s uint64) *SURW {
		return &SURW{Seed: s, Remaining: func(m *sim.M) int { return 99 * m.ID }}
	}, ms(0, 1))
	if zero == 0 || zero > n*3/100 {
		t.Errorf("an M with 0 left ran first %d of %d times, want about 1/100", zero, n)
	}
	// M0 has Budget 8; M5 is beyond it and weighs Default 24.
	b := freq(func(s uint64) *SURW { return &SURW{Seed: s, Budget: []int{8}, Default: 24} }, ms(0, 5))
	if b < n*20/100 || b > n*30/100 {
		t.Errorf("budget 8 against default 24: %d of %d, want about 1/4", b, n)
	}
	d := freq(func(s uint64) *SURW { return &SURW{Seed: s, Budget: []int{DefaultBudget}} }, ms(0, 5))
	if d < n*43/100 || d > n*57/100 {
		t.Errorf("budget DefaultBudget against an unknown M: %d of %d, want about 1/2", d, n)
	}
	if got := CallBudget([]int{1, 3}, 0); !slices.Equal(got, []int{DefaultStepsPerCall, 3 * DefaultStepsPerCall}) {
		t.Errorf("CallBudget = %v", got)
	}
}
