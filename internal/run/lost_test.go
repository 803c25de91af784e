package run

import (
	"slices"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

// fakeWorld is a World whose checkTimers fires the due timers of the P
// unless told to misbehave, to test the oracle's judgement.
type fakeWorld struct {
	s      port.State
	skip   map[string]bool // never fires these
	vanish map[string]bool // removes these without firing
	twice  map[string]bool // fires these twice
	stops  map[string]string
	throw  bool
}

func (w *fakeWorld) Do(c port.Call) (port.Outcome, error) {
	var o port.Outcome
	if w.throw {
		o.Throw, o.Where = "bad timer heap", "checkTimers"
		return o, nil
	}
	for i := range w.s.Timers {
		t := &w.s.Timers[i]
		if t.P != c.P || due(*t, w.s.Clock) == "" || w.skip[t.Name] {
			continue
		}
		if !w.vanish[t.Name] {
			f := port.Fire{What: firing(t.F), Seq: t.Seq, Now: w.s.Clock, P: c.P}
			if target, ok := w.stops[t.Name]; ok {
				f.Then = "stopTimer(" + target + ") -> pending=true"
				for j := range w.s.Timers {
					if w.s.Timers[j].Name == target {
						w.s.Timers[j].Status, w.s.Timers[j].Nextwhen = "timerModified", 0
					}
				}
			}
			o.Fires = append(o.Fires, f)
			if w.twice[t.Name] {
				o.Fires = append(o.Fires, f)
			}
		}
		if t.Period > 0 {
			t.When += t.Period * (1 + (w.s.Clock-t.When)/t.Period)
			t.Status = "timerWaiting"
		} else {
			t.Status, t.P = "timerRemoved", -1
		}
	}
	return o, nil
}

func (w *fakeWorld) SnapshotInto(dst *port.State) { *dst = w.Snapshot() }

func (w *fakeWorld) Version() port.Version { return port.Version{} }

func (w *fakeWorld) Snapshot() port.State {
	s := w.s
	s.Timers = slices.Clone(w.s.Timers)
	return s
}
func (w *fakeWorld) Verify() []string                       { return nil }
func (w *fakeWorld) LockOrder() ([]port.LockEdge, []string) { return nil, nil }
func (w *fakeWorld) Close()                                 {}
func (w *fakeWorld) Concurrent([]port.Thread, sim.Chooser, bool) (port.ConcOutcome, error) {
	return port.ConcOutcome{}, nil
}

func TestLostOracle(t *testing.T) {
	timers := func() []port.TimerState {
		return []port.TimerState{
			{Name: "t0", Status: "timerWaiting", When: 105, P: 0, F: "fire(a0)"},
			{Name: "t1", Status: "timerModified", When: 120, Nextwhen: 108, P: 1, F: "fire(a1)", Seq: 2},
			{Name: "t2", Status: "timerWaiting", When: 90, Period: 7, P: 1, F: "fire(a2)"},
			{Name: "t3", Status: "timerModified", When: 100, Nextwhen: 0, P: 0, F: "fire(a3)"}, // stopped
			{Name: "t4", Status: "timerWaiting", When: 130, P: 0, F: "fire(a4)"},               // not yet due
			{Name: "g1.timer", Status: "timerWaiting", When: 101, P: 1, F: "goroutineReady(g1)"},
		}
	}
	tests := []struct {
		name string
		w    fakeWorld
		want []string // substrings, one per line, in order
	}{
		{"allFire", fakeWorld{}, nil},
		{"waiting", fakeWorld{skip: map[string]bool{"t0": true}}, []string{"t0 (timerWaiting, when=105 <= now=110) never fired"}},
		{"modified", fakeWorld{skip: map[string]bool{"t1": true}}, []string{"t1 (timerModified, nextwhen=108 <= now=110) never fired"}},
		{"periodic", fakeWorld{skip: map[string]bool{"t2": true}}, []string{"t2 (timerWaiting, when=90 <= now=110) never fired"}},
		{"sleep", fakeWorld{skip: map[string]bool{"g1.timer": true}}, []string{"g1.timer (timerWaiting, when=101 <= now=110) never fired"}},
		{"vanished", fakeWorld{vanish: map[string]bool{"t2": true}}, []string{"t2 (timerWaiting, when=90 <= now=110) was due but did not fire during the drain (fire(a2) seq=0 fired 0 of 1 times)"}},
		{"twice", fakeWorld{twice: map[string]bool{"t0": true}}, []string{"fire(a0) seq=0 fired 2 times during the drain at now=110, but only 1 timers with it were due"}},
		{"stopped", fakeWorld{stops: map[string]string{"g1.timer": "t1"}}, nil},
		{"throw", fakeWorld{throw: true}, []string{`drain: P0: checkTimers(P0) -> rnow=0 pollUntil=0 ran=false throw("bad timer heap") in checkTimers`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.w
			w.s = port.State{Clock: 110, Procs: []port.ProcState{{ID: 0}, {ID: 1}}, Timers: timers()}
			if tt.name == "stopped" {
				// g1's function stops t1 before t1 runs: t1 is not lost.
				w.s.Timers[1].P = 0
				w.s.Timers[5].P = 0
				w.s.Timers[1], w.s.Timers[5] = w.s.Timers[5], w.s.Timers[1]
			}
			got := texts(Lost(&w))
			if len(got) != len(tt.want) {
				t.Fatalf("Lost() = %q, want %d lines like %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("Lost()[%d] = %q, want it to contain %q", i, got[i], tt.want[i])
				}
			}
		})
	}
	t.Run("locked", func(t *testing.T) {
		w := fakeWorld{s: port.State{Clock: 110, Procs: []port.ProcState{{ID: 0}},
			Timers: []port.TimerState{{Name: "t0", Status: "timerLocked", When: 100, P: 0}}}}
		if got := texts(Lost(&w)); len(got) != 1 || !strings.Contains(got[0], "t0 left in timerLocked") {
			t.Errorf("Lost() = %q, want t0 left in timerLocked", got)
		}
	})
}

// TestLostReal runs the oracle on both versions: programs that leave
// due timers behind must have every one of them run by the drain.
func TestLostReal(t *testing.T) {
	start := func(on, tm int, when, period int64, arg int) port.Call {
		return port.Call{Kind: port.StartTimer, On: on, T: tm, When: when, Period: period, F: port.Func{Arg: arg}}
	}
	progs := []struct {
		name  string
		calls []port.Call
	}{
		{"due", []port.Call{start(0, 0, 105, 0, 0), start(1, 1, 103, 0, 1), {Kind: port.Advance, When: 10}}},
		{"periodic", []port.Call{start(0, 0, 101, 3, 0), {Kind: port.Advance, When: 20}}},
		{"modifiedEarlier", []port.Call{start(0, 0, 150, 0, 0), {Kind: port.ResetTimer, On: 1, T: 0, When: 104}, {Kind: port.Advance, When: 10}}},
		{"stopped", []port.Call{start(0, 0, 105, 0, 0), {Kind: port.StopTimer, On: 1, T: 0}, {Kind: port.Advance, When: 10}}},
		{"sleep", []port.Call{{Kind: port.Sleep, On: 1, G: 2, When: 5}, {Kind: port.Advance, When: 10}}},
		{"stopFunc", []port.Call{
			start(0, 1, 106, 0, 1),
			{Kind: port.StartTimer, T: 0, When: 105, F: port.Func{Kind: port.FuncStop, Arg: 0, Target: 1}},
			{Kind: port.Advance, When: 10}}},
	}
	for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
		for _, p := range progs {
			if got := texts(LostAfter(impl, port.DefaultConfig, p.calls)); len(got) != 0 {
				t.Errorf("%s %s: LostAfter = %q, want none", impl.Name(), p.name, got)
			}
		}
	}
}

