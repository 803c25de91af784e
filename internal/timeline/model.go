package timeline

// This file reads a trace's event log into the facts both pictures draw:
// what each event is, what state each M is in at each event, the spans of
// each call and of each held lock.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// kind is what an event is, read from its What.
type kind uint8

const (
	kPrim     kind = iota // acquirem, releasem, or anything not below
	kLoad                 // an atomic load: "t0.status.Load"
	kWrite                // any other atomic op: Store, CompareAndSwap, Add, ...
	kLock                 // "lock(P0.timersLock)": the request
	kUnlock               // "unlock(P0.timersLock)"
	kAcquired             // "acquired t0": the M now holds the lock
	kReleased             // "released t0"
	kOsyield              // "osyield"
	kSwitch               // "switch M0 -> M1 (preempted)"
	kMigrate              // sim.MarkPreempt or MarkMove: "migrate at lock: the goroutine on M0 is preempted and resumes on P2"
	kNoRescue             // sim.MarkNoRescue: "no wakep: another M is spinning, so no M is started"
)

// state is what an M is doing at an event.
type state uint8

const (
	sNotStarted state = iota // before its first event
	sRunning                 // the event is its own
	sPreempted               // switched away from while it could go on
	sBlocked                 // waiting in lock for a lock another M holds
	sSpinning                // waiting in osyield for another M's progress
	sReady                   // lost the token without a recorded switch
	sDone                    // after its last event
)

// Lock classes as the pictures color them.
const (
	classTimer  = "timer"  // a timer's status word while timerLocked: "t0"
	classTimers = "timers" // a P's timersLock
	classOther  = "other"  // allpLock, netpollInitLock
)

// event is one sim.Event with its index and what was read from its What.
type event struct {
	sim.Event
	i     int
	kind  kind
	lock  string // kLock, kUnlock, kAcquired, kReleased: the lock's name
	to    int    // kSwitch: the M switched to; kMigrate: the P the goroutine resumes on (moved) or the scheduler runs on
	moved bool   // kMigrate: the goroutine resumes on another P (sim.MarkMove)
	why   state  // kSwitch: sPreempted, sBlocked or sSpinning
}

func parse(i int, e sim.Event) event {
	ev := event{Event: e, i: i}
	w := e.What
	switch e.Mark {
	case sim.MarkPreempt, sim.MarkMove:
		ev.kind, ev.to, ev.moved = kMigrate, e.P, e.Mark == sim.MarkMove
		return ev
	case sim.MarkNoRescue:
		ev.kind = kNoRescue
		return ev
	}
	switch {
	case strings.HasPrefix(w, "switch "):
		var from, to int
		var why string
		if _, err := fmt.Sscanf(w, "switch M%d -> M%d (%s", &from, &to, &why); err != nil {
			panic(fmt.Sprintf("timeline: event %d: unreadable switch %q: %v", i, w, err))
		}
		ev.kind, ev.to = kSwitch, to
		switch strings.TrimSuffix(why, ")") {
		case "preempted":
			ev.why = sPreempted
		case "blocked":
			ev.why = sBlocked
		case "spinning":
			ev.why = sSpinning
		default:
			panic(fmt.Sprintf("timeline: event %d: unknown switch reason in %q", i, w))
		}
	case strings.HasPrefix(w, "lock(") && strings.HasSuffix(w, ")"):
		ev.kind, ev.lock = kLock, w[len("lock("):len(w)-1]
	case strings.HasPrefix(w, "unlock(") && strings.HasSuffix(w, ")"):
		ev.kind, ev.lock = kUnlock, w[len("unlock("):len(w)-1]
	case strings.HasPrefix(w, "acquired "):
		ev.kind, ev.lock = kAcquired, strings.TrimPrefix(w, "acquired ")
	case strings.HasPrefix(w, "released "):
		ev.kind, ev.lock = kReleased, strings.TrimPrefix(w, "released ")
	case w == "osyield":
		ev.kind = kOsyield
	case strings.HasSuffix(w, ".Load"):
		ev.kind = kLoad
	case strings.Contains(w, "."):
		ev.kind = kWrite
	default:
		ev.kind = kPrim
	}
	return ev
}

// lockClass classifies a lock by its name, as the ports name them.
func lockClass(name string) string {
	switch {
	case strings.HasSuffix(name, ".timersLock"):
		return classTimers
	case name == "allpLock" || name == "netpollInitLock":
		return classOther
	}
	return classTimer
}

// callSpan is one call as one M made it: from its first event to its last.
type callSpan struct {
	m           int
	call        int // the global call index (sim.Event.Call)
	label       string
	result      string
	first, last int
}

// lockSpan is one holding of a lock by one M: from the event that acquired
// it to the one that released it (end: len(events) if it never did).
type lockSpan struct {
	m        int
	lock     string
	from, to int
}

// model is a trace's event log read once.
type model struct {
	tr     *run.ConcTrace
	events []event
	nm     int          // Ms: threads, or more if the log names more
	first  []int        // per M: its first event, or -1
	last   []int        // per M: its last event, or -1
	states [][]state    // states[j][m]: M m's state at event j
	calls  []callSpan   // in order of first event
	locks  [][]lockSpan // per M, in order of acquisition
	names  map[int]string
	result map[int]string
}

func newModel(tr *run.ConcTrace) *model {
	md := &model{tr: tr, nm: len(tr.Threads)}
	for i, e := range tr.Events {
		md.events = append(md.events, parse(i, e))
		md.nm = max(md.nm, e.M+1)
	}
	md.first = slices.Repeat([]int{-1}, md.nm)
	md.last = slices.Repeat([]int{-1}, md.nm)
	for _, e := range md.events {
		if md.first[e.M] < 0 {
			md.first[e.M] = e.i
		}
		md.last[e.M] = e.i
	}
	md.nameCalls()
	md.walk()
	return md
}

