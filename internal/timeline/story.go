package timeline

// This file finds what both pictures say first: the judge's verdict, and
// the steps of a run that make it (where a goroutine became preemptible,
// was preempted and resumed, where a P went idle, where a timer landed on
// an idle P, a rescue that did not happen, and the timers no path ran).
// Everything here is read from typed data: the oracle's problems, the
// events' sim.EventMark, run.ConcTrace's Sched, IdleAddAt and Lost.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/run"
)

// Verdict is the judge's word on the runs the pictures show: the lists of
// check.ConcResult.
type Verdict struct {
	New    []oracle.Problem // the new version's alone (ConcResult.Problems): they fail the run
	Shared []oracle.Problem // shown by both versions (ConcResult.Shared): upstream properties
	Old    []oracle.Problem // the old version's alone (ConcResult.Known)
}

// group is which list of a Verdict a problem is in.
type group uint8

const (
	gNone   group = iota // in no list: a step of the story, not a problem
	gNew                 // the new version alone: the alarm
	gShared              // both versions
	gOld                 // the old version alone
)

// groupOf finds the list holding a problem of the given kinds and text.
func (v *Verdict) groupOf(text string, kinds ...oracle.Kind) group {
	if v == nil {
		return gNone
	}
	for g, ps := range map[group][]oracle.Problem{gNew: v.New, gShared: v.Shared, gOld: v.Old} {
		for _, p := range ps {
			if p.Text == text && slices.Contains(kinds, p.Kind) {
				return g
			}
		}
	}
	return gNone
}

// empty reports whether the verdict lists no problem at all.
func (v *Verdict) empty() bool {
	return v == nil || len(v.New)+len(v.Shared)+len(v.Old) == 0
}

// sameOutcome reports whether the two runs' thread calls had the same
// results (as the pictures print them).
func sameOutcome(old, new *run.ConcTrace) bool {
	if old == nil || new == nil || len(old.Threads) != len(new.Threads) {
		return false
	}
	for m := range old.Threads {
		if len(old.Threads[m]) != len(new.Threads[m]) {
			return false
		}
		for k := range old.Threads[m] {
			if result(&old.Threads[m][k]) != result(&new.Threads[m][k]) {
				return false
			}
		}
	}
	return true
}

// equalRun reports whether the page shows two runs with the same outcome
// and no problem in either: then nothing on it is alarming.
func equalRun(old, new *run.ConcTrace, v *Verdict) bool {
	return v != nil && v.empty() && sameOutcome(old, new)
}

// verdictGroup is one list of the verdict, with its heading.
type verdictGroup struct {
	g        group
	heading  string
	problems []oracle.Problem
}

// verdictGroups is the verdict in the runtime's terms: a summary, then
// the problems grouped (the new version alone, both, the old alone).
func verdictGroups(old, new *run.ConcTrace, v *Verdict) (groups []verdictGroup, summary string) {
	if v == nil {
		return nil, ""
	}
	if equalRun(old, new, v) {
		return nil, "Same behaviour: under this schedule both versions reach the same outcome and neither shows a problem."
	}
	switch {
	case len(v.New) > 0:
		summary = fmt.Sprintf("The new version alone shows %s: the CL changed what the runtime does.", count(len(v.New), "problem", "problems"))
	case len(v.Shared)+len(v.Old) > 0:
		summary = "The new version shows no problem of its own."
	default:
		summary = "Neither version shows a problem, but their calls' results differ under this schedule (not a divergence by itself: see difftest explore)."
	}
	for _, g := range []verdictGroup{
		{gNew, "the new version alone", v.New},
		{gShared, "both versions (upstream properties, not the CL's)", v.Shared},
		{gOld, "the old version alone (known defects of the old code)", v.Old},
	} {
		if len(g.problems) > 0 {
			groups = append(groups, g)
		}
	}
	return groups, summary
}

// count says n things: "1 problem", "2 problems".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// step is one marked event of a run: a step of the story the verdict
// tells. at is an event index, or len(events) for what holds after the
// threads.
type step struct {
	at    int
	m     int // the M whose lane it marks (-1: after the threads)
	label string
	g     group // the problem it shows, if any
}

