package main

import (
	"fmt"
	"strings"

	"github.com/timerdiff/timerdiff/internal/campaign"
	"github.com/timerdiff/timerdiff/internal/port"
)

// stateChanges lists, one per line, what differs from a to b: the clock,
// each timer's fields (its status first, as "t1: timerWaiting ->
// timerModified"), each P's counters and heap, the timer mask, and each
// M, in that order.
func stateChanges(a, b *port.State) []string {
	var out []string
	change := func(what string, x, y any) {
		if xs, ys := show(x), show(y); xs != ys {
			out = append(out, fmt.Sprintf("%s %s -> %s", what, xs, ys))
		}
	}
	change("clock", a.Clock, b.Clock)
	for _, tb := range b.Timers {
		ta := campaign.TimerIn(a, tb.Name)
		if ta == nil {
			out = append(out, fmt.Sprintf("%s: new, %s", tb.Name, tb.Status))
			continue
		}
		if ta.Status != tb.Status {
			out = append(out, fmt.Sprintf("%s: %s -> %s", tb.Name, ta.Status, tb.Status))
		}
		n := tb.Name + "."
		change(n+"when", ta.When, tb.When)
		change(n+"nextwhen", ta.Nextwhen, tb.Nextwhen)
		change(n+"period", ta.Period, tb.Period)
		change(n+"pp", port.PName(ta.P), port.PName(tb.P))
		change(n+"f", ta.F, tb.F)
		change(n+"seq", ta.Seq, tb.Seq)
	}
	for _, pb := range b.Procs {
		pa := procIn(a, pb.ID)
		n := fmt.Sprintf("P%d.", pb.ID)
		if pa == nil {
			out = append(out, fmt.Sprintf("P%d: added", pb.ID))
			pa = &port.ProcState{}
		}
		change(n+"numTimers", pa.NumTimers, pb.NumTimers)
		change(n+"deletedTimers", pa.DeletedTimers, pb.DeletedTimers)
		change(n+"timer0When", pa.Timer0When, pb.Timer0When)
		change(n+"timerModifiedEarliest", pa.TimerModifiedEarliest, pb.TimerModifiedEarliest)
		change(n+"timers", heap(pa.Heap), heap(pb.Heap))
		change(n+"timersLocked", pa.TimersLocked, pb.TimersLocked)
	}
	for _, pa := range a.Procs {
		if procIn(b, pa.ID) == nil {
			out = append(out, fmt.Sprintf("P%d: destroyed", pa.ID))
		}
	}
	change("timerpMask", a.TimerpMask, b.TimerpMask)
	change("netpollInited", a.NetpollInited, b.NetpollInited)
	for _, mb := range b.Ms {
		ma := port.MState{P: -1}
		found := false
		for _, m := range a.Ms {
			if m.ID == mb.ID {
				ma, found = m, true
			}
		}
		n := fmt.Sprintf("M%d.", mb.ID)
		if !found {
			out = append(out, fmt.Sprintf("M%d: new", mb.ID))
		}
		change(n+"p", port.PName(ma.P), port.PName(mb.P))
		change(n+"locks", ma.Locks, mb.Locks)
		change(n+"held", ma.Held, mb.Held)
	}
	return out
}

func procIn(s *port.State, id int) *port.ProcState {
	for i := range s.Procs {
		if s.Procs[i].ID == id {
			return &s.Procs[i]
		}
	}
	return nil
}

// heap prints a P's timer heap as [t0@110 t2@130].
func heap(h []port.HeapEntry) string {
	parts := make([]string, len(h))
	for i, e := range h {
		parts[i] = fmt.Sprintf("%s@%d", e.Timer, e.When)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// show prints a state value; "" prints as "" so that it is seen.
func show(v any) string {
	if s := fmt.Sprint(v); s != "" {
		return s
	}
	return `""`
}
