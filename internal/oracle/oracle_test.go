package oracle

import (
	"slices"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// Of sees every kind of problem a trace can hold.
func TestOf(t *testing.T) {
	tr := run.ConcTrace{
		Lost: []run.Stuck{
			{Kind: run.NeverFired, Timer: "t0", Text: "t0 (timerWaiting, when=105 <= now=110) never fired"},
			{Kind: run.Unnoticed, Timer: "t1", P: 2, Text: "t1 (...) is unnoticed: ... P2 ..."},
		},
		IdleAdds:   []string{port.IdleAddText("t1", 2)},
		Bad:        []string{"P0 numTimers=2 but the heap holds 0"},
		LockCycles: []string{"timer -> timers -> timer"},
		LockEdges:  []port.LockEdge{{From: "timer", To: "timers", RankOK: false}, {From: "timers", To: "timer", RankOK: true}},
	}
	tr.Threads = [][]run.Step{{
		{Call: port.Call{Kind: port.StopTimer}, Out: port.Outcome{Hang: "deadlock: x", HangKind: sim.HangDeadlock, Where: "deltimer"}},
		{Call: port.Call{Kind: port.ResetTimer, When: 0}, Out: port.Outcome{Throw: "timer when must be positive"}},
	}}
	tr.Err = ""
	var kinds []Kind
	for _, p := range Of(&tr) {
		kinds = append(kinds, p.Kind)
	}
	want := []Kind{Hang, Throw, LockOrder, LockOrder, Heap, IdleAdd, Lost, Unnoticed}
	if !slices.Equal(kinds, want) {
		t.Errorf("Of kinds = %q, want %q", kinds, want)
	}
}

func TestSame(t *testing.T) {
	a := Problem{Kind: Throw, Class: "x", Text: "throw \"x\" ..."}
	if !a.Same(Problem{Kind: Throw, Class: "x", Text: "other text"}) || a.Same(Problem{Kind: Throw, Class: "y"}) || a.Same(Problem{Kind: Hang, Class: "x"}) {
		t.Errorf("Same compares Kind and Class only")
	}
	b := Of(&run.ConcTrace{Bad: []string{"P0 numTimers=2 but the heap holds 0"}})
	c := Of(&run.ConcTrace{Bad: []string{"P1 numTimers=3 but the heap holds 1"}})
	if !b[0].Same(c[0]) {
		t.Errorf("%q and %q are not Same: the class keeps numbers", b[0].Class, c[0].Class)
	}
	// A hang's class keeps its kind and call, not where it hung: the two
	// versions spin in different functions.
	h1 := Of(&run.ConcTrace{Setup: []run.Step{{Call: port.Call{Kind: port.StopTimer}, Out: port.Outcome{Hang: "livelock: spinning", HangKind: sim.HangSpin, Where: "deltimer"}}}})
	h2 := Of(&run.ConcTrace{Setup: []run.Step{{Call: port.Call{Kind: port.StopTimer}, Out: port.Outcome{Hang: "livelock: other", HangKind: sim.HangSpin, Where: "lock < deltimer"}}}})
	if !h1[0].Same(h2[0]) || !strings.HasPrefix(h1[0].Class, "livelock") {
		t.Errorf("hang classes %q and %q, want the same, starting with the hang's kind", h1[0].Class, h2[0].Class)
	}
}

// A signature's Key names functions and calls, not files and lines: the
// same cause in two ports, or under two schedules, is one Key; another
// call, another move or none, another kind is another Key.
func TestSignatureKey(t *testing.T) {
	add := sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 369, Call: "doaddtimer"}
	move := sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 368, Call: "lock"}
	finding := Signature{Kind: IdleAdd, Where: add, Move: move}
	if got, want := finding.String(), "timer on idle P at modtimer -> doaddtimer (newimpl/time.go:369), after a move at modtimer -> lock (newimpl/time.go:368)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := finding.Key(), "timer on idle P | at modtimer -> doaddtimer | moved at modtimer -> lock"; got != want {
		t.Errorf("Key() = %q, want %q", got, want)
	}
	other := func(s sim.Site) sim.Site { s.File, s.Line = "internal/series/v1df6db8e/time.go", s.Line+7; return s }
	for _, tc := range []struct {
		name string
		sig  Signature
		same bool
	}{
		{"another port's lines", Signature{Kind: IdleAdd, Where: other(add), Move: other(move)}, true},
		{"another kind", Signature{Kind: DeadAdd, Where: add, Move: move}, false},
		{"another call", Signature{Kind: IdleAdd, Where: sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 369, Call: "unlock"}, Move: move}, false},
		{"another function", Signature{Kind: IdleAdd, Where: sim.Site{Func: "adjusttimers", Call: "doaddtimer"}, Move: move}, false},
		{"no move", Signature{Kind: IdleAdd, Where: add}, false},
		{"a move between calls", Signature{Kind: IdleAdd, Where: add, Move: sim.Site{Call: "between calls"}}, false},
		{"another what", Signature{Kind: IdleAdd, Where: add, Move: move, What: "x"}, false},
	} {
		if got := tc.sig.Key() == finding.Key(); got != tc.same {
			t.Errorf("%s: %q == %q is %t, want %t", tc.name, tc.sig.Key(), finding.Key(), got, tc.same)
		}
	}
	if got, want := (Signature{Kind: IdleAdd, Where: add, Move: sim.Site{Call: "between calls"}}).String(), "timer on idle P at modtimer -> doaddtimer (newimpl/time.go:369), after a move at safe point \"between calls\" (outside time.go)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// Of builds each problem's signature from the trace's typed causes: a