// nameCalls maps the global call indices in the log to the threads'
// calls. Event.Call numbers the setup calls first, then thread 0's calls,
// thread 1's, ...; but a run cut short leaves a thread's later calls out
// of tr.Threads, so the numbering is recovered per M instead: the calls
// of thread m that took a step are, in order, the distinct Call values of
// M m's events (a call that took no step records no event).
func (md *model) nameCalls() {
	md.names, md.result = map[int]string{}, map[int]string{}
	for m := 0; m < md.nm; m++ {
		var seen []int
		for _, e := range md.events {
			if e.M == m && !slices.Contains(seen, e.Call) {
				seen = append(seen, e.Call)
			}
		}
		var steps []run.Step
		if m < len(md.tr.Threads) {
			for _, st := range md.tr.Threads[m] {
				if st.Out.Steps > 0 {
					steps = append(steps, st)
				}
			}
		} else if sr := md.schedRun(m); sr != nil {
			for k := range sr.Calls {
				if k < len(sr.Outcomes) && sr.Outcomes[k].Steps > 0 {
					steps = append(steps, run.Step{Call: sr.Calls[k], Out: sr.Outcomes[k]})
				}
			}
		}
		for k, c := range seen {
			if k < len(steps) && len(seen) == len(steps) {
				md.names[c] = steps[k].Call.String()
				md.result[c] = result(&steps[k])
			} else {
				md.names[c] = fmt.Sprintf("call %d", c)
			}
		}
	}
}

// result is a step's outcome in a few words.
func result(st *run.Step) string {
	var parts []string
	if st.Err != "" {
		parts = append(parts, "error: "+st.Err)
	}
	if r := st.Out.Result(st.Call.Kind); r != "" {
		parts = append(parts, r)
	}
	for _, f := range st.Out.Fires {
		parts = append(parts, "fires "+f.String())
	}
	if st.Out.Cut {
		parts = append(parts, "cut short: another M threw or hung")
	}
	if len(parts) == 0 {
		return "ok"
	}
	return strings.Join(parts, "; ")
}

// walk computes the Ms' states, the call spans and the lock spans.
func (md *model) walk() {
	st := make([]state, md.nm)
	md.locks = make([][]lockSpan, md.nm)
	open := make([]map[string]int, md.nm) // per M: lock -> index in locks[m]
	for m := range open {
		open[m] = map[string]int{}
	}
	callAt := map[[2]int]int{} // (M, call) -> index in calls
	prev := -1
	for j, e := range md.events {
		if prev >= 0 && e.M != prev && st[prev] == sRunning {
			st[prev] = sReady // the token moved without a switch: prev ended
		}
		st[e.M] = sRunning
		row := make([]state, md.nm)
		for m := range row {
			switch {
			case md.first[m] < 0 || j < md.first[m]:
				row[m] = sNotStarted
			case j > md.last[m]:
				row[m] = sDone
			default:
				row[m] = st[m]
			}
		}
		md.states = append(md.states, row)

		key := [2]int{e.M, e.Call}
		if k, ok := callAt[key]; ok {
			md.calls[k].last = j
		} else {
			callAt[key] = len(md.calls)
			md.calls = append(md.calls, callSpan{m: e.M, call: e.Call, label: md.names[e.Call], result: md.result[e.Call], first: j, last: j})
		}

		switch e.kind {
		case kSwitch:
			st[e.M] = e.why
		case kAcquired:
			open[e.M][e.lock] = len(md.locks[e.M])
			md.locks[e.M] = append(md.locks[e.M], lockSpan{m: e.M, lock: e.lock, from: j, to: len(md.events)})
		case kReleased:
			if k, ok := open[e.M][e.lock]; ok {
				md.locks[e.M][k].to = j
				delete(open[e.M], e.lock)
			}
		}
		prev = e.M
	}
}

// heldString prints a held-lock set.
func heldString(m int, held []string) string {
	if len(held) == 0 {
		return fmt.Sprintf("M%d holds nothing", m)
	}
	return fmt.Sprintf("M%d holds %s", m, strings.Join(held, ", "))
}

// threadP returns the P thread m holds, or -1.
func (md *model) threadP(m int) int {
	if m < len(md.tr.Threads) && len(md.tr.Threads[m]) > 0 {
		return md.tr.Threads[m][0].Call.On
	}
	return -1
}

// schedRun returns the scheduler run M m made, or nil.
func (md *model) schedRun(m int) *port.SchedRun {
	for k := range md.tr.Sched {
		if md.tr.Sched[k].M == m {
			return &md.tr.Sched[k]
		}
	}
	return nil
}

// mName names M m's lane with the Ps its goroutine ran on: "M0 on P0",
// "M0 on P0→P2" after a move; a scheduler M as "M2 sched P0".
func (md *model) mName(m int) string {
	p := md.threadP(m)
	if p < 0 {
		if sr := md.schedRun(m); sr != nil {
			return fmt.Sprintf("M%d sched P%d", m, sr.P)
		}
		return fmt.Sprintf("M%d", m)
	}
	name := fmt.Sprintf("M%d on P%d", m, p)
	for _, e := range md.events {
		if e.M == m && e.kind == kMigrate && e.moved {
			name += fmt.Sprintf("→P%d", e.to)
		}
	}
	return name
}

// lockedBy returns the lock M m is asking for at or before event j: the
// lock of its last lock() request.
func (md *model) lockedBy(m, j int) string {
	for ; j >= 0; j-- {
		if e := md.events[j]; e.M == m && e.kind == kLock {
			return e.lock
		}
	}
	return "?"
}
