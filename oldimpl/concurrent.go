// Code shared by oldimpl and newimpl: keep the two copies identical apart
// from the package clause (TestTwinsIdentical checks it).

package oldimpl

// This file runs several threads of calls at once, each on its own M,
// under the simulated runtime's concurrent scheduler.

import (
	"fmt"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sim"
)

func (a *adapter) Concurrent(threads []port.Thread, ch sim.Chooser, record bool) (port.ConcOutcome, error) {
	var res port.ConcOutcome
	if a.closed || a.dead {
		return res, port.ErrDead
	}
	if err := a.checkThreads(threads); err != nil {
		return res, err
	}
	// M i runs thread i; M0 exists, the others are made on first use.
	for len(ms) < len(threads) {
		ms = append(ms, newM(world.NewM()))
	}
	sms := make([]*sim.M, len(threads))
	first := make([]int, len(threads)) // global index of each thread's first call
	for i, th := range threads {
		sms[i] = ms[i].sm
		ms[i].p.set(allp[th.P])
		first[i] = a.calls
		a.calls += len(th.Calls)
	}
	a.epoch++
	res.Outcomes = make([][]port.Outcome, len(threads))
	c := sim.NewConc(world, ch)
	c.Preempt = &sim.Preempt{
		Preemptible: func(sm *sim.M) bool { return ms[sm.ID].locks == 0 && !sm.Holding() },
		Idle: func() []int {
			var idle []int
			for _, pp := range allp {
				held := false
				for _, sm := range sms {
					held = held || ms[sm.ID].p.ptr() == pp
				}
				if !held {
					idle = append(idle, int(pp.id))
				}
			}
			return idle
		},
		Move: func(sm *sim.M, p int) {
			mp := ms[sm.ID]
			idleP(mp.p.ptr())
			mp.p.set(allp[p])
			timerpMask.bits.SetRaw(timerpMask.bits.Raw() | 1<<p) // pidleget
		},
	}
	// The Ps no thread holds are idle, as pidleput left them.
	for _, pp := range allp {
		held := false
		for _, sm := range sms {
			held = held || ms[sm.ID].p.ptr() == pp
		}
		if !held {
			idleP(pp)
		}
	}
	world.Record(record)
	// Check each P's heap whenever its timersLock is released, in the
	// middle of the other Ms' calls.
	seen := map[string]bool{}
	world.OnUnlock = func(l *sim.Lock) {
		if l.Class != sim.ClassTimers {
			return
		}
		for _, pp := range allp {
			if &pp.timersLock.Lock == l {
				for _, b := range a.heapOrder(pp) {
					if !seen[b] {
						seen[b] = true
						res.MidRun = append(res.MidRun, b)
					}
				}
			}
		}
	}
	c.Run(sms, func(sm *sim.M) {
		i := sm.ID
		for k, call := range threads[i].Calls {
			o := a.call(ms[i], first[i]+k, call)
			res.Outcomes[i] = append(res.Outcomes[i], o)
			if a.dead || o.Cut {
				c.Abort()
				return
			}
			// Between calls the goroutine runs the caller's own code,
			// where it can be preempted too.
			world.Step()
		}
	})
	res.Choices, res.Preemptions, res.Migrations = c.Choices, c.Preemptions, c.Migrations
	res.Events = world.Events()
	world.Record(false)
	world.OnUnlock = nil
	world.SetScheduler(sim.Sequential{})
	world.SetCur(a.m0.sm)
	return res, nil
}

func (a *adapter) checkThreads(threads []port.Thread) error {
	if len(threads) == 0 || len(threads) > len(allp) {
		return fmt.Errorf("concurrent: %d threads for %d Ps", len(threads), len(allp))
	}
	used := map[int]bool{}
	for i, th := range threads {
		if th.P < 0 || th.P >= len(allp) {
			return fmt.Errorf("thread %d: P%d does not exist (%d Ps)", i, th.P, len(allp))
		}
		if used[th.P] {
			return fmt.Errorf("thread %d: P%d is held by another thread", i, th.P)
		}
		used[th.P] = true
		for k, c := range th.Calls {
			if c.On != th.P {
				return fmt.Errorf("thread %d call %d: runs on P%d, but the thread holds P%d", i, k, c.On, th.P)
			}
			if c.Kind == port.Procresize {
				return fmt.Errorf("thread %d call %d: procresize needs the world stopped", i, k)
			}
			if err := a.check(c); err != nil {
				return fmt.Errorf("thread %d call %d: %w", i, k, err)
			}
		}
	}
	return nil
}

// idleP is what pidleput does to the timers of a P that goes idle
// (updateTimerPMask): its timerpMask bit is cleared if it has no timers.
// It happens on another M, outside the scheduling points of this run, so
// it is applied at once; a P whose timersLock is held keeps its bit, as
// updateTimerPMask would have waited for the lock and then found the
// timer being added.
func idleP(pp *p) {
	if pp.numTimers.Raw() == 0 && pp.timersLock.Owner() == nil {
		timerpMask.bits.SetRaw(timerpMask.bits.Raw() &^ (1 << pp.id))
	}
}
