package campaign

import (
	"fmt"
	"io"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
)

// A branch is a way through modtimer or deltimer, named by the status of
// the target timer before the call and, for modtimer on a timer in a
// heap, by whether the new when is earlier than the old one. It is
// computed from the trace (the previous step's state), so it means the
// same for both versions.
type branch int

const (
	modRemoved branch = iota
	modWaiting
	modWaitingEarlier
	modModified
	modModifiedEarlier
	modStopped
	modStoppedEarlier
	delRemoved
	delWaiting
	delModified
	delStopped
	numBranches
	noBranch branch = -1
)

var branchNames = [numBranches]string{
	modRemoved:         "modtimer  removed",
	modWaiting:         "modtimer  waiting, later",
	modWaitingEarlier:  "modtimer  waiting, earlier",
	modModified:        "modtimer  modified (nextwhen != 0), later",
	modModifiedEarlier: "modtimer  modified (nextwhen != 0), earlier",
	modStopped:         "modtimer  stopped (modified, nextwhen == 0), later",
	modStoppedEarlier:  "modtimer  stopped (modified, nextwhen == 0), earlier",
	delRemoved:         "deltimer  removed",
	delWaiting:         "deltimer  waiting",
	delModified:        "deltimer  modified (nextwhen != 0)",
	delStopped:         "deltimer  stopped (modified, nextwhen == 0)",
}

func (b branch) String() string {
	if b < 0 || b >= numBranches {
		return "no branch"
	}
	return branchNames[b]
}

// A status class is a timer status as the branches see it.
type statusClass int

const (
	classRemoved statusClass = iota
	classWaiting
	classModified
	classStopped
	classOther // timerLocked, or a timer the state does not list
)

func classOf(ts *port.TimerState) statusClass {
	if ts == nil {
		return classOther
	}
	switch ts.Status {
	case "timerRemoved":
		return classRemoved
	case "timerWaiting":
		return classWaiting
	case "timerModified":
		if ts.Nextwhen == 0 {
			return classStopped
		}
		return classModified
	}
	return classOther
}

// target returns the timer a call acts on, by name, or "".
func target(c port.Call) string {
	switch c.Kind {
	case port.StartTimer, port.StopTimer, port.ResetTimer, port.ModTimer, port.Modtimer:
		return port.TimerName(c.T)
	case port.Sleep:
		return port.SleepTimerName(c.G)
	}
	return ""
}

// TimerIn returns the named timer's state in s; nil s is the initial
// state, where every timer is removed.
func TimerIn(s *port.State, name string) *port.TimerState {
	if s == nil {
		return &port.TimerState{Name: name, Status: "timerRemoved", P: -1}
	}
	for i := range s.Timers {
		if s.Timers[i].Name == name {
			return &s.Timers[i]
		}
	}
	return nil
}

// branchOf classifies call c made in state prev (nil: the initial state,
// with the clock at clock). It returns noBranch for calls that reach
// neither modtimer's nor deltimer's branches: other kinds, startTimer of
// a timer in use (it throws first), sleep of 0ns or less (it returns at
// once), and modtimer with a bad when or period (it throws first).
func branchOf(c port.Call, prev *port.State, clock int64) branch {
	name := target(c)
	if name == "" {
		return noBranch
	}
	ts := TimerIn(prev, name)
	class := classOf(ts)
	if class == classOther {
		return noBranch
	}
	if prev != nil {
		clock = prev.Clock
	}
	when, period := c.When, c.Period
	switch c.Kind {
	case port.StopTimer:
		return delRemoved + branch(class)
	case port.StartTimer:
		if class != classRemoved {
			return noBranch
		}
	case port.ResetTimer:
		period = ts.Period
	case port.Sleep:
		if c.When <= 0 {
			return noBranch
		}
		when = clock + c.When
		if when < 0 {
			when = ops.MaxWhen
		}
	}
	if when <= 0 || period < 0 {
		return noBranch
	}
	earlier := when < ts.When
	switch class {
	case classWaiting:
		return pick(earlier, modWaitingEarlier, modWaiting)
	case classModified:
		return pick(earlier, modModifiedEarlier, modModified)
	case classStopped:
		return pick(earlier, modStoppedEarlier, modStopped)
	}
	return modRemoved
}

func pick(cond bool, yes, no branch) branch {
	if cond {
		return yes
	}
	return no
}

// Coverage counts the calls through each branch of modtimer and deltimer.
type Coverage [numBranches]int

// Add counts the branches of a trace of a program that started at clock.
// Calls the adapter refused are not counted.
func (cv *Coverage) Add(tr *run.Trace, clock int64) {
	var prev *port.State
	for i := range tr.Steps {
		s := &tr.Steps[i]
		if s.Err == "" {
			if b := branchOf(s.Call, prev, clock); b != noBranch {
				cv[b]++
			}
		}
		prev = s.State
	}
}

func (cv *Coverage) hit() int {
	n := 0
	for _, c := range cv {
		if c > 0 {
			n++
		}
	}
	return n
}

// Write prints the coverage table.
func (cv *Coverage) Write(w io.Writer) {
	fmt.Fprintf(w, "modtimer branch coverage (by the target timer's status before the call):\n")
	for b, c := range cv {
		fmt.Fprintf(w, "  %-52s %9d\n", branch(b), c)
	}
	fmt.Fprintf(w, "  %d/%d branches hit\n", cv.hit(), numBranches)
}
