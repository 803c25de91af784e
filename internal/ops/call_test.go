package ops

import (
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
)

func TestCallString(t *testing.T) {
	const maxWhen = 1<<63 - 1
	tests := []struct {
		c    port.Call
		want string
	}{
		{port.Call{Kind: port.StartTimer, T: 3, When: 150, F: port.Func{Arg: 3}}, "P0: t3.startTimer(when=150, period=0, f=fire(a3), seq=0)"},
		{port.Call{Kind: port.StopTimer, On: 1, T: 1}, "P1: t1.stopTimer()"},
		{port.Call{Kind: port.ResetTimer, T: 0, When: 110}, "P0: t0.resetTimer(when=110)"},
		{port.Call{Kind: port.ModTimer, T: 2, When: 5, Period: 3}, "P0: t2.modTimer(when=5, period=3)"},
		{port.Call{Kind: port.Modtimer, On: 1, T: 3, When: 5, F: port.Func{Kind: port.FuncReset, Arg: 3, Target: 1, When: 40}, Seq: 2},
			"P1: t3.modtimer(when=5, period=0, f=reset(a3, t1, 40), seq=2)"},
		{port.Call{Kind: port.Modtimer, On: 3, T: 15, When: -1, Period: maxWhen, F: port.Func{Kind: port.FuncStop, Arg: -2, Target: 0}, Seq: 1<<64 - 1},
			"P3: t15.modtimer(when=-1, period=9223372036854775807, f=stop(a-2, t0), seq=18446744073709551615)"},
		{port.Call{Kind: port.Sleep, G: 1, When: 5}, "P0: g1.sleep(ns=5)"},
		{port.Call{Kind: port.CheckTimers, On: 1, P: 1}, "P1: checkTimers(P1)"},
		{port.Call{Kind: port.CheckTimers, On: 0, P: 2}, "P0: checkTimers(P2)"},
		{port.Call{Kind: port.Procresize, N: 3}, "P0: procresize(3)"},
		{port.Call{Kind: port.Pidleput, P: 1}, "pidleput(P1)"},
		{port.Call{Kind: port.Pidleget, P: 1}, "pidleget(P1)"},
		{port.Call{Kind: port.TimeSleepUntil}, "timeSleepUntil()"},
		{port.Call{Kind: port.NobarrierWakeTime}, "nobarrierWakeTime(P0)"},
		{port.Call{Kind: port.Advance, When: 30}, "advance(30)"},
		{port.Call{Kind: port.StartTimer, When: maxWhen, Period: -1, F: port.Func{Arg: 0}}, "P0: t0.startTimer(when=9223372036854775807, period=-1, f=fire(a0), seq=0)"},
		{port.Call{Kind: 99, On: 2}, "P2: Kind(99)()"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.c.String(); got != tt.want {
				t.Errorf("%#v.String() = %q, want %q", tt.c, got, tt.want)
			}
		})
	}
}
