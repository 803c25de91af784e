package run

import (
	"fmt"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/port"
)

// The lost-timers oracle. The runtime promises that a timer which is due
// runs: every running P's scheduler calls checkTimers on its own P, and
// that finds every due timer through timer0When and
// timerModifiedEarliest; a spinning M's stealWork runs the timers of the
// other Ps whose timerpMask bit is set, idle ones included. A timer that
// none of these paths will run is stuck: the program waiting for it
// hangs, though no call of the run hung. Lost finds those, after a run,
// on the same World.

// DrainRounds bounds the rounds of checkTimers that Lost makes; the
// drain stops earlier at a round that changes nothing.
const DrainRounds = 8

// StuckKind says why a timer is stuck.
type StuckKind uint8

const (
	// Unnoticed: the timer is in the heap of an idle P whose timerpMask
	// bit is clear. stealWork and checkTimersNoP skip that P and no M
	// runs its scheduler, so the timer runs only when the P is next
	// acquired (pidleget), however late.
	Unnoticed StuckKind = iota + 1
	// NeverFired: due, and the drain did not run it.
	NeverFired
	// LeftLocked: timerLocked after every M finished.
	LeftLocked
	// FireCount: a timer due when the drain began fired no time or more
	// than once while the clock stood still.
	FireCount
	// DrainFailed: the drain itself threw, hung or was refused.
	DrainFailed
)

var stuckNames = [...]string{Unnoticed: "unnoticed timer", NeverFired: "lost timer", LeftLocked: "timer left locked",
	FireCount: "timer fired wrongly", DrainFailed: "lost-timer drain failed"}

func (k StuckKind) String() string { return stuckNames[k] }

// Stuck is one finding of Lost.
type Stuck struct {
	Kind  StuckKind
	Timer string // the timer, if the finding is about one
	P     int    // Unnoticed: the idle P
	Text  string // the sentence for people
	// Cause: in a concurrent run, the add that put Timer where it is
	// stuck, if it went to an idle or destroyed P (port.BadAdd).
	Cause port.Cause
}

func (s Stuck) String() string { return s.Text }

// Lost drives w's own timer-running paths until nothing changes: each
// round calls checkTimers on every running P from that P (as its
// scheduler would: Call{Kind: CheckTimers, On: p, P: p}), and on every
// idle P from a running one (as stealWork would, which runs them only if
// their timerpMask bit is set), without moving the clock. The idle Ps are
// the State's idle list. Then it reports:
//   - Unnoticed: every timer pending (waiting, or modified with a
//     nextwhen) in the heap of an idle P whose bit is clear, due or not;
//   - NeverFired: every other timer still due and not stopped: status
//     timerWaiting with when <= now, or timerModified with nextwhen != 0
//     and nextwhen <= now;
//   - LeftLocked: every timer left in timerLocked;
//   - FireCount, once per function: a timer (periodic or not) that was
//     due when the drain began must fire during it, exactly once, since
//     the clock stands still. Firings are matched to timers by their
//     function and seq; a function that fires more often than the timers
//     that were due with it fired early or twice. Timers that a stop or
//     reset timer function touched during the drain (sequential programs
//     only) are not held to it.
//   - DrainFailed: a throw or hang of the drain itself.
//
// w must be alive (the run did not throw or hang) and every M idle. Lost
// makes calls on w, so it is the last thing done with it before Close.
func Lost(w port.World) []Stuck {
	before := w.Snapshot()
	now := before.Clock
	var fires []port.Fire
	var lost []Stuck
	unnoticed := map[string]bool{}
	for _, id := range before.Idle {
		if before.TimerpMask[id] == '1' {
			continue
		}
		for _, e := range before.Procs[id].Heap {
			ts := timerState(&before, e.Timer)
			if ts == nil || !pending(*ts) {
				continue
			}
			unnoticed[ts.Name] = true
			lost = append(lost, Stuck{Kind: Unnoticed, Timer: ts.Name, P: id, Text: fmt.Sprintf(
				"%s (%s) is unnoticed: it is in the heap of P%d, which is idle with its timerpMask bit clear, so stealWork and checkTimersNoP skip P%d and no M runs its checkTimers; it runs only when P%d is next acquired (pidleget)",
				ts.Name, dueText(*ts, now), id, id, id)})
		}
	}
	prev := before
	for range DrainRounds {
		changed := false
		thief := -1 // a running P, to steal from the idle ones
		for _, ps := range prev.Procs {
			if !slices.Contains(prev.Idle, ps.ID) {
				thief = ps.ID
				break
			}
		}
		for _, ps := range prev.Procs {
			c := port.Call{Kind: port.CheckTimers, On: ps.ID, P: ps.ID}
			if slices.Contains(prev.Idle, ps.ID) {
				if thief < 0 {
					continue // no P runs: nothing looks at any timer
				}
				c.On = thief
			}
			o, err := w.Do(c)
			if err != nil {
				return append(lost, Stuck{Kind: DrainFailed, Text: fmt.Sprintf("drain: %v: %v", c, err)})
			}
			if o.Throw != "" || o.Hang != "" {
				return append(lost, Stuck{Kind: DrainFailed, Text: fmt.Sprintf("drain: %v -> %s", c, o.Result(c.Kind))})
			}
			fires = append(fires, o.Fires...)
			changed = changed || len(o.Fires) > 0
		}
		s := w.Snapshot()
		if !changed && s.Equal(&prev) {
			break
		}
		prev = s
	}
	after := w.Snapshot()

	reported := map[string]bool{}
	for _, ts := range after.Timers {
		if why := due(ts, now); why != "" && !unnoticed[ts.Name] {
			lost = append(lost, Stuck{Kind: NeverFired, Timer: ts.Name, Text: fmt.Sprintf("%s (%s) never fired", ts.Name, why)})
			reported[ts.Name] = true
		}
		if ts.Status == "timerLocked" {
			lost = append(lost, Stuck{Kind: LeftLocked, Timer: ts.Name, Text: fmt.Sprintf("%s left in timerLocked after every M finished", ts.Name)})
			reported[ts.Name] = true
		}
	}

	touched := map[string]bool{}
	fired := map[string]int{}
	for _, f := range fires {
		fired[fireKey(f.What, f.Seq)]++
		if t := thenTarget(f.Then); t != "" {
			touched[t] = true
		}
	}
	want := map[string]int{}
	var keys []string
	for _, ts := range before.Timers {
		if due(ts, now) == "" || unnoticed[ts.Name] {
			continue
		}
		k := fireKey(firing(ts.F), ts.Seq)
		if want[k] == 0 {
			keys = append(keys, k)
		}
		want[k]++
	}
	for _, k := range keys {
		if fired[k] >= want[k] {
			continue
		}
		for _, ts := range before.Timers {
			if why := due(ts, now); why != "" && fireKey(firing(ts.F), ts.Seq) == k && !reported[ts.Name] && !touched[ts.Name] && !unnoticed[ts.Name] {
				lost = append(lost, Stuck{Kind: FireCount, Timer: ts.Name, Text: fmt.Sprintf("%s (%s) was due but did not fire during the drain (%s fired %d of %d times)", ts.Name, why, k, fired[k], want[k])})
				reported[ts.Name] = true
			}
		}
	}
	for _, f := range fires {
		k := fireKey(f.What, f.Seq)
		if fired[k] > want[k] {
			lost = append(lost, Stuck{Kind: FireCount, Text: fmt.Sprintf("%s fired %d times during the drain at now=%d, but only %d timers with it were due: a timer fired early or twice", k, fired[k], now, want[k])})
			fired[k] = want[k] // once per function
		}
	}
	return lost
}

