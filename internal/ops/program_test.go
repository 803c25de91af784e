package ops

import (
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
)

// every is a valid program with every kind, every function kind and edge
// values.
var every = Program{Procs: 2, Timers: 4, Ops: []port.Call{
	{Kind: port.StartTimer, On: 1, T: 3, When: 150, F: port.Func{Arg: 3}},
	{Kind: port.StartTimer, T: 0, When: maxWhen, Period: -1, F: port.Func{Kind: port.FuncStop, Arg: -7, Target: 3}, Seq: 1<<64 - 1},
	{Kind: port.StopTimer, On: 1, T: 1},
	{Kind: port.ResetTimer, T: 0, When: 110},
	{Kind: port.ResetTimer, T: 0, When: -1},
	{Kind: port.ResetTimer, T: 0, When: 0},
	{Kind: port.ResetTimer, T: 0, When: -1 << 63},
	{Kind: port.ModTimer, T: 2, When: 5, Period: 3},
	{Kind: port.Modtimer, On: 1, T: 3, When: 5, F: port.Func{Kind: port.FuncReset, Arg: 3, Target: 1, When: 40}, Seq: 2},
	{Kind: port.Modtimer, T: 1, When: maxWhen - 1, Period: 1 << 62, F: port.Func{Kind: port.FuncReset, Arg: 1000, Target: 0, When: -1}, Seq: 15},
	{Kind: port.Sleep, G: 1, When: 5},
	{Kind: port.Sleep, G: 3, When: -1 << 63},
	{Kind: port.CheckTimers, On: 1, P: 1},
	{Kind: port.CheckTimers, On: 0, P: 1},
	{Kind: port.Procresize, On: 1, N: 3},
	{Kind: port.Pidleput, P: 2},
	{Kind: port.Pidleget, P: 2},
	{Kind: port.TimeSleepUntil},
	{Kind: port.NobarrierWakeTime, P: 0},
	{Kind: port.Advance, When: 30},
	{Kind: port.Procresize, On: 2, N: 1},
	{Kind: port.Advance, When: 0},
	{Kind: port.StartTimer, T: 2, When: 1, F: port.Func{Arg: 62}, Seq: 14},
	{Kind: port.Advance, When: maxWhen - 131},
	{Kind: port.ResetTimer, T: 2, When: maxWhen},
}}

func TestValidate(t *testing.T) {
	op := func(c port.Call) Program { return Program{Procs: 2, Timers: 4, Ops: []port.Call{c}} }
	tests := []struct {
		name string
		p    Program
		want string // a substring of the error; "" for valid
	}{
		{"every", every, ""},
		{"empty", Program{Procs: 1, Timers: 1}, ""},
		{"max", Program{Procs: 4, Timers: 16, Ops: []port.Call{{Kind: port.StopTimer, On: 3, T: 15}}}, ""},
		{"procs0", Program{Procs: 0, Timers: 4}, "procs 0 not in 1..4"},
		{"procs5", Program{Procs: 5, Timers: 4}, "procs 5 not in 1..4"},
		{"timers0", Program{Procs: 1, Timers: 0}, "timers 0 not in 1..16"},
		{"timers17", Program{Procs: 1, Timers: 17}, "timers 17 not in 1..16"},
		{"kind0", op(port.Call{}), "op 0 (P0: Kind(0)()): unknown kind Kind(0)"},
		{"kind14", op(port.Call{Kind: port.Advance + 1}), "unknown kind"},
		{"on", op(port.Call{Kind: port.StopTimer, On: 2}), "op 0 (P2: t0.stopTimer()): P2 does not exist (2 Ps)"},
		{"onNeg", op(port.Call{Kind: port.StopTimer, On: -1}), "P-1 does not exist"},
		{"p", op(port.Call{Kind: port.CheckTimers, P: 2}), "P2 does not exist"},
		{"pidle", op(port.Call{Kind: port.Pidleput, P: 3}), "P3 does not exist"},
		{"timer", op(port.Call{Kind: port.ResetTimer, T: 4}), "timer t4 does not exist (4 timers)"},
		{"g", op(port.Call{Kind: port.Sleep, G: 4}), "goroutine g4 does not exist"},
		{"n0", op(port.Call{Kind: port.Procresize, N: 0}), "procresize(0) not in 1..4"},
		{"n5", op(port.Call{Kind: port.Procresize, N: 5}), "procresize(5) not in 1..4"},
		{"target", op(port.Call{Kind: port.StartTimer, F: port.Func{Kind: port.FuncStop, Target: 4}}), "f target t4 does not exist"},
		{"fkind", op(port.Call{Kind: port.StartTimer, F: port.Func{Kind: 4}}), "unknown func kind 4"},
		{"deadlineStart", op(port.Call{Kind: port.StartTimer, F: port.Func{Kind: port.FuncDeadline}}), "only netpoll's modtimer installs it"},
		{"advanceNeg", op(port.Call{Kind: port.Advance, When: -1}), "advance(-1) is negative"},
		{"advanceMax", op(port.Call{Kind: port.Advance, When: maxWhen - 100}), "past maxWhen"},
		{"unusedOn", op(port.Call{Kind: port.Advance, On: 1, When: 1}), "fields unused by advance are set"},
		{"unusedT", op(port.Call{Kind: port.Sleep, T: 1}), "fields unused by sleep are set"},
		{"unusedFWhen", op(port.Call{Kind: port.StartTimer, F: port.Func{Kind: port.FuncStop, When: 3}}), "fields unused"},
		{"unusedF", op(port.Call{Kind: port.ResetTimer, F: port.Func{Arg: 1}}), "fields unused"},
		{"afterShrink", Program{Procs: 4, Timers: 1, Ops: []port.Call{
			{Kind: port.CheckTimers, On: 3, P: 2},
			{Kind: port.Procresize, On: 3, N: 2},
			{Kind: port.CheckTimers, On: 1, P: 2},
		}}, "op 2 (P1: checkTimers(P2)): P2 does not exist (2 Ps)"},
		{"afterGrow", Program{Procs: 1, Timers: 1, Ops: []port.Call{
			{Kind: port.Procresize, N: 4},
			{Kind: port.CheckTimers, On: 3, P: 2},
		}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestConfig(t *testing.T) {
	got := Program{Procs: 3, Timers: 7}.Config()
	want := port.Config{Procs: 3, Timers: 7, Clock: port.DefaultConfig.Clock, StepBudget: port.DefaultConfig.StepBudget}
	if got != want {
		t.Errorf("Config() = %+v, want %+v", got, want)
	}
}

// TestUsesTable: uses, from its table or not, is usesOf for every kind
// and function kind, in the table's range and out of it.
func TestUsesTable(t *testing.T) {
	inTable := 0
	for k := range 256 {
		for fk := range 256 {
			if got, want := uses(port.Kind(k), port.FuncKind(fk)), usesOf(port.Kind(k), port.FuncKind(fk)); got != want {
				t.Fatalf("uses(%d, %d) = %+v, usesOf = %+v", k, fk, got, want)
			}
			if k < len(usesTable) && fk < len(usesTable[k]) {
				inTable++
			}
		}
	}
	if want := int(port.Advance+1) * int(port.FuncDeadline+1); inTable != want {
		t.Fatalf("%d pairs in the table, want %d", inTable, want)
	}
}
