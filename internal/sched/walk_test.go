package sched

import (
	"fmt"
	"slices"

	"github.com/timerdiff/timerdiff/internal/sim"
)

// walk runs toy Ms, M i with lens[i] steps, under ch the way sim.Conc
// asks: a choice point before every step while at least two Ms have steps
// left, with cur the M that ran the previous step if it has steps left.
// It returns the IDs of the Ms in the order their steps ran.
func walk(ch sim.Chooser, lens ...int) []int {
	left := slices.Clone(lens)
	all := ms(seq(len(lens))...)
	running := -1
	var out []int
	var run []*sim.M
	for {
		run = run[:0]
		ci := -1
		for id, l := range left {
			if l > 0 {
				if id == running {
					ci = len(run)
				}
				run = append(run, all[id])
			}
		}
		if len(run) == 0 {
			return out
		}
		i := 0
		if len(run) > 1 {
			i = ch.Choose(run, ci)
		}
		id := run[i].ID
		left[id]--
		out = append(out, id)
		running = id
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// interleavings counts, over seeds 0..n-1, how often each interleaving
// of the toy Ms comes out.
func interleavings(n int, mk func(seed uint64) sim.Chooser, lens ...int) map[string]int {
	count := map[string]int{}
	for seed := range uint64(n) {
		count[fmt.Sprint(walk(mk(seed), lens...))]++
	}
	return count
}