// steps finds the marked events of md's run, in order.
func (md *model) steps(v *Verdict) []step {
	var out []step
	n := len(md.events)
	for j, e := range md.events {
		switch e.kind {
		case kMigrate:
			out = append(out, md.preemptSteps(j)...)
		case kNoRescue:
			what, _, _ := strings.Cut(e.What, ":")
			idle := "the idle P"
			for _, sp := range md.idleSpans() {
				if sp.timer >= 0 && sp.timer < j && j < sp.to {
					idle = fmt.Sprintf("P%d, where %s waits", sp.p, sp.timerTxt)
				}
			}
			out = append(out, step{at: j, m: e.M, label: what + ": another M is spinning in the scheduler, so no M is started to take " + idle})
		}
	}
	for _, sr := range md.tr.Sched {
		if !sr.Moved {
			continue
		}
		last, clear := -1, -1
		for j, e := range md.events {
			if e.M != sr.M {
				continue
			}
			last = j
			if e.kind == kWrite && strings.HasPrefix(e.What, "timerpMask.") {
				clear = j
			}
		}
		switch {
		case clear >= 0:
			out = append(out, step{at: clear, m: sr.M, label: fmt.Sprintf("pidleput(P%d): updateTimerPMask clears P%d's timerpMask bit (no timers); P%d is idle", sr.P, sr.P, sr.P)})
		case last >= 0:
			out = append(out, step{at: last, m: sr.M, label: fmt.Sprintf("pidleput(P%d): P%d is idle, its timerpMask bit left as it was", sr.P, sr.P)})
		}
	}
	for k, at := range md.tr.IdleAddAt {
		if at < 0 || at >= n || k >= len(md.tr.IdleAdds) {
			continue
		}
		text := md.tr.IdleAdds[k]
		label, _, _ := strings.Cut(text, " (updateTimerPMask")
		if e := md.events[at]; e.kind == kReleased {
			label = fmt.Sprintf("after unlock(%s): %s", e.lock, label)
		}
		out = append(out, step{at: at, m: md.events[at].M, label: label, g: v.groupOf(text, oracle.IdleAdd)})
	}
	for _, l := range md.tr.Lost {
		out = append(out, step{at: n, m: -1, label: md.stuckLabel(l), g: v.groupOf(l.Text, oracle.Lost, oracle.Unnoticed)})
	}
	slices.SortStableFunc(out, func(a, b step) int { return a.at - b.at })
	return out
}

// preemptSteps marks a preemption at event j: where the goroutine became
// preemptible (the releasem that brought m.locks to 0), where it was
// preempted, and where it resumed.
func (md *model) preemptSteps(j int) []step {
	e := md.events[j]
	m := e.M
	var out []step
	// The M's events of this call before j, latest first.
	prev := func(from int) int {
		for k := from - 1; k >= 0; k-- {
			if o := md.events[k]; o.M == m && o.kind != kSwitch {
				if o.Call != e.Call || o.kind == kMigrate {
					return -1
				}
				return k
			}
		}
		return -1
	}
	req := -1 // the lock() whose prologue is the safe point
	if k := prev(j); k >= 0 && md.events[k].kind == kLock {
		req = k
	}
	for k := prev(j); k >= 0; k = prev(k) {
		if md.events[k].What != "releasem" {
			continue
		}
		label := "releasem: m.locks = 0, the goroutine is preemptible again"
		if r := prev(k); r >= 0 && md.events[r].kind == kReleased && lockClass(md.events[r].lock) == classTimer {
			label = fmt.Sprintf("%s.unlock's releasem: m.locks = 0, the goroutine is preemptible", md.events[r].lock)
		}
		if req >= 0 {
			label += fmt.Sprintf("; it has read its P, pp = %s", strings.TrimSuffix(md.events[req].lock, ".timersLock"))
		}
		out = append(out, step{at: k, m: m, label: label})
		break
	}
	where := "at a safe point"
	if req >= 0 {
		where = fmt.Sprintf("in the prologue of lock(%s), a safe point", md.events[req].lock)
	}
	if e.moved {
		out = append(out, step{at: j, m: m, label: fmt.Sprintf("preempted %s; it will resume on P%d", where, e.to)})
	} else {
		out = append(out, step{at: j, m: m, label: fmt.Sprintf("preempted %s; its M runs the scheduler on P%d", where, e.to)})
	}
	for k := j + 1; k < len(md.events); k++ {
		if r := md.events[k]; r.M == m && r.kind != kSwitch {
			label := fmt.Sprintf("the goroutine resumes on P%d", e.to)
			if r.kind == kAcquired && req >= 0 && r.lock == md.events[req].lock {
				label += fmt.Sprintf(" and takes %s (pp is still %s)", r.lock, strings.TrimSuffix(r.lock, ".timersLock"))
			}
			out = append(out, step{at: k, m: m, label: label})
			break
		}
	}
	return out
}

