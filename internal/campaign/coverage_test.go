package campaign

import (
	"testing"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
)

func TestBranchOf(t *testing.T) {
	state := func(status string, when, nextwhen int64) *port.State {
		return &port.State{Clock: 200, Timers: []port.TimerState{
			{Name: "t0", Status: status, When: when, Nextwhen: nextwhen},
			{Name: "g1.timer", Status: status, When: when, Nextwhen: nextwhen},
		}}
	}
	reset := func(when int64) port.Call { return port.Call{Kind: port.ResetTimer, When: when} }
	tests := []struct {
		name string
		c    port.Call
		prev *port.State
		want branch
	}{
		{"initial start", port.Call{Kind: port.StartTimer, When: 150}, nil, modRemoved},
		{"initial stop", port.Call{Kind: port.StopTimer}, nil, delRemoved},
		{"start of a started timer throws first", port.Call{Kind: port.StartTimer, When: 150}, state("timerWaiting", 300, 0), noBranch},
		{"waiting later", reset(300), state("timerWaiting", 300, 0), modWaiting},
		{"waiting earlier", reset(299), state("timerWaiting", 300, 0), modWaitingEarlier},
		{"modified later", reset(400), state("timerModified", 300, 250), modModified},
		{"modified earlier", reset(250), state("timerModified", 300, 250), modModifiedEarlier},
		{"stopped later", reset(300), state("timerModified", 300, 0), modStopped},
		{"stopped earlier", port.Call{Kind: port.ModTimer, When: 1}, state("timerModified", 300, 0), modStoppedEarlier},
		{"modtimer when 0 throws first", port.Call{Kind: port.Modtimer}, state("timerWaiting", 300, 0), noBranch},
		{"stop waiting", port.Call{Kind: port.StopTimer}, state("timerWaiting", 300, 0), delWaiting},
		{"stop modified", port.Call{Kind: port.StopTimer}, state("timerModified", 300, 5), delModified},
		{"stop stopped", port.Call{Kind: port.StopTimer}, state("timerModified", 300, 0), delStopped},
		{"sleep is relative to the clock", port.Call{Kind: port.Sleep, G: 1, When: 99}, state("timerWaiting", 300, 0), modWaitingEarlier},
		{"sleep 0 returns at once", port.Call{Kind: port.Sleep, G: 1}, state("timerWaiting", 300, 0), noBranch},
		{"sleep overflow is maxWhen", port.Call{Kind: port.Sleep, G: 1, When: ops.MaxWhen}, state("timerWaiting", 300, 0), modWaiting},
		{"checkTimers", port.Call{Kind: port.CheckTimers}, nil, noBranch},
	}
	for _, tt := range tests {
		if got := branchOf(tt.c, tt.prev, 100); got != tt.want {
			t.Errorf("%s: branchOf(%v) = %d, want %d", tt.name, tt.c, got, tt.want)
		}
	}
}
