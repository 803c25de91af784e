package semantics

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

var impls = []port.Impl{oldimpl.Impl, newimpl.Impl}

// cfg is the World of every test: P0 and P1, timers t0..t3, clock 100.
var cfg = port.Config{Procs: 2, Timers: 4, Clock: 100}

// Calls on t0, made by a goroutine on P on.
func start(on int, when int64) port.Call {
	return port.Call{Kind: port.StartTimer, On: on, T: 0, When: when, F: port.Func{Kind: port.FuncFire, Arg: 0}}
}
func stop(on int) port.Call { return port.Call{Kind: port.StopTimer, On: on, T: 0} }
func reset(on int, when int64) port.Call {
	return port.Call{Kind: port.ResetTimer, On: on, T: 0, When: when}
}

// A prior state of t0, built with real calls on P on (t0.when is 200 in
// every state but removed; the clock is 100).
type prior struct {
	name  string
	build func(on int) []port.Call
}

var (
	removed  = prior{"removed", func(int) []port.Call { return nil }}
	waiting  = prior{"waiting", func(on int) []port.Call { return []port.Call{start(on, 200)} }}
	modified = prior{"modified", func(on int) []port.Call { return []port.Call{start(on, 200), reset(on, 300)} }}
	stopped  = prior{"stopped", func(on int) []port.Call { return []port.Call{start(on, 200), stop(on)} }}
)

// op is the operation under test, with the calls that lead up to it.
type op struct {
	name string // for messages
	on   int    // the P the prior state is built on
	pre  []port.Call
	call port.Call
}

var (
	opStop  = op{name: "StopTimer(t0)", call: stop(0)}
	opReset = op{name: "ResetTimer(t0, 150)", call: reset(0, 150)}
	opMod   = op{name: "Modtimer(t0, 150, fire(a7), seq=7)", call: port.Call{
		Kind: port.Modtimer, T: 0, When: 150, F: port.Func{Kind: port.FuncFire, Arg: 7}, Seq: 7}}
	opCheck = op{name: "CheckTimers(P0) on P0 at 250",
		pre: []port.Call{{Kind: port.Advance, When: 150}}, call: port.Call{Kind: port.CheckTimers, P: 0}}
	opAdopt = op{name: "Procresize(1) on P0 adopting P1", on: 1, call: port.Call{Kind: port.Procresize, N: 1}}
)

// want is what the op does. procs prints every live P after the op as
// "P0{n=numTimers del=deletedTimers t0w=timer0When tme=timerModifiedEarliest [heap]}".
type want struct {
	pending         bool
	rnow, pollUntil int64
	ran             bool
	status          string
	when, nextwhen  int64
	p               int    // t0.pp, -1 for none
	f               string // t0's function
	seq             uintptr
	deleted         int // change of the sum of deletedTimers over the live Ps
	procs           string
	wakes           []int64
	fires           []string
	verify          []string // World.Verify after the op; nil but for upstream quirks
	quirk           string   // the test that explains verify
}

const (
	rm  = "timerRemoved"
	wt  = "timerWaiting"
	md  = "timerModified"
	nop = "P0{n=0 del=0 t0w=0 tme=0 []}"
)

