package ops

import (
	"fmt"
	"slices"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// ConcProgram is a concurrent program: the embedded Program is a
// sequential setup run first on a fresh World; then thread i runs on M i,
// holding P Threads[i].P, interleaved with the other threads.
//
// Its three forms convert as a Program's do: ConcProgram.Script and
// ParseConc (script text with "thread Pn:" blocks and an optional
// "schedule" line), DecodeConc and EncodeConc (fuzz bytes).
//
// A valid ConcProgram (see Validate):
//   - its setup is a valid Program, and creates no stop or reset timer
//     functions (see below);
//   - it has 1..N threads, N the number of Ps after the setup, each on a
//     distinct existing P; every call of thread i has On == Threads[i].P
//     (also the calls that print without a "Pn: " prefix: pidleput,
//     pidleget, nobarrierWakeTime, timeSleepUntil, advance);
//   - a thread calls no procresize (it needs the world stopped), and
//     pidleput, pidleget and nobarrierWakeTime only on its own P;
//   - the API contract: no two threads stop, reset or modify the same
//     timer (startTimer, stopTimer, resetTimer, modTimer, modtimer), nor
//     sleep on the same goroutine: each timer and each goroutine belongs
//     to at most one thread;
//   - every timer function is fire-only (f=fire(aN)), in the setup and in
//     the threads: a stop or reset function runs on whichever M runs
//     checkTimers, and would break the contract;
//   - the clock stays below maxWhen whatever the interleaving (the
//     advances of setup and threads together);
//   - the Schedule, if any, names only the threads' Ms (M0..M{n-1}) and
//     existing Ps (migrations, "P2").
//
// ValidateShape checks all of this except the API contract and the
// fire-only rule, for the clearly labelled out-of-contract mode
// (ParseConcShape reads such scripts; DecodeConc never makes them).
type ConcProgram struct {
	Program
	Threads []port.Thread
	// Schedule, if not nil, is a stored interleaving to replay (see
	// sched.Replay): the ID of the M chosen at each choice point.
	Schedule sched.Schedule
}

// Equal reports whether p and q are the same concurrent program.
func (p ConcProgram) Equal(q ConcProgram) bool {
	if !p.Program.Equal(q.Program) || len(p.Threads) != len(q.Threads) || !slices.Equal(p.Schedule, q.Schedule) {
		return false
	}
	for i := range p.Threads {
		if p.Threads[i].P != q.Threads[i].P || !slices.Equal(p.Threads[i].Calls, q.Threads[i].Calls) {
			return false
		}
	}
	return true
}

// Serial returns the sequential Program that runs the setup and then the
// threads one after another, thread 0 first: the interleaving that a
// sequential run can show (the schedule "M0*∞ M1*∞ ..."). Calls that are
// not made on a P get On 0 again, as Program wants.
func (p ConcProgram) Serial() Program {
	s := Program{Procs: p.Procs, Timers: p.Timers, Ops: slices.Clone(p.Ops)}
	for _, th := range p.Threads {
		for _, c := range th.Calls {
			if !uses(c.Kind, 0).on {
				c.On = 0
			}
			s.Ops = append(s.Ops, c)
		}
	}
	return s
}

// concErr locates a reason a ConcProgram is invalid.
type concErr struct {
	thread int // -1: the setup or the program as a whole
	op     int // setup: the op (-1: the header); thread: the call (-1: the thread itself)
	msg    string
}

// Validate reports the first reason p is not a valid ConcProgram: it is
// ValidateShape and the API contract (the rules "the API contract" and
// "fire-only" above).
func (p ConcProgram) Validate() error { return p.errorOf(p.check(true)) }

// ValidateShape reports the first reason p is not a valid ConcProgram,
// except for the API contract: it accepts two threads that stop, reset or
// modify the same timer or sleep on the same goroutine, and stop and
// reset timer functions. Such a program is one the runtime's users must
// not write; only the clearly labelled out-of-contract modes run it
// (difftest explore -break-contract). Everything else Validate checks
// still holds.
func (p ConcProgram) ValidateShape() error { return p.errorOf(p.check(false)) }

func (p ConcProgram) errorOf(e *concErr) error {
	switch {
	case e == nil:
		return nil
	case e.thread < 0 && e.op < 0:
		return fmt.Errorf("invalid concurrent program: %s", e.msg)
	case e.thread < 0:
		return fmt.Errorf("setup op %d (%v): %s", e.op, p.Ops[e.op], e.msg)
	case e.op < 0:
		return fmt.Errorf("thread %d (P%d): %s", e.thread, p.Threads[e.thread].P, e.msg)
	}
	return fmt.Errorf("thread %d (P%d) call %d (%v): %s", e.thread, p.Threads[e.thread].P, e.op, p.Threads[e.thread].Calls[e.op], e.msg)
}

// noIdling is the message for pidleput and pidleget in a concurrent
// program.
const noIdling = "no pidleput or pidleget in a concurrent program: Ps go idle when a preempted goroutine resumes elsewhere (see README, safe points), and the Ps no thread holds are idle from the start"

// fireOnly is the message for a stop or reset function.
const fireOnly = "timer functions must be fire-only (or netpoll's deadline) in a concurrent program: a stop or reset function runs on whichever M runs checkTimers, breaking the API contract"

// freshOnly is the message for a thread's startTimer of a timer used
// before.
const freshOnly = "API contract: startTimer takes a fresh timer (time.NewTimer, time.AfterFunc): %s was used before (%s); restart it with resetTimer. A second start of one timer is a copied time.Timer, whose fields the model cannot know while another M may run the timer"

// timerCall reports whether calls of kind k take a timer slot T.
func timerCall(k port.Kind) bool {
	switch k {
	case port.StartTimer, port.StopTimer, port.ResetTimer, port.ModTimer, port.Modtimer:
		return true
	}
	return false
}

// contractFunc reports whether timer functions of kind k keep the API
// contract in a concurrent program: they touch no timer (fire, and
// netpoll's deadline, which takes only its pollDesc's lock).
func contractFunc(k port.FuncKind) bool { return k == port.FuncFire || k == port.FuncDeadline }

// check finds the first reason p is invalid; the API contract rules only
// if contract.
func (p ConcProgram) check(contract bool) *concErr {
	if i, msg := p.Program.check(); msg != "" {
		return &concErr{thread: -1, op: i, msg: msg}
	}
	procs, clock := p.Procs, port.DefaultConfig.Clock
	usedAt := map[int]string{} // timer -> where it was first used
	for i, c := range p.Ops {
		if timerCall(c.Kind) {
			if _, ok := usedAt[c.T]; !ok {
				usedAt[c.T] = fmt.Sprintf("setup op %d", i)
			}
		}
		switch c.Kind {
		case port.Pidleput, port.Pidleget:
			return &concErr{thread: -1, op: i, msg: noIdling}
		case port.StartTimer, port.Modtimer:
			if contract && !contractFunc(c.F.Kind) {
				return &concErr{thread: -1, op: i, msg: fireOnly}
			}
		case port.Procresize:
			procs = c.N
		case port.Advance:
			clock += c.When
		}
	}
	if len(p.Threads) < 1 || len(p.Threads) > procs {
		return &concErr{thread: -1, op: -1, msg: fmt.Sprintf("%d threads, want 1..%d (the Ps after the setup)", len(p.Threads), procs)}
	}
	timerOwner := map[int]int{}
	gOwner := map[int]int{}
	held := map[int]int{}
	for i, th := range p.Threads {
		if th.P < 0 || th.P >= procs {
			return &concErr{thread: i, op: -1, msg: fmt.Sprintf("P%d does not exist (%d Ps after the setup)", th.P, procs)}
		}
		if j, ok := held[th.P]; ok {
			return &concErr{thread: i, op: -1, msg: fmt.Sprintf("P%d is held by thread %d too", th.P, j)}
		}
		held[th.P] = i
		for k, c := range th.Calls {
			bad := func(format string, args ...any) *concErr {
				return &concErr{thread: i, op: k, msg: fmt.Sprintf(format, args...)}
			}
			if c.On != th.P {
				return bad("runs on P%d, but the thread holds P%d", c.On, th.P)
			}
			if !uses(c.Kind, 0).on {
				c.On = 0
			}
			if msg := checkCall(c, procs, p.Timers, clock); msg != "" {
				return bad("%s", msg)
			}
			owner, what := timerOwner, port.TimerName(c.T)
			switch c.Kind {
			case port.Procresize:
				return bad("procresize needs the world stopped: not in a thread")
			case port.Pidleput, port.Pidleget:
				return bad("%s", noIdling)
			case port.NobarrierWakeTime:
				if c.P != th.P {
					return bad("a thread may only drop its own P (P%d)", th.P)
				}
				continue
			case port.Advance:
				clock += c.When
				continue
			case port.StartTimer, port.Modtimer:
				if contract && !contractFunc(c.F.Kind) {
					return bad("%s", fireOnly)
				}
				if at, ok := usedAt[c.T]; contract && ok && c.Kind == port.StartTimer {
					return bad(freshOnly, what, at)
				}
			case port.StopTimer, port.ResetTimer, port.ModTimer:
			case port.Sleep:
				owner, what = gOwner, fmt.Sprintf("g%d", c.G)
			default:
				continue
			}
			id := c.T
			if c.Kind == port.Sleep {
				id = c.G
			}
			if j, ok := owner[id]; contract && ok && j != i {
				return bad("API contract: %s is used by thread %d too; each timer and goroutine belongs to at most one thread", what, j)
			}
			owner[id] = i
			if _, ok := usedAt[c.T]; timerCall(c.Kind) && !ok {
				usedAt[c.T] = fmt.Sprintf("thread %d call %d", i, k)
			}
		}
	}
	for _, m := range p.Schedule {
		if m == sim.NoRescueMark {
			continue
		}
		if m >= sim.MigrateMark+sim.STWMark {
			if n := m - sim.MigrateMark - sim.STWMark; n < 1 || n >= procs {
				return &concErr{thread: -1, op: -1, msg: fmt.Sprintf("schedule stops the world for procresize(%d), but there are %d Ps", n, procs)}
			}
			continue
		}
		if m >= sim.MigrateMark {
			if pid := m - sim.MigrateMark; pid >= procs {
				return &concErr{thread: -1, op: -1, msg: fmt.Sprintf("schedule moves a goroutine to P%d, but there are %d Ps", pid, procs)}
			}
			continue
		}
		// Ms past the threads' are the scheduler Ms that preemptions
		// start, one per preemption at most.
		if m < 0 || m >= len(p.Threads)+preemptions(p.Schedule) {
			return &concErr{thread: -1, op: -1, msg: fmt.Sprintf("schedule names M%d, but there are %d threads (M0..M%d) and %d preemptions to start scheduler Ms", m, len(p.Threads), len(p.Threads)-1, preemptions(p.Schedule))}
		}
	}
	return nil
}

// preemptions counts the preemptions at safe points a schedule makes.
func preemptions(s sched.Schedule) int {
	n := 0
	for _, m := range s {
		if m >= sim.MigrateMark && m != sim.NoRescueMark {
			n++
		}
	}
	return n
}
