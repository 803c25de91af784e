// Code shared by oldimpl and newimpl: keep the two copies identical apart
// from the package clause (TestTwinsIdentical checks it).

package newimpl

// This file runs several threads of calls at once, each on its own M,
// under the simulated runtime's concurrent scheduler.

import (
	"fmt"
	"slices"

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
	// run lists the Ms of this run: the threads', then the scheduler
	// Ms spawned for preempted goroutines.
	run := slices.Clone(sms)
	c.Preempt = &sim.Preempt{
		Preemptible: preemptible,
		Options:     preemptOptions,
		Do: func(sm *sim.M, to int) *sim.M {
			mp := ms[sm.ID]
			old := mp.p.ptr()
			moved := to != int(old.id)
			if moved {
				mp.p.set(pidleget()) // the head: to
			}
			sp := newM(world.NewM())
			sp.p.set(old)
			ms = append(ms, sp)
			run = append(run, sp.sm)
			calls := schedCalls(old, moved)
			base := a.calls
			a.calls += len(calls)
			k := len(res.Sched)
			res.Sched = append(res.Sched, port.SchedRun{M: sp.sm.ID, P: int(old.id), Moved: moved, Of: sm.ID})
			c.Spawn(sp.sm, func(*sim.M) {
				for i, call := range calls {
					o := a.call(sp, base+i, call)
					res.Sched[k].Calls = append(res.Sched[k].Calls, call)
					res.Sched[k].Outcomes = append(res.Sched[k].Outcomes, o)
					if a.dead || o.Cut {
						c.Abort()
						return
					}
				}
			})
			return sp.sm
		},
		MayNotRescue: func(sm *sim.M) bool { return mayNotRescue(sm, run) },
	}
	// The running Ps no thread holds go idle, as findRunnable's pidleput
	// leaves them, in the order of their ids; Ps the setup idled stay
	// where they are on the idle list.
	for _, pp := range allp {
		held := isIdle(pp)
		for _, sm := range sms {
			held = held || ms[sm.ID].p.ptr() == pp
		}
		if !held {
			idleP(pp)
		}
	}
	world.Record(record)
	// Check each P's heap whenever its timersLock is released, in the
	// middle of the other Ms' calls, and that no idle P whose mask bit
	// is clear has timers.
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
				for _, b := range a.idleTimers() {
					if !seen[b] {
						seen[b] = true
						res.IdleAdds = append(res.IdleAdds, b)
					}
				}
			}
		}
	}
	c.Run(sms, func(sm *sim.M) {
		i := sm.ID
		calls := threads[i].Calls
		for k, call := range calls {
			o := a.call(ms[i], first[i]+k, call)
			res.Outcomes[i] = append(res.Outcomes[i], o)
			if a.dead || o.Cut {
				c.Abort()
				return
			}
			// Between calls, and after the last, the M runs the
			// goroutines' own code, which the runtime can preempt at
			// any call's prologue.
			ms[i].curg = ms[i].user
			world.SafePoint("between calls")
			ms[i].curg = ms[i].g0
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
		if isIdle(allp[th.P]) {
			return fmt.Errorf("thread %d: P%d is idle: no code runs on an idle P", i, th.P)
		}
		used[th.P] = true
		for k, c := range th.Calls {
			if c.On != th.P {
				return fmt.Errorf("thread %d call %d: runs on P%d, but the thread holds P%d", i, k, c.On, th.P)
			}
			switch c.Kind {
			case port.Procresize:
				return fmt.Errorf("thread %d call %d: procresize needs the world stopped", i, k)
			case port.Pidleput, port.Pidleget:
				return fmt.Errorf("thread %d call %d: %v: a thread's P goes idle only when its goroutine is preempted", i, k, c.Kind)
			}
			if err := a.check(c); err != nil {
				return fmt.Errorf("thread %d call %d: %w", i, k, err)
			}
		}
	}
	return nil
}

// idleP puts a P that no thread holds on the idle list at the start of
// the threads, as pidleput left it: its timerpMask bit is cleared if it
// has no timers. It happens before the run, so it takes no scheduling
// points.
func idleP(pp *p) {
	if pp.numTimers.Raw() == 0 {
		timerpMask.bits.SetRaw(timerpMask.bits.Raw() &^ (1 << pp.id))
	}
	pidle = append(pidle, pp.id)
}