var transitions = []struct {
	op    op
	prior prior
	want  want
}{
	// deltimer.
	{opStop, removed, want{pending: false, status: rm, p: -1, f: "fire(a0)",
		procs: nop + " P1{n=0 del=0 t0w=0 tme=0 []}"}},
	{opStop, waiting, want{pending: true, status: md, when: 200, p: 0, f: "fire(a0)", deleted: +1,
		procs: "P0{n=1 del=1 t0w=200 tme=0 [t0@200]} P1{n=0 del=0 t0w=0 tme=0 []}"}},
	{opStop, modified, want{pending: true, status: md, when: 200, p: 0, f: "fire(a0)", deleted: +1,
		procs: "P0{n=1 del=1 t0w=200 tme=0 [t0@200]} P1{n=0 del=0 t0w=0 tme=0 []}"}},
	{opStop, stopped, want{pending: false, status: md, when: 200, p: 0, f: "fire(a0)",
		procs: "P0{n=1 del=1 t0w=200 tme=0 [t0@200]} P1{n=0 del=0 t0w=0 tme=0 []}"}},

	// modtimer through resettimer.
	{opReset, removed, want{pending: false, status: wt, when: 150, p: 0, f: "fire(a0)", wakes: []int64{150},
		procs: "P0{n=1 del=0 t0w=150 tme=0 [t0@150]} P1{n=0 del=0 t0w=0 tme=0 []}"}},
	{opReset, waiting, want{pending: true, status: md, when: 200, nextwhen: 150, p: 0, f: "fire(a0)", wakes: []int64{150},
		procs: "P0{n=1 del=0 t0w=200 tme=150 [t0@200]} P1{n=0 del=0 t0w=0 tme=0 []}"}},
	{opReset, modified, want{pending: true, status: md, when: 200, nextwhen: 150, p: 0, f: "fire(a0)", wakes: []int64{150},
		procs: "P0{n=1 del=0 t0w=200 tme=150 [t0@200]} P1{n=0 del=0 t0w=0 tme=0 []}"}},
	{opReset, stopped, want{pending: false, status: md, when: 200, nextwhen: 150, p: 0, f: "fire(a0)", deleted: -1, wakes: []int64{150},
		procs: "P0{n=1 del=0 t0w=200 tme=150 [t0@200]} P1{n=0 del=0 t0w=0 tme=0 []}"}},

	// modtimer with a new function (netpoll).
	{opMod, removed, want{pending: false, status: wt, when: 150, p: 0, f: "fire(a7)", seq: 7, wakes: []int64{150},
		procs: "P0{n=1 del=0 t0w=150 tme=0 [t0@150]} P1{n=0 del=0 t0w=0 tme=0 []}"}},
	{opMod, waiting, want{pending: true, status: md, when: 200, nextwhen: 150, p: 0, f: "fire(a7)", seq: 7, wakes: []int64{150},
		procs: "P0{n=1 del=0 t0w=200 tme=150 [t0@200]} P1{n=0 del=0 t0w=0 tme=0 []}"}},
	{opMod, modified, want{pending: true, status: md, when: 200, nextwhen: 150, p: 0, f: "fire(a7)", seq: 7, wakes: []int64{150},
		procs: "P0{n=1 del=0 t0w=200 tme=150 [t0@200]} P1{n=0 del=0 t0w=0 tme=0 []}"}},
	{opMod, stopped, want{pending: false, status: md, when: 200, nextwhen: 150, p: 0, f: "fire(a7)", seq: 7, deleted: -1, wakes: []int64{150},
		procs: "P0{n=1 del=0 t0w=200 tme=150 [t0@200]} P1{n=0 del=0 t0w=0 tme=0 []}"}},

	// checkTimers on the caller's P. With no timers it returns the now
	// it was passed, 0, as upstream does.
	{opCheck, removed, want{rnow: 0, status: rm, p: -1, f: "fire(a0)",
		procs: nop + " P1{n=0 del=0 t0w=0 tme=0 []}"}},
	{opCheck, waiting, want{rnow: 250, ran: true, status: rm, when: 200, p: -1, f: "fire(a0)",
		fires: []string{"fire(a0) seq=0 now=250 on P0"},
		procs: nop + " P1{n=0 del=0 t0w=0 tme=0 []}"}},
	// runtimer moves the timer to nextwhen and leaves nextwhen set.
	{opCheck, modified, want{rnow: 250, pollUntil: 300, status: wt, when: 300, nextwhen: 300, p: 0, f: "fire(a0)",
		procs: "P0{n=1 del=0 t0w=300 tme=0 [t0@300]} P1{n=0 del=0 t0w=0 tme=0 []}"}},
	{opCheck, stopped, want{rnow: 250, status: rm, when: 200, p: -1, f: "fire(a0)", deleted: -1,
		procs:  "P0{n=1 del=0 t0w=0 tme=0 []} P1{n=0 del=0 t0w=0 tme=0 []}",
		verify: []string{"P0 numTimers=1 but the heap holds 0"}, quirk: "TestAdjusttimersLeavesNumTimers"}},

	// adoptTimers: P1 is destroyed, its timers move to P0.
	{opAdopt, removed, want{status: rm, p: -1, f: "fire(a0)", procs: nop}},
	{opAdopt, waiting, want{status: wt, when: 200, p: 0, f: "fire(a0)",
		procs: "P0{n=1 del=0 t0w=200 tme=0 [t0@200]}"}},
	{opAdopt, modified, want{status: wt, when: 300, nextwhen: 300, p: 0, f: "fire(a0)",
		procs: "P0{n=1 del=0 t0w=300 tme=0 [t0@300]}"}},
	{opAdopt, stopped, want{status: rm, when: 200, p: -1, f: "fire(a0)", deleted: -1, procs: nop}},
}

