package explore

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/timerdiff/timerdiff/internal/sim"
)

// The races of a run are its immediate dependences between Ms, and an
// initial is an M that can start the reversal.
func TestRaces(t *testing.T) {
	x, y, l := new(int), new(int), new(int) // two words and a lock, by identity
	type race struct{ I, J int }
	tests := []struct {
		name     string
		steps    []sim.Footprint
		want     []race
		initials map[race][]int // per race, the Ms that are initials of its v
	}{{
		name:  "independent words",
		steps: []sim.Footprint{{M: 0, Writes: []any{x}}, {M: 1, Writes: []any{y}}},
	}, {
		name:  "reads commute",
		steps: []sim.Footprint{{M: 0, Reads: []any{x}}, {M: 1, Reads: []any{x}}},
	}, {
		name:     "write then read",
		steps:    []sim.Footprint{{M: 0, Writes: []any{x}}, {M: 1, Reads: []any{x}}},
		want:     []race{{0, 1}},
		initials: map[race][]int{{0, 1}: {1}},
	}, {
		// M0 writes x then y; M1 reads y: the race is with the write
		// of y only, and M1 starts its reversal.
		name:     "program order hides the earlier write",
		steps:    []sim.Footprint{{M: 0, Writes: []any{x}}, {M: 0, Writes: []any{y}}, {M: 1, Reads: []any{x, y}}},
		want:     []race{{1, 2}},
		initials: map[race][]int{{1, 2}: {1}},
	}, {
		// M0 takes l, M1 takes l, M2 takes l: M0-M1 and M1-M2 race;
		// M0-M2 is not immediate (through M1).
		name:  "a chain through a lock",
		steps: []sim.Footprint{{M: 0, Writes: []any{l}}, {M: 1, Writes: []any{l}}, {M: 2, Writes: []any{l}}},
		want:  []race{{0, 1}, {1, 2}},
		initials: map[race][]int{
			{0, 1}: {1},
			{1, 2}: {2},
		},
	}, {
		// M1 reads x and y after M0 wrote x and M2 wrote y: both
		// writes race with the read. To reverse M0's, v is M2's write
		// then M1's read; M2's write happens before M1's read, so only
		// M2 can start v.
		name:     "an initial other than the racing M",
		steps:    []sim.Footprint{{M: 0, Writes: []any{x}}, {M: 2, Writes: []any{y}}, {M: 1, Reads: []any{x, y}}},
		want:     []race{{0, 2}, {1, 2}},
		initials: map[race][]int{{0, 2}: {2}},
	}, {
		name:  "a global step depends on all",
		steps: []sim.Footprint{{M: 0, Writes: []any{x}}, {M: 1, Global: true}},
		want:  []race{{0, 1}},
	}, {
		name:  "progress: a read after a bump",
		steps: []sim.Footprint{{M: 0, BumpsProgress: true}, {M: 1, BumpsProgress: true}, {M: 2, ReadsProgress: true}},
		want:  []race{{0, 2}, {1, 2}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHB(tt.steps)
			var got []race
			h.races(func(i, j int) { got = append(got, race{i, j}) })
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("races (-want +got):\n%s", d)
			}
			for r, want := range tt.initials {
				var got []int
				for m := range 3 {
					if h.initial(r.I, r.J, m) {
						got = append(got, m)
					}
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("initials of race %v (-want +got):\n%s", r, d)
				}
			}
		})
	}
}

// A sleep set holds the step a sibling schedule took in its own run, and
// every run makes its own words and locks: a step of this run that
// writes the word the sleeper reads wakes it, by the word's name. (Before
// footprints compared words by identity, a sleeper woke only at a global
// step or a progress bump, and the reduction could skip its reordering.)
func TestWakeAcrossRuns(t *testing.T) {
	w1 := sim.NewWorld(sim.Config{})
	w2 := sim.NewWorld(sim.Config{})
	status1 := w1.NewWord("t0.status", 0, "")
	status2 := w2.NewWord("t0.status", 0, "")
	other2 := w2.NewWord("t1.status", 0, "")
	l1, l2 := sim.NewMutex("P0.timersLock", sim.ClassTimers), sim.NewMutex("P0.timersLock", sim.ClassTimers)
	sleeping := []sleeper{
		{m: 0, fp: sim.Footprint{M: 0, Reads: []any{status1}}},
		{m: 2, fp: sim.Footprint{M: 2, Writes: []any{&l1.Lock}}},
	}
	tests := []struct {
		name string
		step sim.Footprint
		want []int // the Ms still asleep
	}{
		{"another word", sim.Footprint{M: 1, Writes: []any{other2}}, []int{0, 2}},
		{"a read of the same word", sim.Footprint{M: 1, Reads: []any{status2}}, []int{0, 2}},
		{"a write of the same word", sim.Footprint{M: 1, Writes: []any{status2}}, []int{2}},
		{"the same lock", sim.Footprint{M: 1, Writes: []any{&l2.Lock}}, []int{0}},
	}
	for _, tt := range tests {
		var got []int
		for _, s := range wake(sleeping, &tt.step) {
			got = append(got, s.m)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: asleep after the step (-want +got):\n%s", tt.name, d)
		}
	}
}