// stuckLabel says what the drain after the threads found, with the
// timer's due time from the final state.
func (md *model) stuckLabel(l run.Stuck) string {
	due := ""
	if s := md.tr.Final; s != nil {
		for _, t := range s.Timers {
			if t.Name == l.Timer {
				due = fmt.Sprintf(", due at %d (now %d)", t.When, s.Clock)
			}
		}
	}
	switch l.Kind {
	case run.Unnoticed:
		return fmt.Sprintf("after the threads: %s%s sits on idle P%d with its bit clear: no path runs it (unnoticed timer)", l.Timer, due, l.P)
	case run.NeverFired:
		return fmt.Sprintf("after the threads: %s%s never fired (lost timer)", l.Timer, due)
	}
	return "after the threads: " + l.Kind.String() + ": " + l.Text
}

// counts says what a run did, counted from its events: goroutine
// preemptions at safe points (with their moves) and switches between Ms.
func (md *model) counts() string {
	var pre, moved int
	var to []string
	sw := map[state]int{}
	for _, e := range md.events {
		switch e.kind {
		case kMigrate:
			pre++
			if e.moved {
				moved++
				to = append(to, fmt.Sprintf("P%d", e.to))
			}
		case kSwitch:
			sw[e.why]++
		}
	}
	s := fmt.Sprintf("%d Ms, %d events, %s at a safe point", md.nm, len(md.events), count(pre, "goroutine preemption", "goroutine preemptions"))
	if pre > 0 {
		s += fmt.Sprintf(" (%d resumed on another P", moved)
		if moved > 0 {
			s += ": " + strings.Join(to, ", ")
		}
		s += ")"
	}
	s += fmt.Sprintf(", %s (%d while runnable, %d blocked in lock, %d spinning)", count(sw[sPreempted]+sw[sBlocked]+sw[sSpinning], "switch between Ms", "switches between Ms"), sw[sPreempted], sw[sBlocked], sw[sSpinning])
	return s
}

// idleSpan is a P on the idle list during part of the run, as the run's
// typed facts show it: a P a goroutine moved to was idle until the move;
// a P a scheduler M dropped (pidleput) is idle from then to the end.
type idleSpan struct {
	p        int
	from, to int // events; to == len(events): to the end
	clear    bool
	timer    int    // the event after which the oracle saw a timer in its heap, or -1
	timerTxt string // what it saw
}

func (md *model) idleSpans() []idleSpan {
	var out []idleSpan
	n := len(md.events)
	for j, e := range md.events {
		if e.kind == kMigrate && e.moved {
			out = append(out, idleSpan{p: e.to, from: 0, to: j, timer: -1})
		}
	}
	for _, sr := range md.tr.Sched {
		if !sr.Moved {
			continue
		}
		sp := idleSpan{p: sr.P, from: -1, to: n, timer: -1}
		for j, e := range md.events {
			if e.M != sr.M {
				continue
			}
			if e.kind == kWrite && strings.HasPrefix(e.What, "timerpMask.") {
				sp.from, sp.clear = j, true
			} else if !sp.clear {
				sp.from = j
			}
		}
		if sp.from < 0 {
			continue
		}
		for k, at := range md.tr.IdleAddAt {
			if at >= sp.from && at < n && k < len(md.tr.IdleAdds) && md.events[at].lock == fmt.Sprintf("P%d.timersLock", sr.P) && sp.timer < 0 {
				sp.timer = at
				sp.timerTxt, _, _ = strings.Cut(md.tr.IdleAdds[k], " in the heap")
			}
		}
		out = append(out, sp)
	}
	return out
}