// procsString prints the live Ps as want.procs does.
func procsString(s port.State) string {
	var parts []string
	for _, p := range s.Procs {
		var heap []string
		for _, h := range p.Heap {
			heap = append(heap, fmt.Sprintf("%s@%d", h.Timer, h.When))
		}
		parts = append(parts, fmt.Sprintf("P%d{n=%d del=%d t0w=%d tme=%d [%s]}",
			p.ID, p.NumTimers, p.DeletedTimers, p.Timer0When, p.TimerModifiedEarliest, strings.Join(heap, " ")))
	}
	return strings.Join(parts, " ")
}

func deletedSum(s port.State) int {
	n := 0
	for _, p := range s.Procs {
		n += int(p.DeletedTimers)
	}
	return n
}

func timerState(t *testing.T, s port.State, name string) port.TimerState {
	t.Helper()
	for _, ts := range s.Timers {
		if ts.Name == name {
			return ts
		}
	}
	t.Fatalf("no timer %s in the snapshot", name)
	return port.TimerState{}
}

// mustDo makes c and fails the test on an error, a throw or a hang.
func mustDo(t *testing.T, w port.World, c port.Call) port.Outcome {
	t.Helper()
	o, err := w.Do(c)
	if err != nil {
		t.Fatalf("Do(%+v): %v", c, err)
	}
	if o.Throw != "" || o.Hang != "" {
		t.Fatalf("Do(%+v): %s", c, o.Result(c.Kind))
	}
	return o
}

func fireStrings(fs []port.Fire) []string {
	var s []string
	for _, f := range fs {
		s = append(s, f.String())
	}
	return s
}

func TestTransitions(t *testing.T) {
	for _, tt := range transitions {
		t.Run(tt.op.name+" after "+tt.prior.name, func(t *testing.T) {
			for _, impl := range impls {
				t.Run(impl.Name(), func(t *testing.T) {
					w := impl.Open(cfg)
					defer w.Close()
					for _, c := range append(tt.prior.build(tt.op.on), tt.op.pre...) {
						mustDo(t, w, c)
					}
					if bad := w.Verify(); len(bad) > 0 {
						t.Fatalf("prior state %s is not consistent: %q", tt.prior.name, bad)
					}
					before := w.Snapshot()
					o := mustDo(t, w, tt.op.call)
					after := w.Snapshot()
					checkTransition(t, tt.op, tt.prior.name, tt.want, o, before, after, w.Verify())
				})
			}
		})
	}
}

