package sched

import "github.com/timerdiff/timerdiff/internal/sim"

// Replayer follows a recorded Schedule: at the i-th choice point it runs
// the M whose ID is s[i]. Past the end of s, or when the recorded M is not
// runnable (the schedule was recorded on another program or version), it
// stays with the running M if it may go on, else runs the lowest runnable
// M ID; each such point counts in Misses. A Schedule recorded from a run
// replays that run exactly, with Misses 0.
type Replayer struct {
	s      Schedule
	i      int
	Misses int
}

// Replay returns a Chooser that follows choices.
func Replay(choices []int) *Replayer { return &Replayer{s: choices} }

// Migrate implements sim.Migrator: it follows a recorded preemption (a
// MigrateMark entry) at the choice point where it was recorded.
func (r *Replayer) Migrate(m *sim.M, options []int) int {
	if r.i >= len(r.s) || r.s[r.i] < sim.MigrateMark || r.s[r.i] == sim.NoRescueMark {
		return -1
	}
	p := r.s[r.i] - sim.MigrateMark
	r.i++
	for k, q := range options {
		if q == p {
			return k
		}
	}
	r.Misses++
	return -1
}

// Rescue implements sim.Rescuer: a recorded NoRescueMark at this point
// means the rescue did not happen.
func (r *Replayer) Rescue(m *sim.M, what string) bool {
	if r.i < len(r.s) && r.s[r.i] == sim.NoRescueMark {
		r.i++
		return false
	}
	return true
}

// Choose implements sim.Chooser.
func (r *Replayer) Choose(runnable []*sim.M, cur int) int {
	for r.i < len(r.s) && r.s[r.i] >= sim.MigrateMark {
		// A preemption or missed rescue recorded where this run had
		// none.
		r.i++
		r.Misses++
	}
	if r.i < len(r.s) {
		id := r.s[r.i]
		r.i++
		for i, m := range runnable {
			if m.ID == id {
				return i
			}
		}
	}
	r.Misses++
	return max(cur, 0)
}

// Recorder wraps a Chooser and records the ID of every M it chose.
type Recorder struct {
	Chooser sim.Chooser
	Choices Schedule
}

// Migrate implements sim.Migrator when the wrapped Chooser does.
func (r *Recorder) Migrate(m *sim.M, options []int) int {
	mg, ok := r.Chooser.(sim.Migrator)
	if !ok {
		return -1
	}
	k := mg.Migrate(m, options)
	if k >= 0 && k < len(options) {
		r.Choices = append(r.Choices, sim.MigrateMark+options[k])
	}
	return k
}

// Rescue implements sim.Rescuer when the wrapped Chooser does.
func (r *Recorder) Rescue(m *sim.M, what string) bool {
	rs, ok := r.Chooser.(sim.Rescuer)
	if !ok || rs.Rescue(m, what) {
		return true
	}
	r.Choices = append(r.Choices, sim.NoRescueMark)
	return false
}

// Choose implements sim.Chooser.
func (r *Recorder) Choose(runnable []*sim.M, cur int) int {
	i := r.Chooser.Choose(runnable, cur)
	if i >= 0 && i < len(runnable) {
		r.Choices = append(r.Choices, runnable[i].ID)
	}
	return i
}
