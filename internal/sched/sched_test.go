package sched

import (
	"slices"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/sim"
)

func TestScheduleString(t *testing.T) {
	tests := []struct {
		s    Schedule
		want string
	}{
		{nil, ""},
		{Schedule{0}, "M0"},
		{Schedule{0, 0, 0, 0, 0, 1, 1, 1}, "M0*5 M1*3"},
		{Schedule{1, 0, 1, 2, 2}, "M1 M0 M1 M2*2"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("%v.String() = %q, want %q", []int(tt.s), got, tt.want)
		}
		back, err := Parse(tt.want)
		if err != nil || !slices.Equal(back, tt.s) {
			t.Errorf("Parse(%q) = %v, %v, want %v", tt.want, back, err, tt.s)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		text string
		want Schedule
		err  bool
	}{
		{"M0 M0 M1", Schedule{0, 0, 1}, false},
		{" M0*2,M1\tM3 ", Schedule{0, 0, 1, 3}, false},
		{"", nil, false},
		{"M", nil, true},
		{"0", nil, true},
		{"M-1", nil, true},
		{"M1*0", nil, true},
		{"M1*x", nil, true},
		{"M1*99999999", nil, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.text)
		if (err != nil) != tt.err || !slices.Equal(got, tt.want) {
			t.Errorf("Parse(%q) = %v, %v, want %v (error %t)", tt.text, got, err, tt.want, tt.err)
		}
	}
}

// ms returns Ms with the given IDs.
func ms(ids ...int) []*sim.M {
	var out []*sim.M
	for _, id := range ids {
		out = append(out, &sim.M{ID: id})
	}
	return out
}

// step is one Choose call and the index it must return.
type step struct {
	run  []*sim.M
	cur  int
	want int
}

func play(t *testing.T, name string, ch sim.Chooser, steps []step) {
	t.Helper()
	for i, s := range steps {
		if got := ch.Choose(s.run, s.cur); got != s.want {
			t.Errorf("%s: choice %d: Choose(%d Ms, cur=%d) = %d, want %d", name, i, len(s.run), s.cur, got, s.want)
		}
	}
}

func TestBytes(t *testing.T) {
	two, three := ms(0, 1), ms(0, 1, 2)
	tests := []struct {
		name  string
		data  []byte
		steps []step
	}{
		{"empty", nil, []step{{two, 1, 1}, {two, -1, 0}, {three, 2, 2}}},
		{"stay", []byte{0, 0xDF, 5}, []step{{two, 0, 0}, {two, 1, 1}, {three, 2, 2}}},
		{"switch", []byte{SwitchAt, SwitchAt + 1, SwitchAt, 0xFF}, []step{{two, 0, 1}, {two, 1, 0}, {three, 2, 0}, {three, 0, 2}}},
		{"forced", []byte{7, 7}, []step{{two, -1, 1}, {three, -1, 1}}},
		{"runOut", []byte{SwitchAt}, []step{{two, 0, 1}, {two, 1, 1}, {two, -1, 0}}},
	}
	for _, tt := range tests {
		play(t, tt.name, NewBytes(tt.data), tt.steps)
	}
	b := NewBytes([]byte{1, 2, 3})
	b.Choose(two, 0)
	if b.Used() != 1 {
		t.Errorf("Used() = %d, want 1", b.Used())
	}
}

func TestReplay(t *testing.T) {
	two := ms(0, 1)
	r := Replay([]int{1, 0, 2})
	play(t, "replay", r, []step{
		{two, 0, 1},  // recorded M1
		{two, 1, 0},  // recorded M0
		{two, 1, 1},  // M2 is not runnable: stay
		{two, -1, 0}, // past the end, current cannot go on: lowest
	})
	if r.Misses != 2 {
		t.Errorf("Misses = %d, want 2", r.Misses)
	}
}

func TestRecorder(t *testing.T) {
	rec := &Recorder{Chooser: NewBytes([]byte{SwitchAt, 0, 1})}
	run := ms(2, 5)
	rec.Choose(run, 0)
	rec.Choose(run, 1)
	rec.Choose(run, -1)
	if want := (Schedule{5, 5, 5}); !slices.Equal(rec.Choices, want) {
		t.Errorf("Choices = %v, want %v", rec.Choices, want)
	}
	// Replaying what was recorded makes the same choices.
	r := Replay(rec.Choices)
	play(t, "replayRecorded", r, []step{{run, 0, 1}, {run, 1, 1}, {run, -1, 1}})
}

// pctRun returns the choices of a PCT over n steps with three Ms, the
// running one always able to go on.
func pctRun(p *PCT, n int) []int {
	run := ms(0, 1, 2)
	var out []int
	cur := 0
	for range n {
		cur = p.Choose(run, cur)
		out = append(out, cur)
	}
	return out
}

func TestPCT(t *testing.T) {
	for seed := range uint64(20) {
		a := pctRun(&PCT{Seed: seed, Depth: 3, Steps: 50}, 60)
		b := pctRun(&PCT{Seed: seed, Depth: 3, Steps: 50}, 60)
		if !slices.Equal(a, b) {
			t.Fatalf("seed %d: two runs differ:\n%v\n%v", seed, a, b)
		}
		// Depth 3 means at most 2 preemptions; with depth 1, none.
		if n := switches(a); n > 2 {
			t.Errorf("seed %d depth 3: %d switches, want <= 2: %v", seed, n, a)
		}
		if n := switches(pctRun(&PCT{Seed: seed}, 60)); n != 0 {
			t.Errorf("seed %d depth 1: %d switches, want 0", seed, n)
		}
	}
	// Different seeds give different schedules.
	seen := map[string]bool{}
	for seed := range uint64(20) {
		seen[Schedule(pctRun(&PCT{Seed: seed, Depth: 3, Steps: 50}, 60)).String()] = true
	}
	if len(seen) < 5 {
		t.Errorf("20 seeds gave only %d schedules", len(seen))
	}
}

func switches(s []int) int {
	n := 0
	for i := 1; i < len(s); i++ {
		if s[i] != s[i-1] {
			n++
		}
	}
	return n
}

func TestScheduleMigrations(t *testing.T) {
	s := Schedule{0, 0, sim.MigrateMark + 2, 1, 1, 1, sim.MigrateMark + 0, 0}
	const want = "M0*2 P2 M1*3 P0 M0"
	if got := s.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	back, err := Parse(want)
	if err != nil || !slices.Equal(back, s) {
		t.Errorf("Parse(%q) = %v, %v; want %v", want, back, err, s)
	}
	if _, err := Parse("Px"); err == nil {
		t.Errorf("Parse(%q): no error", "Px")
	}
}

func TestBytesMigrate(t *testing.T) {
	b := NewBytes([]byte{MigrateAt + 1, 0x10, SwitchAt})
	if k := b.Migrate(nil, []int{2, 3}); k != int(MigrateAt+1)%2 {
		t.Errorf("Migrate = %d, want %d", k, int(MigrateAt+1)%2)
	}
	if k := b.Migrate(nil, []int{2, 3}); k != -1 || b.Used() != 1 {
		t.Errorf("Migrate on a plain byte = %d (used %d), want -1 and the byte left for Choose", k, b.Used())
	}
}

func TestLine(t *testing.T) {
	for _, tc := range []struct {
		s    Schedule
		want string
	}{
		{nil, "schedule"},
		{Schedule{0}, "schedule M0"},
		{Schedule{0, 0, 0, 1, 1, 0}, "schedule M0*3 M1*2 M0"},
	} {
		if got := tc.s.Line(); got != tc.want {
			t.Errorf("Line(%v) = %q, want %q", []int(tc.s), got, tc.want)
		}
		back, err := Parse(strings.TrimPrefix(tc.want, "schedule"))
		if err != nil || !slices.Equal(back, tc.s) {
			t.Errorf("Parse(%q) = %v, %v; want %v", tc.want, back, err, tc.s)
		}
	}
}
