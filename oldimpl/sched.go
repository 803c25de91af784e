// Code shared by oldimpl and newimpl: keep the two copies identical apart
// from the package clause (TestTwinsIdentical checks it).

package oldimpl

// This file is the part of proc.go's scheduler that decides which Ps run
// and which are idle, as far as timers see it: the idle list
// (pidleput/pidleget), preemption of a goroutine at a safe point, and
// wakep's rescue of an idle P. README "Goroutines, Ps and safe points"
// lists where it departs from proc.go.

import (
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// pidle is sched.pidle, the idle Ps by id; the head (the P pidleget
// takes next) is the last element.
var pidle []int32

// isIdle reports whether pp is on the idle list.
func isIdle(pp *p) bool { return slices.Contains(pidle, pp.id) }

// pidleput is proc.go's pidleput as timers see it: updateTimerPMask (the
// bit is cleared if pp has no timers), then pp goes on the idle list.
func pidleput(pp *p) {
	updateTimerPMask(pp) // clear if there are no timers.
	pidle = append(pidle, pp.id)
}

// pidleget is proc.go's pidleget: it takes the head of the idle list and
// sets its timerpMask bit ("Timer may get added at any time now").
func pidleget() *p {
	if len(pidle) == 0 {
		return nil
	}
	id := pidle[len(pidle)-1]
	pidle = pidle[:len(pidle)-1]
	timerpMask.set(id)
	return allp[id]
}

// userCall reports whether calls of kind k run on a user goroutine (the
// time package's entry points, netpoll's modtimer from
// poll_runtime_pollSetDeadline, time.Sleep up to gopark); the others run
// on g0, in the scheduler or sysmon.
func userCall(k port.Kind) bool {
	switch k {
	case port.StartTimer, port.StopTimer, port.ResetTimer, port.ModTimer, port.Modtimer, port.Sleep:
		return true
	}
	return false
}

// preemptible is canPreemptM for the goroutine on sm at a safe point: a
// user goroutine (not g0), m.locks == 0, and no runtime lock held (lock
// counts in m.locks upstream).
func preemptible(sm *sim.M) bool {
	mp := ms[sm.ID]
	return mp.curg != mp.g0 && mp.locks == 0 && !sm.Holding()
}

// preemptOptions are the Ps a preempted goroutine on sm may resume on:
// its own (its M runs schedule and picks it again), or the head of the
// idle list, which the M that goschedImpl's wakep starts takes with
// pidleget and which then finds the goroutine on the global run queue.
func preemptOptions(sm *sim.M) []int {
	opts := []int{int(ms[sm.ID].p.ptr().id)}
	if len(pidle) > 0 {
		opts = append(opts, int(pidle[len(pidle)-1]))
	}
	return opts
}

// schedCalls are the calls a scheduler M makes on pp: findRunnable's
// checkTimers(pp, 0), and, when the goroutine resumed on another P and
// none is left for this one, pidleput (which waits for pp's timersLock in
// updateTimerPMask, as the runtime's does).
func schedCalls(pp *p, moved bool) []port.Call {
	id := int(pp.id)
	calls := []port.Call{{Kind: port.CheckTimers, On: id, P: id}}
	if moved {
		calls = append(calls, port.Call{Kind: port.Pidleput, P: id})
	}
	return calls
}

// rescueIdleHead is wakeNetPoller's rescue of a timer that nobody would
// notice: when the head of the idle list is idle with its timerpMask bit
// clear but holds timers (only a timer added to an idle P leaves it so),
// wakep (no thread is in netpoll) takes it with pidlegetSpinning, which
// sets the bit, and the M it starts finds the timers; once that M drops
// the P again, updateTimerPMask keeps the bit, as numTimers > 0. The net
// effect is the bit, set now. The schedule may instead have another M
// spinning (wakep does nothing): the Rescuer's choice.
func rescueIdleHead() {
	if len(pidle) == 0 {
		return
	}
	pp := allp[pidle[len(pidle)-1]]
	if timerpMask.read(uint32(pp.id)) || len(pp.timers) == 0 {
		return
	}
	if world.Rescue("wakep") {
		timerpMask.set(pp.id)
	}
}

// mayNotRescue reports whether an M other than sm may be spinning, so
// that wakep starts none: an M in the scheduler (g0: between calls, in
// checkTimers, done with its calls) can be spinning in findRunnable.
func mayNotRescue(sm *sim.M, run []*sim.M) bool {
	for _, n := range run {
		if n != sm && ms[n.ID].curg == ms[n.ID].g0 {
			return true
		}
	}
	return false
}

// idleTimers checks the assumption stated in updateTimerPMask's comment:
// "An idle P (passed to pidleput) cannot add new timers while idle, so if
// it has no timers at that time, its mask may be cleared." It returns one
// line per idle P whose bit is clear but whose heap holds timers, worded
// as port.IdleAddText words it.
func (a *adapter) idleTimers() []string {
	var bad []string
	for _, id := range pidle {
		pp := allp[id]
		if timerpMask.read(uint32(id)) || len(pp.timers) == 0 {
			continue
		}
		var names []string
		for _, t := range pp.timers {
			names = append(names, a.name(t))
		}
		bad = append(bad, port.IdleAddText(strings.Join(names, ", "), int(id)))
	}
	return bad
}