func checkTransition(t *testing.T, op op, prior string, want want, o port.Outcome, before, after port.State, verify []string) {
	t.Helper()
	name := op.name + " after " + prior
	switch op.call.Kind {
	case port.StopTimer, port.ResetTimer, port.Modtimer:
		if o.Pending != want.pending {
			t.Errorf("%s: pending = %v, want %v", name, o.Pending, want.pending)
		}
	case port.CheckTimers:
		if o.Rnow != want.rnow || o.PollUntil != want.pollUntil || o.Ran != want.ran || o.Skipped {
			t.Errorf("%s: rnow, pollUntil, ran, skipped = %d, %d, %v, %v, want %d, %d, %v, false",
				name, o.Rnow, o.PollUntil, o.Ran, o.Skipped, want.rnow, want.pollUntil, want.ran)
		}
	}
	ts := timerState(t, after, "t0")
	if ts.Status != want.status {
		t.Errorf("%s: t0 status = %s, want %s", name, ts.Status, want.status)
	}
	if ts.When != want.when || ts.Nextwhen != want.nextwhen {
		t.Errorf("%s: t0 when, nextwhen = %d, %d, want %d, %d", name, ts.When, ts.Nextwhen, want.when, want.nextwhen)
	}
	if ts.P != want.p {
		t.Errorf("%s: t0 P = %d, want %d", name, ts.P, want.p)
	}
	if ts.F != want.f || ts.Seq != want.seq {
		t.Errorf("%s: t0 f, seq = %s, %d, want %s, %d", name, ts.F, ts.Seq, want.f, want.seq)
	}
	if d := deletedSum(after) - deletedSum(before); d != want.deleted {
		t.Errorf("%s: deletedTimers changed by %+d, want %+d", name, d, want.deleted)
	}
	if got := procsString(after); got != want.procs {
		t.Errorf("%s: Ps =\n\t%s\nwant\n\t%s\n(before: %s)", name, got, want.procs, procsString(before))
	}
	if !slices.Equal(o.Wakes, want.wakes) {
		t.Errorf("%s: wakeNetPoller calls = %v, want %v", name, o.Wakes, want.wakes)
	}
	if got := fireStrings(o.Fires); !slices.Equal(got, want.fires) {
		t.Errorf("%s: fires = %q, want %q", name, got, want.fires)
	}
	if !slices.Equal(verify, want.verify) {
		t.Errorf("%s: Verify() = %q, want %q", name, verify, want.verify)
	} else if len(verify) > 0 {
		t.Logf("%s: Verify() = %q, an upstream property (see %s)", name, verify, want.quirk)
	}
}

// TestAdjusttimersLeavesNumTimers pins a property of upstream's time.go
// at both commits, not a bug of the ports: when adjusttimers removes a
// stopped timer (timerModified, nextwhen 0) from the heap, it decrements
// deletedTimers but not numTimers, unlike dodeltimer0 in cleantimers and
// runtimer. Afterwards numTimers counts a timer that is in no heap, so
// World.Verify reports it, and updateTimerPMask (pidleput) will not clear
// the P's timerpMask bit although its heap is empty.
//
//	P0: t0.startTimer(when=200)
//	P0: t0.stopTimer()           // deletedTimers=1 > numTimers/4: next checkTimers forces adjusttimers
//	advance(150)
//	P0: checkTimers(P0)          // adjusttimers removes t0: numTimers stays 1
func TestAdjusttimersLeavesNumTimers(t *testing.T) {
	for _, impl := range impls {
		t.Run(impl.Name(), func(t *testing.T) {
			w := impl.Open(cfg)
			defer w.Close()
			mustDo(t, w, start(0, 200))
			mustDo(t, w, stop(0))
			mustDo(t, w, port.Call{Kind: port.Advance, When: 150})
			mustDo(t, w, port.Call{Kind: port.CheckTimers, P: 0})
			s := w.Snapshot()
			p0 := s.Procs[0]
			if p0.NumTimers != 1 || len(p0.Heap) != 0 || p0.DeletedTimers != 0 {
				t.Errorf("after adjusttimers removed stopped t0: P0 numTimers, heap length, deletedTimers = %d, %d, %d, want 1, 0, 0 (upstream)",
					p0.NumTimers, len(p0.Heap), p0.DeletedTimers)
			}
			if got, want := w.Verify(), []string{"P0 numTimers=1 but the heap holds 0"}; !slices.Equal(got, want) {
				t.Errorf("Verify() = %q, want %q", got, want)
			}
			mustDo(t, w, port.Call{Kind: port.Pidleput, P: 0})
			if got := w.Snapshot().TimerpMask; got != "11" {
				t.Errorf("pidleput(P0) with an empty heap: timerpMask = %q, want %q (numTimers is 1)", got, "11")
			}
		})
	}
}