func texts(ss []Stuck) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Text)
	}
	return out
}

// A timer on an idle P whose bit is clear is unnoticed, due or not, and
// the drain does not count it lost as well; one on an idle P whose bit is
// set is stolen.
func TestLostUnnoticed(t *testing.T) {
	w := fakeWorld{s: port.State{Clock: 110, Procs: []port.ProcState{{ID: 0}, {ID: 1, Heap: []port.HeapEntry{{Timer: "t0", When: 100}, {Timer: "t1", When: 200}}}},
		Timers: []port.TimerState{
			{Name: "t0", Status: "timerWaiting", When: 100, P: 1, F: "fire(a0)"},
			{Name: "t1", Status: "timerWaiting", When: 200, P: 1, F: "fire(a1)"},
		},
		Idle: []int{1}, TimerpMask: "10"}}
	w.skip = map[string]bool{"t0": true} // nobody runs P1
	got := Lost(&w)
	if len(got) != 2 || got[0].Kind != Unnoticed || got[0].Timer != "t0" || got[1].Kind != Unnoticed || got[1].Timer != "t1" ||
		!strings.Contains(got[0].Text, "runs only when P1 is next acquired") {
		t.Fatalf("Lost() = %q, want t0 and t1 unnoticed on P1", texts(got))
	}
	w.s.TimerpMask = "11"
	w.skip = nil
	if got := Lost(&w); len(got) != 0 {
		t.Errorf("bit set: Lost() = %q, want nothing (stealWork runs t0)", texts(got))
	}
}
