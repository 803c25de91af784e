package run

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/port"
)

// The lost-timers oracle. The runtime promises that a timer which is due
// runs: every P's scheduler calls checkTimers on its own P, and that finds
// every due timer through timer0When and timerModifiedEarliest. A timer
// that is due and that no amount of checkTimers will run is lost: the
// program waiting for it hangs forever in the real runtime, though no
// call of the run hung. Lost finds those, after a run, on the same World.

// DrainRounds bounds the rounds of checkTimers that Lost makes; the
// drain stops earlier at a round that changes nothing.
const DrainRounds = 8

// Lost drives w's own timer-running paths until nothing changes: each
// round calls checkTimers on every live P from that P (as its scheduler
// would: Call{Kind: CheckTimers, On: p, P: p}), without moving the clock.
// Then it reports, one line each:
//   - every timer still due and not stopped, as lost: status timerWaiting
//     with when <= now, or timerModified with nextwhen != 0 and
//     nextwhen <= now ("t3 (timerWaiting, when=105 <= now=110) never
//     fired");
//   - every timer left in timerLocked;
//   - once per period: a timer (periodic or not) that was due when the
//     drain began must fire during it, exactly once, since the clock
//     stands still. Firings are matched to timers by their function and
//     seq; a function that fires more often than the timers that were due
//     with it fired early or twice. Timers that a stop or reset timer
//     function touched during the drain (sequential programs only) are
//     not held to it.
//   - a throw or hang of the drain itself.
//
// w must be alive (the run did not throw or hang) and every M idle. Lost
// makes calls on w, so it is the last thing done with it before Close.
//
// idle lists the Ps no M holds at the end of the run, whose timers only
// other Ps can run, the way stealWork does: from a running P, and only if
// the idle P's timerpMask bit is set. nil means every P is running.
func Lost(w port.World, idle []int) []string {
	before := w.Snapshot()
	now := before.Clock
	var fires []port.Fire
	var lost []string
	prev := before
	for range DrainRounds {
		changed := false
		thief := -1 // a running P, to steal from the idle ones
		for _, ps := range prev.Procs {
			if !slices.Contains(idle, ps.ID) {
				thief = ps.ID
				break
			}
		}
		for _, ps := range prev.Procs {
			c := port.Call{Kind: port.CheckTimers, On: ps.ID, P: ps.ID}
			if slices.Contains(idle, ps.ID) {
				if thief < 0 {
					continue // no P runs: nothing looks at any timer
				}
				c.On = thief
			}
			o, err := w.Do(c)
			if err != nil {
				return append(lost, fmt.Sprintf("drain: %v: %v", c, err))
			}
			if o.Throw != "" || o.Hang != "" {
				return append(lost, fmt.Sprintf("drain: %v -> %s", c, o.Result(c.Kind)))
			}
			fires = append(fires, o.Fires...)
			changed = changed || len(o.Fires) > 0
		}
		s := w.Snapshot()
		if !changed && reflect.DeepEqual(s, prev) {
			break
		}
		prev = s
	}
	after := w.Snapshot()

	reported := map[string]bool{}
	for _, ts := range after.Timers {
		if why := due(ts, now); why != "" {
			lost = append(lost, fmt.Sprintf("%s (%s) never fired", ts.Name, why))
			reported[ts.Name] = true
		}
		if ts.Status == "timerLocked" {
			lost = append(lost, fmt.Sprintf("%s left in timerLocked after every M finished", ts.Name))
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
		if due(ts, now) == "" {
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
			if why := due(ts, now); why != "" && fireKey(firing(ts.F), ts.Seq) == k && !reported[ts.Name] && !touched[ts.Name] {
				lost = append(lost, fmt.Sprintf("%s (%s) was due but did not fire during the drain (%s fired %d of %d times)", ts.Name, why, k, fired[k], want[k]))
				reported[ts.Name] = true
			}
		}
	}
	for _, f := range fires {
		k := fireKey(f.What, f.Seq)
		if fired[k] > want[k] {
			lost = append(lost, fmt.Sprintf("%s fired %d times during the drain at now=%d, but only %d timers with it were due: a timer fired early or twice", k, fired[k], now, want[k]))
			fired[k] = want[k] // once per function
		}
	}
	return lost
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
func LostAfter(impl port.Impl, cfg port.Config, calls []port.Call) []string {
	w := impl.Open(cfg)
	defer w.Close()
	for _, c := range calls {
		o, err := w.Do(c)
		if err != nil || o.Throw != "" || o.Hang != "" {
			return nil
		}
	}
	return Lost(w, nil)
}
