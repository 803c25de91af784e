package sched

import (
	"slices"
	"testing"
)

func TestMoves(t *testing.T) {
	idle := []int{4, 6}
	count := func(prob float64) (moves int, seq []int) {
		w := &Moves{Chooser: &PCT{}, Seed: 9, Prob: prob}
		for range 3200 {
			k := w.Migrate(nil, idle)
			seq = append(seq, k)
			if k >= 0 {
				moves++
			}
		}
		return
	}
	if n, _ := count(-1); n != 0 {
		t.Errorf("Prob -1: %d moves", n)
	}
	if n, _ := count(1); n != 3200 {
		t.Errorf("Prob 1: %d moves of 3200", n)
	}
	n, a := count(0)
	if n < 60 || n > 140 {
		t.Errorf("default Prob: %d moves of 3200, want about 100", n)
	}
	if _, b := count(0); !slices.Equal(a, b) {
		t.Errorf("the same seed gave different moves")
	}
	// Choose goes to the wrapped Chooser.
	w := &Moves{Chooser: NewBytes([]byte{SwitchAt})}
	if got := w.Choose(ms(0, 1), 0); got != 1 {
		t.Errorf("Choose = %d, want the wrapped Bytes' 1", got)
	}
	if (&Moves{Chooser: &PCT{}}).Migrate(nil, nil) != -1 {
		t.Errorf("a move with no idle P")
	}
}