// TestRunOneTimerKeepsNumTimers is the contrast to
// TestAdjusttimersLeavesNumTimers: with four timers, one stopped timer is
// not more than numTimers/4, so checkTimers does not force adjusttimers;
// runtimer removes the stopped head with dodeltimer0, which keeps
// numTimers right.
func TestRunOneTimerKeepsNumTimers(t *testing.T) {
	for _, impl := range impls {
		t.Run(impl.Name(), func(t *testing.T) {
			w := impl.Open(cfg)
			defer w.Close()
			for i := 0; i < 4; i++ {
				mustDo(t, w, port.Call{Kind: port.StartTimer, T: i, When: 200 + int64(i)*100, F: port.Func{Arg: i}})
			}
			mustDo(t, w, stop(0)) // deletedTimers 1 <= numTimers 4 / 4: not forced
			mustDo(t, w, port.Call{Kind: port.Advance, When: 150})
			o := mustDo(t, w, port.Call{Kind: port.CheckTimers, P: 0})
			if o.Ran || o.PollUntil != 300 {
				t.Errorf("checkTimers: ran, pollUntil = %v, %d, want false, 300", o.Ran, o.PollUntil)
			}
			if bad := w.Verify(); len(bad) > 0 {
				t.Errorf("Verify() = %q, want nothing", bad)
			}
			if p0 := w.Snapshot().Procs[0]; p0.NumTimers != 3 || p0.DeletedTimers != 0 {
				t.Errorf("P0 numTimers, deletedTimers = %d, %d, want 3, 0", p0.NumTimers, p0.DeletedTimers)
			}
		})
	}
}

func TestThrows(t *testing.T) {
	// keeps says whether the state is as before the throw. It is not
	// for startTimer: the adapter, like time.NewTimer, fills in when,
	// period, f, arg and seq before startTimer checks the status, so a
	// started timer's fields (and its heap entry's when) are overwritten.
	tests := []struct {
		name  string
		pre   []port.Call
		call  port.Call
		throw string
		keeps bool
	}{
		{"startTimer when=0", nil, start(0, 0), "timer when must be positive", true},
		{"resetTimer when=-1", nil, reset(0, -1), "timer when must be positive", true},
		{"modtimer when=0 on a waiting timer", []port.Call{start(0, 200)},
			port.Call{Kind: port.Modtimer, T: 0, When: 0}, "timer when must be positive", true},
		{"modtimer period=-1", nil, port.Call{Kind: port.Modtimer, T: 0, When: 150, Period: -1}, "timer period must be non-negative", true},
		{"modTimer period=-5 on a waiting timer", []port.Call{start(0, 200)},
			port.Call{Kind: port.ModTimer, T: 0, When: 150, Period: -5}, "timer period must be non-negative", true},
		{"startTimer of a waiting timer", []port.Call{start(0, 200)}, start(0, 300), "startTimer called with initialized timer", false},
		{"startTimer of a stopped timer", []port.Call{start(0, 200), stop(0)}, start(1, 300), "startTimer called with initialized timer", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, impl := range impls {
				t.Run(impl.Name(), func(t *testing.T) {
					w := impl.Open(cfg)
					defer w.Close()
					for _, c := range tt.pre {
						mustDo(t, w, c)
					}
					before := w.Snapshot()
					o, err := w.Do(tt.call)
					if err != nil {
						t.Fatalf("%s: error %v, want a throw", tt.name, err)
					}
					if o.Throw != tt.throw || o.Hang != "" {
						t.Errorf("%s: throw = %q (hang %q), want %q", tt.name, o.Throw, o.Hang, tt.throw)
					}
					if o.Where == "" || o.Where == "?" {
						t.Errorf("%s: throw site = %q, want the ported functions", tt.name, o.Where)
					}
					if after := w.Snapshot(); tt.keeps && !reflect.DeepEqual(after, before) {
						t.Errorf("%s: the throw changed the state:\nbefore %+v\nafter  %+v", tt.name, before, after)
					}
					for _, c := range []port.Call{
						{Kind: port.TimeSleepUntil},
						{Kind: port.Advance, When: 1},
						stop(0),
					} {
						if _, err := w.Do(c); !errors.Is(err, port.ErrDead) {
							t.Errorf("Do(%v) after a throw: error %v, want port.ErrDead", c.Kind, err)
						}
					}
				})
			}
		})
	}
}