// problem with a site is grouped by it, not by its text; one without
// keeps its Class as What.
func TestOfSignatures(t *testing.T) {
	add := port.Cause{
		Where: sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 369, Call: "doaddtimer"},
		Move:  sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 368, Call: "lock"},
	}
	unlock := port.Cause{Where: sim.Site{Func: "adjusttimers", File: "newimpl/time.go", Line: 800, Call: "unlock"}}
	thrown := port.Cause{Where: sim.Site{Func: "deltimer", File: "newimpl/time.go", Line: 420, Call: "badTimer"}}
	tr := run.ConcTrace{
		IdleAdds:     []string{port.IdleAddText("t1", 2), port.IdleAddText("t0, t3", 1)},
		IdleAddCause: []port.Cause{add, {}},
		Bad:          []string{"P0 numTimers=2 but the heap holds 0", "during the run: P1 timer0When=5 but the heap's first is 7"},
		BadCause:     []port.Cause{{}, unlock},
		Lost: []run.Stuck{
			{Kind: run.Unnoticed, Timer: "t1", P: 2, Text: "t1 (...) is unnoticed: ... P2 ...", Cause: add},
			{Kind: run.NeverFired, Timer: "t4", Text: "t4 (timerWaiting, when=105 <= now=110) never fired"},
		},
	}
	tr.Threads = [][]run.Step{{{Call: port.Call{Kind: port.StopTimer}, Out: port.Outcome{Throw: "timer data corruption", Where: "deltimer", Cause: thrown}}}}
	var got []string
	for _, p := range Of(&tr) {
		got = append(got, p.Sig.Key())
	}
	want := []string{
		"throw: timer data corruption | at deltimer -> badTimer",
		"heap invariant: PN numTimers=N but the heap holds N",
		"heap invariant: during the run: PN timerNWhen=N but the heap's first is N | at adjusttimers -> unlock",
		"timer on idle P | at modtimer -> doaddtimer | moved at modtimer -> lock",
		"timer on idle P: tN, tN in the heap of idle PN, whose timerpMask bit is clear (updateTimerPMask: an idle P cannot add new timers while idle)",
		"unnoticed timer | at modtimer -> doaddtimer | moved at modtimer -> lock",
		"lost timer: lost timer: tN (timerWaiting, when=N <= now=N) never fired",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Of signatures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
