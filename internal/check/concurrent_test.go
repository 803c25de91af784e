package check

import (
	"slices"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/explore"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

func parseConc(t *testing.T, src string) ops.ConcProgram {
	t.Helper()
	p, err := ops.ParseConc("x.ops", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestConcurrentProblems checks that the judge sees what it must: a
// shared throw is not a problem, a lost timer is.
func TestConcurrentProblems(t *testing.T) {
	// Both versions throw "timer when must be positive": shared.
	p := parseConc(t, "procs 2\ntimers 2\nthread P0:\n  P0: t0.resetTimer(when=0)\nthread P1:\n  P1: checkTimers(P0)\n")
	r := Conc(p, func() sim.Chooser { return sched.NewBytes(nil) })
	if len(r.Problems) != 0 || len(r.Shared) != 1 || !strings.Contains(r.Shared[0].Text, "timer when must be positive") {
		t.Errorf("shared throw: problems %q, shared %q; want no problem and one shared throw", r.Problems, r.Shared)
	}
	if r.Failure("x") != "" {
		t.Errorf("Failure of a result without problems = %q, want \"\"", r.Failure("x"))
	}
	// A clean run has nothing to say.
	p = parseConc(t, "procs 2\ntimers 2\nthread P0:\n  P0: t0.resetTimer(when=101)\n  advance(5)\nthread P1:\n  P1: checkTimers(P0)\n")
	r = Conc(p, func() sim.Chooser { return sched.NewBytes([]byte{0, 0, sched.SwitchAt, 0, sched.SwitchAt}) })
	if len(r.Problems) != 0 || len(r.Shared) != 0 {
		t.Errorf("clean: problems %q, shared %q; want none", r.Problems, r.Shared)
	}
	// A periodic timer pinned at maxWhen with the clock at maxWhen would
	// refire forever in both versions; programs keep the clock below
	// maxWhen (the runtime's "never"), so such a program is refused.
	_, err := ops.ParseConc("x.ops", []byte(`procs 2
timers 1
P0: t0.modTimer(when=100, period=4611686018427387903)
P0: t0.resetTimer(when=100)
advance(4611686018427387904)
thread P0:
    advance(4611686018427387803)
thread P1:
    P1: checkTimers(P0)
`))
	if err == nil || !strings.Contains(err.Error(), "past maxWhen-1") {
		t.Errorf("clock to maxWhen: ParseConc error = %v, want one saying past maxWhen-1", err)
	}
}

// The old version's timer -> timers inversion is known, not a problem;
// Replayable's schedule replays the new version's run exactly.
func TestConcKnownAndReplayable(t *testing.T) {
	p := parseConc(t, `procs 2
timers 2
P0: t1.startTimer(when=104, period=0, f=fire(a1), seq=0)
advance(6)
thread P0:
    P0: t0.modtimer(when=103, period=0, f=fire(a0), seq=1)
    P0: checkTimers(P0)
thread P1:
    P1: checkTimers(P0)
`)
	r := Conc(p, func() sim.Chooser { return &sched.PCT{Seed: 1, Depth: 2} })
	if !r.OK() {
		t.Fatalf("problems: %s", r.Failure("x"))
	}
	if !slices.ContainsFunc(r.Known, func(k Problem) bool { return strings.Contains(k.Text, "timer -> timers") }) {
		t.Errorf("Known = %q, want the old version's timer -> timers inversion", r.Known)
	}
	q := r.Replayable()
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	rep := sched.Replay(q.Schedule)
	again := run.Concurrent(New, q.Config(), q.Ops, q.Threads, rep, false)
	if rep.Misses != 0 || !slices.Equal(again.Choices, r.New.Choices) {
		t.Errorf("replaying %v: %d misses, choices %v; want 0 misses and the same choices", q.Schedule, rep.Misses, again.Choices)
	}
}

// Regressions for the false alarms of issue 9: each program is one the
// first model judged wrongly.
func TestFalseAlarms(t *testing.T) {
	// Code cannot run on an idle P: such a program is refused.
	if _, err := ops.ParseConc("x.ops", []byte("procs 3\ntimers 1\npidleput(P0)\nP0: t0.resetTimer(when=100)\nthread P1:\nthread P2:\n")); err == nil ||
		!strings.Contains(err.Error(), "idle") {
		t.Errorf("the issue's program: ParseConc error = %v, want one about the idle P0", err)
	}
	if _, err := ops.Parse("x.ops", []byte("procs 3\ntimers 1\npidleput(P0)\nP0: t0.resetTimer(when=100)\n")); err == nil ||
		!strings.Contains(err.Error(), "x.ops:4:") || !strings.Contains(err.Error(), "idle") {
		t.Errorf("a call on an idle P: Parse error = %v, want one at x.ops:4 saying the P is idle", err)
	}
	// resetForSleep runs on g0 after park_m, and netpoll's modtimer under
	// pd.lock: neither can be preempted between reading its P and adding
	// the timer, so exploring them finds nothing the old version does not.
	for _, call := range []string{"P0: g1.sleep(ns=1)", "P0: t0.modtimer(when=101, period=0, f=fire(a0), seq=1)"} {
		p := parseConc(t, "procs 3\ntimers 1\nthread P0:\n    "+call+"\n    advance(5)\nthread P1:\n    P1: checkTimers(P1)\n")
		rep, err := explore.Pair(Old, New, p, explore.Options{Bound: 2})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Equal() {
			t.Errorf("%s: explore at bound 2 is not equal:\n%s", call, rep)
		}
	}
}

// WriteByCause prints one line per signature, with the count when more
// than one problem has it, then each problem's own text.
func TestWriteByCause(t *testing.T) {
	add := sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 369, Call: "doaddtimer"}
	move := sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 368, Call: "lock"}
	idle := oracle.Signature{Kind: oracle.IdleAdd, Where: add, Move: move}
	ps := []Problem{
		{Kind: oracle.IdleAdd, Text: "t0 in the heap of idle P0", Sig: idle},
		{Kind: oracle.Unnoticed, Text: "t0 is unnoticed", Sig: oracle.Signature{Kind: oracle.Unnoticed, Where: add, Move: move}},
		{Kind: oracle.IdleAdd, Text: "t1 in the heap of idle P2", Sig: idle},
	}
	var b strings.Builder
	WriteByCause(&b, ps)
	want := `  timer on idle P at modtimer -> doaddtimer (newimpl/time.go:369), after a move at modtimer -> lock (newimpl/time.go:368) (2 problems):
    t0 in the heap of idle P0
    t1 in the heap of idle P2
  unnoticed timer at modtimer -> doaddtimer (newimpl/time.go:369), after a move at modtimer -> lock (newimpl/time.go:368):
    t0 is unnoticed
`
	if b.String() != want {
		t.Errorf("WriteByCause:\n%s\nwant:\n%s", b.String(), want)
	}
}