func TestAdapterErrors(t *testing.T) {
	tests := []struct {
		name string
		call port.Call
	}{
		{"unknown timer", stop(0)},
		{"negative timer", port.Call{Kind: port.ResetTimer, T: -1, When: 150}},
		{"startTimer of an unknown timer", port.Call{Kind: port.StartTimer, T: 4, When: 150}},
		{"stop function on an unknown timer", port.Call{Kind: port.Modtimer, T: 0, When: 150, F: port.Func{Kind: port.FuncStop, Target: 9}}},
		{"caller on a P that does not exist", port.Call{Kind: port.TimeSleepUntil, On: 2}},
		{"caller on a negative P", port.Call{Kind: port.StopTimer, On: -1}},
		{"checkTimers of a P that does not exist", port.Call{Kind: port.CheckTimers, P: 2}},
		{"pidleput of a P that does not exist", port.Call{Kind: port.Pidleput, P: 3}},
		{"nobarrierWakeTime of a P that does not exist", port.Call{Kind: port.NobarrierWakeTime, P: 7}},
		{"procresize to 0", port.Call{Kind: port.Procresize, N: 0}},
		{"procresize beyond MaxProcs", port.Call{Kind: port.Procresize, N: port.MaxProcs + 1}},
		{"sleep on an unknown goroutine", port.Call{Kind: port.Sleep, G: port.MaxGs, When: 5}},
		{"clock going back", port.Call{Kind: port.Advance, When: -1}},
		{"kind 0", port.Call{}},
		{"unknown kind", port.Call{Kind: 200}},
	}
	tests[0].call.T = 4 // cfg has t0..t3
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, impl := range impls {
				t.Run(impl.Name(), func(t *testing.T) {
					w := impl.Open(cfg)
					defer w.Close()
					mustDo(t, w, start(0, 200))
					before := w.Snapshot()
					var err error
					if r := catchPanic(func() { _, err = w.Do(tt.call) }); r != nil {
						t.Fatalf("Do(%+v) panicked: %v", tt.call, r)
					}
					if err == nil || errors.Is(err, port.ErrDead) {
						t.Fatalf("Do(%+v) error = %v, want an input error", tt.call, err)
					}
					if after := w.Snapshot(); !reflect.DeepEqual(after, before) {
						t.Errorf("Do(%+v) failed but changed the state:\nbefore %+v\nafter  %+v", tt.call, before, after)
					}
					if o := mustDo(t, w, stop(0)); !o.Pending {
						t.Errorf("StopTimer(t0) after an input error: pending = false, want true (World alive and unchanged)")
					}
				})
			}
		})
	}
}

func catchPanic(fn func()) (r any) {
	defer func() { r = recover() }()
	fn()
	return nil
}

// program is a run touching most entry points; its outcomes are the same
// on both ports.
var program = []port.Call{
	start(0, 200),
	{Kind: port.StartTimer, On: 1, T: 1, When: 150, Period: 50, F: port.Func{Kind: port.FuncReset, Arg: 1, Target: 2, When: 400}},
	reset(0, 120),
	{Kind: port.Sleep, On: 1, G: 1, When: 30},
	{Kind: port.Advance, When: 60},
	{Kind: port.CheckTimers, On: 0, P: 0},
	{Kind: port.CheckTimers, On: 0, P: 1},
	{Kind: port.TimeSleepUntil},
	{Kind: port.Procresize, N: 1},
	{Kind: port.Advance, When: 300},
	{Kind: port.CheckTimers, On: 0, P: 0},
	{Kind: port.NobarrierWakeTime, P: 0},
}

// runProgram runs program on a fresh World of impl and returns the
// outcomes (without Steps, a cost) and the final state.
func runProgram(t *testing.T, impl port.Impl) ([]port.Outcome, port.State) {
	t.Helper()
	w := impl.Open(cfg)
	defer w.Close()
	return runOn(t, w), w.Snapshot()
}

func runOn(t *testing.T, w port.World) []port.Outcome {
	t.Helper()
	var os []port.Outcome
	for _, c := range program {
		o := mustDo(t, w, c)
		o.Steps = 0
		os = append(os, o)
	}
	return os
}

// TestWorldsInParallel opens an old and a new World at once: first
// interleaved on one goroutine, then on two goroutines (for -race).
func TestWorldsInParallel(t *testing.T) {
	wOld, wNew := oldimpl.Impl.Open(cfg), newimpl.Impl.Open(cfg)
	for i, c := range program {
		o, n := mustDo(t, wOld, c), mustDo(t, wNew, c)
		o.Steps, n.Steps = 0, 0
		if !reflect.DeepEqual(o, n) {
			t.Errorf("call %d (%v) interleaved: old %+v, new %+v", i, c.Kind, o, n)
		}
	}
	if so, sn := wOld.Snapshot(), wNew.Snapshot(); !reflect.DeepEqual(so, sn) {
		t.Errorf("interleaved final states differ:\nold %+v\nnew %+v", so, sn)
	}
	wOld.Close()
	wNew.Close()

	var wg sync.WaitGroup
	outs := make([][]port.Outcome, len(impls))
	states := make([]port.State, len(impls))
	for i, impl := range impls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], states[i] = runProgram(t, impl)
		}()
	}
	wg.Wait()
	if !reflect.DeepEqual(outs[0], outs[1]) || !reflect.DeepEqual(states[0], states[1]) {
		t.Errorf("concurrent runs differ:\nold %+v\n%+v\nnew %+v\n%+v", outs[0], states[0], outs[1], states[1])
	}
}