// timerState returns the named timer's state in s, or nil.
func timerState(s *port.State, name string) *port.TimerState {
	for i := range s.Timers {
		if s.Timers[i].Name == name {
			return &s.Timers[i]
		}
	}
	return nil
}

// pending reports whether a timer will fire unless stopped: waiting, or
// modified to a new when.
func pending(ts port.TimerState) bool {
	return ts.Status == "timerWaiting" || ts.Status == "timerModified" && ts.Nextwhen != 0
}

// dueText says when a pending timer is due, relative to now.
func dueText(ts port.TimerState, now int64) string {
	when := ts.When
	if ts.Status == "timerModified" {
		when = ts.Nextwhen
	}
	if when <= now {
		return fmt.Sprintf("%s, due at %d <= now=%d", ts.Status, when, now)
	}
	return fmt.Sprintf("%s, due at %d, now=%d", ts.Status, when, now)
}

// IdleAdds checks the assumption stated in updateTimerPMask's comment,
// "An idle P (passed to pidleput) cannot add new timers while idle", on
// a state: one line per idle P whose timerpMask bit is clear but whose
// heap holds timers.
func IdleAdds(s *port.State) []string {
	var bad []string
	for _, ia := range idleAdds(s) {
		bad = append(bad, ia.text)
	}
	return bad
}

// idleAdd is one line of IdleAdds, with the P and the timers it names.
type idleAdd struct {
	text   string
	p      int
	timers []string
}

func idleAdds(s *port.State) []idleAdd {
	var bad []idleAdd
	for _, id := range s.Idle {
		if s.TimerpMask[id] == '1' || len(s.Procs[id].Heap) == 0 {
			continue
		}
		var names []string
		for _, e := range s.Procs[id].Heap {
			names = append(names, e.Timer)
		}
		bad = append(bad, idleAdd{port.IdleAddText(strings.Join(names, ", "), id), id, names})
	}
	return bad
}

// due says why a timer is due at now, or "" if it is not (or stopped).
func due(ts port.TimerState, now int64) string {
	switch {
	case ts.Status == "timerWaiting" && ts.When <= now:
		return fmt.Sprintf("timerWaiting, when=%d <= now=%d", ts.When, now)
	case ts.Status == "timerModified" && ts.Nextwhen != 0 && ts.Nextwhen <= now:
		return fmt.Sprintf("timerModified, nextwhen=%d <= now=%d", ts.Nextwhen, now)
	}
	return ""
}

// firing is the Fire.What of a timer whose TimerState.F is f: a sleep
// timer's goroutineReady(gN) fires as goready(gN).
func firing(f string) string {
	if g, ok := strings.CutPrefix(f, "goroutineReady("); ok {
		return "goready(" + g
	}
	return f
}

func fireKey(what string, seq uintptr) string { return fmt.Sprintf("%s seq=%d", what, seq) }

// thenTarget returns the timer a stop or reset function acted on, from
// its Fire.Then ("stopTimer(t1) -> pending=true"), or "".
func thenTarget(then string) string {
	_, rest, ok := strings.Cut(then, "(")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, ",)"); i >= 0 {
		return rest[:i]
	}
	return ""
}

// LostAfter runs calls sequentially on a fresh World of impl and, if none
// threw, hung or was refused, returns what Lost finds after them; nil
// otherwise.
func LostAfter(impl port.Impl, cfg port.Config, calls []port.Call) []Stuck {
	w := impl.Open(cfg)
	defer w.Close()
	for _, c := range calls {
		o, err := w.Do(c)
		if err != nil || o.Throw != "" || o.Hang != "" {
			return nil
		}
	}
	return Lost(w)
}
