package minimize

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/port/porttest"
	"github.com/timerdiff/timerdiff/newimpl"
)

func start(on, t int, when int64) port.Call {
	return port.Call{Kind: port.StartTimer, On: on, T: t, When: when, F: port.Func{Arg: t}}
}

// stopThenReset is a fake failure: some timer is stopped and later reset
// to a when at least 150.
func stopThenReset(p ops.Program) bool {
	for i, c := range p.Ops {
		if c.Kind != port.StopTimer {
			continue
		}
		for _, d := range p.Ops[i+1:] {
			if d.Kind == port.ResetTimer && d.T == c.T && d.When >= 150 {
				return true
			}
		}
	}
	return false
}

func TestMinimizeFake(t *testing.T) {
	p := ops.Program{Procs: 3, Timers: 8, Ops: []port.Call{
		start(1, 5, 400),
		{Kind: port.Advance, When: 70},
		start(2, 7, 1000),
		{Kind: port.StopTimer, On: 2, T: 7},
		{Kind: port.CheckTimers, On: 1, P: 2},
		{Kind: port.ResetTimer, On: 1, T: 5, When: 999},
		{Kind: port.ResetTimer, On: 2, T: 7, When: 123456},
		{Kind: port.TimeSleepUntil},
	}}
	got, st, err := Minimize(p, stopThenReset)
	if err != nil {
		t.Fatal(err)
	}
	want := ops.Program{Procs: 1, Timers: 1, Ops: []port.Call{
		{Kind: port.StopTimer, T: 0},
		{Kind: port.ResetTimer, T: 0, When: 150},
	}}
	if !got.Equal(want) {
		t.Errorf("Minimize = \n%s\nwant\n%s", got.Script(), want.Script())
	}
	if st.OpsBefore != 8 || st.OpsAfter != 2 {
		t.Errorf("Stats = %v, want 8 ops -> 2 ops", st)
	}
	checkOneMinimal(t, got, stopThenReset)
}

// checkOneMinimal checks the package invariant on a result.
func checkOneMinimal(t *testing.T, q ops.Program, keep Predicate) {
	t.Helper()
	if !keep(q) {
		t.Fatalf("result does not satisfy the predicate:\n%s", q.Script())
	}
	for _, n := range Neighbours(q) {
		if n.Validate() == nil && keep(n) {
			t.Errorf("result is not 1-minimal: neighbour still fails:\n%s\nresult:\n%s", n.Script(), q.Script())
		}
	}
}

func TestMinimizeNoFailure(t *testing.T) {
	p := ops.Program{Procs: 1, Timers: 1, Ops: []port.Call{start(0, 0, 200)}}
	if _, _, err := Minimize(p, stopThenReset); !errors.Is(err, ErrNoFailure) {
		t.Errorf("Minimize(passing program) error = %v, want ErrNoFailure", err)
	}
}

func TestToward(t *testing.T) {
	const maxWhen = 1<<63 - 1
	tests := []struct {
		v, target int64
		want      []int64
	}{
		{5, 5, nil},
		{10, 0, []int64{0, 5, 9}},
		{1, 0, []int64{0}},
		{2, 0, []int64{0, 1}},
		{90, 100, []int64{100, 95, 91}},
		{maxWhen, 100, []int64{100, 100 + (maxWhen-100)/2, maxWhen - 1}},
		{-1 << 63, 100, []int64{100, 100 - (1<<63+100)/2, -1<<63 + 1}},
	}
	for _, tt := range tests {
		if got := toward(tt.v, tt.target); !slices.Equal(got, tt.want) {
			t.Errorf("toward(%d, %d) = %v, want %v", tt.v, tt.target, got, tt.want)
		}
	}
}

func TestRenumberTimers(t *testing.T) {
	p := ops.Program{Procs: 1, Timers: 8, Ops: []port.Call{
		start(0, 6, 200),
		{Kind: port.Modtimer, T: 3, When: 300, F: port.Func{Kind: port.FuncStop, Arg: 3, Target: 6}},
		{Kind: port.StopTimer, T: 7},
	}}
	got := renumberTimers(p)
	// Only T and targets are renumbered; the tags (a6, a3) stay.
	want := []port.Call{
		{Kind: port.StartTimer, T: 0, When: 200, F: port.Func{Arg: 6}},
		{Kind: port.Modtimer, T: 1, When: 300, F: port.Func{Kind: port.FuncStop, Arg: 3, Target: 0}},
		{Kind: port.StopTimer, T: 2},
	}
	if !slices.Equal(got.Ops, want) {
		t.Errorf("renumberTimers = %v, want %v", got.Ops, want)
	}
	if n := timersUsed(got); n != 3 {
		t.Errorf("timersUsed = %d, want 3", n)
	}
}

// TestMinimizeDiverges minimizes real divergences against a mutated new
// version and checks the invariant with the real predicate.
func TestMinimizeDiverges(t *testing.T) {
	bad := porttest.FlipPending(newimpl.Impl)
	rng := rand.New(rand.NewPCG(1, 2))
	done := 0
	for done < 3 {
		b := make([]byte, 2+12*8)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		p := ops.Decode(b)
		d := check.Pair(check.Old, bad, p).Report.Divergence
		if d == nil || d.Op != 2 {
			continue
		}
		done++
		keep := Diverges(check.Old, bad, d)
		q, st, err := Minimize(p, keep)
		if err != nil {
			t.Fatal(err)
		}
		if len(q.Ops) != 3 {
			t.Errorf("Minimize: %v; want 3 ops, got\n%s", st, q.Script())
		}
		if q.Ops[2].Kind != d.Call.Kind {
			t.Errorf("divergent op kind = %v, want %v", q.Ops[2].Kind, d.Call.Kind)
		}
		checkOneMinimal(t, q, keep)
	}
}
