package semantics

import (
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// TestMigration: a goroutine preempted where it holds nothing resumes on
// an idle P, and what it does next happens there: the timer that M0's
// goroutine resets after moving lands in P2's heap. The schedule records
// the move, and replaying it moves the goroutine again.
func TestMigration(t *testing.T) {
	for _, impl := range impls {
		t.Run(impl.Name(), func(t *testing.T) {
			threads := []port.Thread{
				{P: 0, Calls: []port.Call{{Kind: port.ResetTimer, On: 0, T: 0, When: 150}}},
				{P: 1, Calls: []port.Call{{Kind: port.ResetTimer, On: 1, T: 1, When: 160}}},
			}
			s, err := sched.Parse("M0 P2 M0")
			if err != nil {
				t.Fatal(err)
			}
			for run := range 2 {
				w := impl.Open(port.Config{Procs: 3, Timers: 2, Clock: 100})
				res, err := w.Concurrent(threads, sched.Replay(s), false)
				if err != nil {
					t.Fatal(err)
				}
				st := w.Snapshot()
				w.Close()
				if res.Migrations != 1 || len(res.Choices) < 2 || res.Choices[1] != sim.MigrateMark+2 {
					t.Fatalf("run %d: Migrations = %d, Choices = %v; want one move to P2 recorded second", run, res.Migrations, sched.Schedule(res.Choices))
				}
				if got := st.Timers[0].P; got != 2 {
					t.Errorf("run %d: t0 is on P%d after M0's goroutine moved to P2; want P2", run, got)
				}
				if got := st.Timers[1].P; got != 1 {
					t.Errorf("run %d: t1 is on P%d; want P1 (M1 did not move)", run, got)
				}
				s = res.Choices // replay what was recorded
			}
		})
	}
}

// TestNoMigrationWithoutIdleP: with every P held by a thread, nothing
// moves, whatever the schedule says.
func TestNoMigrationWithoutIdleP(t *testing.T) {
	for _, impl := range impls {
		w := impl.Open(port.Config{Procs: 2, Timers: 2, Clock: 100})
		threads := []port.Thread{
			{P: 0, Calls: []port.Call{{Kind: port.ResetTimer, On: 0, T: 0, When: 150}}},
			{P: 1, Calls: []port.Call{{Kind: port.ResetTimer, On: 1, T: 1, When: 160}}},
		}
		s, _ := sched.Parse("M0 P1 M0")
		res, err := w.Concurrent(threads, sched.Replay(s), false)
		if err != nil {
			t.Fatal(err)
		}
		if res.Migrations != 0 {
			t.Errorf("%s: Migrations = %d with no idle P; want 0", impl.Name(), res.Migrations)
		}
		if got := w.Snapshot().Timers[0].P; got != 0 {
			t.Errorf("%s: t0 is on P%d; want P0", impl.Name(), got)
		}
		w.Close()
	}
}
