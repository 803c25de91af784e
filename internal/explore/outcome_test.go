package explore

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

// TestOutcomeKeyAsFmt checks that the Outcome's Key, built with strconv,
// is the text the fmt-based printer below (the one it replaced) makes,
// on every schedule of the corpus's concurrent programs at bound 1 (up
// to a cap), which throw, hang, fire and lose timers.
func TestOutcomeKeyAsFmt(t *testing.T) {
	var files []string
	for _, dir := range []string{"concurrent", "findings"} {
		fs, err := filepath.Glob(filepath.Join("../../corpus", dir, "*.ops"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	if len(files) == 0 {
		t.Fatal("no corpus programs")
	}
	names := callNames{}
	n := 0
	for _, f := range files {
		p, _, err := ops.ReadConcFile(f)
		if err != nil {
			t.Fatal(err)
		}
		opt := Options{Bound: 1, Max: 300, Visit: func(tr *run.ConcTrace) {
			o := abstract(tr)
			want := fmtOutcomeString(&o)
			if got := o.Key(); got != want {
				t.Errorf("%s: Key:\n%s\nfmt:\n%s", f, got, want)
			}
			if got := string(o.appendKey(nil, names)); got != want {
				t.Errorf("%s: appendKey with cached names:\n%s\nfmt:\n%s", f, got, want)
			}
			if got := string(appendTraceKey(nil, tr, names)); got != want {
				t.Errorf("%s: appendTraceKey:\n%s\nfmt:\n%s", f, got, want)
			}
			n++
		}}
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			if _, err := Explore(impl, p.Config(), p.Ops, p.Threads, opt); err != nil && !strings.Contains(err.Error(), "refused") {
				t.Fatal(err)
			}
		}
	}
	t.Logf("%d outcomes compared", n)
}

// TestOutcomeKeyAsFmtAllFields is TestOutcomeKeyAsFmt on a made-up
// Outcome that fills the fields the corpus leaves empty (hangs, errors,
// lost timers, locks held at the end, quotes to escape).
func TestOutcomeKeyAsFmtAllFields(t *testing.T) {
	fires := []port.Fire{{What: "stop(a1, t2)", Seq: 3, Now: -5, P: 1, Then: "pending=true"}, {What: "fire(a0)", Now: 9}}
	o := Outcome{
		Err: "bad \"input\"",
		Setup: []CallOutcome{
			{Call: port.Call{Kind: port.StartTimer, On: 1, T: 2, When: 10, F: port.Func{Kind: port.FuncReset, Arg: 1, Target: 0, When: 7}, Seq: 4}, Result: "ok", Fires: fires, Wakes: []int64{5, -1}},
			{Call: port.Call{Kind: port.Advance, When: 3}},
			{Call: port.Call{Kind: port.StopTimer}, Err: "refused"},
		},
		Threads: [][]CallOutcome{
			{{Call: port.Call{Kind: port.CheckTimers, On: 0, P: 1}, Hang: "deadlock"}, {Call: port.Call{Kind: port.Sleep, G: 1, When: 5}, Cut: true}},
			nil,
			{{Call: port.Call{Kind: port.ResetTimer, T: 1, When: 40}, Throw: "bad \"timer\"\n", Fires: fires[:1]}},
		},
		Final: &port.State{
			Clock: 17, TimerpMask: "10", NetpollInited: true, Idle: []int{1},
			Procs: []port.ProcState{{ID: 0, NumTimers: 2, DeletedTimers: 1, Timer0When: -3, TimerModifiedEarliest: 8,
				Heap: []port.HeapEntry{{Timer: "t0", When: 4}, {Timer: "g1.timer", When: 9}}, TimersLocked: true}, {ID: 1}},
			Timers: []port.TimerState{{Name: "t0", Status: "timerWaiting", When: 4, P: 0, F: "fire(\"a0\")", Seq: 2},
				{Name: "t1", Status: "timerRemoved", P: -1}, {Name: "t2", Status: "timerRemoved", P: -1, Period: 1}},
			Ms: []port.MState{{ID: 0, P: -1, Locks: 2, Held: []string{"P0.timersLock", "t\"1"}}, {ID: 1, P: 1}},
		},
		Bad:  []string{"heap: x", "idle"},
		Lost: []string{"lost timer t0"},
	}
	want := fmtOutcomeString(&o)
	if got := o.Key(); got != want {
		t.Errorf("Key:\n%s\nfmt:\n%s", got, want)
	}
	for i := range o.Threads[0] {
		if got, want := o.Threads[0][i].String(), fmtCallString(&o.Threads[0][i]); got != want {
			t.Errorf("CallOutcome.String: %s, fmt: %s", got, want)
		}
	}
	if got := string(o.appendKey(nil, callNames{})); got != want {
		t.Errorf("appendKey with cached names:\n%s\nfmt:\n%s", got, want)
	}

	// A trace with the same kinds of fields, through appendTraceKey.
	stop := port.Call{Kind: port.StopTimer, T: 1}
	tr := run.ConcTrace{
		Err: "refused \"x\"",
		Setup: []run.Step{
			{Call: o.Setup[0].Call, Out: port.Outcome{Pending: true, Fires: fires, Wakes: []int64{3}}},
			{Call: stop, Err: "no such timer"},
		},
		Threads: [][]run.Step{
			{{Call: stop, Out: port.Outcome{Hang: "x", HangKind: sim.HangDeadlock, Fires: fires}}, {Call: stop, Out: port.Outcome{Cut: true}}},
			nil,
			{{Call: stop, Out: port.Outcome{Throw: "bad", Where: "deltimer", Wakes: []int64{1}}}, {Call: port.Call{Kind: port.CheckTimers, P: 1}, Out: port.Outcome{Rnow: 5, PollUntil: -1}}},
		},
		Final:    o.Final,
		Bad:      []string{"heap: y"},
		IdleAdds: []string{"idle: z"},
		Lost:     []run.Stuck{{Kind: run.NeverFired, Text: "t0 never fired"}, {Kind: run.Unnoticed, Text: "t1 unnoticed"}},
	}
	ao := abstract(&tr)
	want = fmtOutcomeString(&ao)
	if got := string(appendTraceKey(nil, &tr, callNames{})); got != want {
		t.Errorf("appendTraceKey:\n%s\nfmt:\n%s", got, want)
	}
}

// String prints what the call did on one line:
//
//	P0: t0.stopTimer() -> pending=true; fire fire(a1) seq=0 now=125 on P0; wakeNetPoller(150)
func fmtCallString(c *CallOutcome) string {
	var parts []string
	switch {
	case c.Err != "":
		parts = append(parts, "error: "+c.Err)
	case c.Cut:
		parts = append(parts, "cut short (another M threw or hung)")
	case c.Hang != "":
		parts = append(parts, "HANG ("+c.Hang+")")
	case c.Throw != "":
		parts = append(parts, fmt.Sprintf("throw(%q)", c.Throw))
	case c.Result != "":
		parts = append(parts, c.Result)
	}
	for _, f := range c.Fires {
		parts = append(parts, "fire "+f.String())
	}
	for _, w := range c.Wakes {
		parts = append(parts, fmt.Sprintf("wakeNetPoller(%d)", w))
	}
	if len(parts) == 0 {
		return c.Call.String()
	}
	return c.Call.String() + " -> " + strings.Join(parts, "; ")
}

// String prints the Outcome, one line per call and per part of the final
// state. It prints every field, so it is also the Outcome's Key.
func fmtOutcomeString(o *Outcome) string {
	var b strings.Builder
	if o.Err != "" {
		fmt.Fprintf(&b, "error: %s\n", o.Err)
	}
	if len(o.Setup) > 0 {
		b.WriteString("setup:\n")
		for i := range o.Setup {
			fmt.Fprintf(&b, "  %s\n", fmtCallString(&o.Setup[i]))
		}
	}
	for i, th := range o.Threads {
		fmt.Fprintf(&b, "M%d:\n", i)
		for k := range th {
			fmt.Fprintf(&b, "  %s\n", fmtCallString(&th[k]))
		}
	}
	if o.Final != nil {
		b.WriteString("final:\n")
		fmtWriteState(&b, o.Final)
	}
	for _, bad := range o.Bad {
		fmt.Fprintf(&b, "bad: %s\n", bad)
	}
	for _, l := range o.Lost {
		fmt.Fprintf(&b, "lost: %s\n", l)
	}
	return b.String()
}

func fmtWriteState(b *strings.Builder, s *port.State) {
	fmt.Fprintf(b, "  clock=%d timerpMask=%s netpollInited=%t\n", s.Clock, s.TimerpMask, s.NetpollInited)
	for _, p := range s.Procs {
		fmt.Fprintf(b, "  P%d: numTimers=%d deletedTimers=%d timer0When=%d timerModifiedEarliest=%d timers=[",
			p.ID, p.NumTimers, p.DeletedTimers, p.Timer0When, p.TimerModifiedEarliest)
		for i, e := range p.Heap {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(b, "%s@%d", e.Timer, e.When)
		}
		b.WriteByte(']')
		if p.TimersLocked {
			b.WriteString(" timersLocked")
		}
		b.WriteByte('\n')
	}
	for _, t := range s.Timers {
		if pristine(t) {
			continue // lossless: every run of a program has the same timers
		}
		fmt.Fprintf(b, "  %s: %s when=%d nextwhen=%d period=%d pp=%s f=%q seq=%d\n",
			t.Name, t.Status, t.When, t.Nextwhen, t.Period, port.PName(t.P), t.F, t.Seq)
	}
	for _, m := range s.Ms {
		fmt.Fprintf(b, "  M%d: p=%s locks=%d held=%q\n", m.ID, port.PName(m.P), m.Locks, m.Held)
	}
}

// pristine reports whether a timer was never touched: a sleep timer of a
