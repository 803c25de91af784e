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