// TestFreshWorldAfterClose: a World used (started timers, moved the
// clock, resized, threw) and closed leaves nothing behind.
func TestFreshWorldAfterClose(t *testing.T) {
	for _, impl := range impls {
		t.Run(impl.Name(), func(t *testing.T) {
			w := impl.Open(cfg)
			s0 := w.Snapshot()
			first := mustDo(t, w, program[0]) // initializes the poller: its steps show leftovers
			for _, c := range program[1:] {
				mustDo(t, w, c)
			}
			if o, _ := w.Do(port.Call{Kind: port.Modtimer, T: 2, When: 0}); o.Throw == "" {
				t.Fatalf("modtimer(when=0) did not throw")
			}
			w.Close()

			w = impl.Open(cfg)
			defer w.Close()
			if s := w.Snapshot(); !reflect.DeepEqual(s, s0) {
				t.Errorf("fresh World after Close:\n%+v\nwant\n%+v", s, s0)
			}
			if edges, cycles := w.LockOrder(); len(edges) != 0 || len(cycles) != 0 {
				t.Errorf("fresh World after Close: LockOrder() = %v, %v, want none", edges, cycles)
			}
			if again := mustDo(t, w, program[0]); !reflect.DeepEqual(again, first) {
				t.Errorf("first call on a fresh World after Close = %+v, want %+v as on the first World", again, first)
			}
		})
	}
}

// TestLockInversion pins the lock inversion the commit removes: the old
// modtimer holds t0 (timerLocked) while it takes P0's timersLock, and
// runtimer takes them in the other order, so the old version's class
// graph has the cycle timers -> timer -> timers; the new one unlocks t0
// first and has no timer -> timers edge at all. The cycle is not a
// potential deadlock (LockCycles): the timer the old modtimer holds there
// was timerRemoved, in no heap, so no M holding a timersLock can be
// waiting for it. Nor would staticlockranking report the edge: the old
// modtimer locks the timer without acquireLockRank.
//
//	P0: t0.startTimer(when=200)   // old: timer -> timers
//	advance(150)
//	P0: checkTimers(P0)           // runtimer: timers -> timer
func TestLockInversion(t *testing.T) {
	tests := []struct {
		impl      port.Impl
		inversion bool
	}{
		{oldimpl.Impl, true},
		{newimpl.Impl, false},
	}
	for _, tt := range tests {
		t.Run(tt.impl.Name(), func(t *testing.T) {
			w := tt.impl.Open(cfg)
			defer w.Close()
			mustDo(t, w, start(0, 200))
			mustDo(t, w, port.Call{Kind: port.Advance, When: 150})
			if o := mustDo(t, w, port.Call{Kind: port.CheckTimers, P: 0}); !o.Ran {
				t.Fatalf("checkTimers(P0) at 250 did not run t0")
			}
			edges, cycles := w.LockOrder()
			if len(cycles) != 0 {
				t.Errorf("LockOrder() cycles = %q, want none that two Ms can wait on", cycles)
			}
			i := slices.IndexFunc(edges, func(e port.LockEdge) bool { return e.From == "timer" && e.To == "timers" })
			switch {
			case (i >= 0) != tt.inversion:
				t.Errorf("timer -> timers edge present = %t, want %t; edges:\n%v", i >= 0, tt.inversion, edges)
			case i >= 0 && (edges[i].RankOK || edges[i].Ranked || !edges[i].NoHeap):
				t.Errorf("timer -> timers = %+v, want a violation of the declared order that staticlockranking does not check, held in no heap", edges[i])
			}
		})
	}
}
