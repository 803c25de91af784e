package port

import (
	"fmt"
	"strings"
	"testing"
)

// fmtResult is Result as it was written with fmt, for every case.
func fmtResult(o Outcome, k Kind) string {
	var parts []string
	switch k {
	case StopTimer, ResetTimer, Modtimer:
		parts = append(parts, fmt.Sprintf("pending=%t", o.Pending))
	case CheckTimers:
		if o.Skipped {
			parts = append(parts, "skipped (timerpMask clear)")
		} else {
			parts = append(parts, fmt.Sprintf("rnow=%d pollUntil=%d ran=%t", o.Rnow, o.PollUntil, o.Ran))
		}
	case TimeSleepUntil, NobarrierWakeTime:
		parts = append(parts, fmt.Sprintf("%d", o.When))
	}
	if o.Throw != "" {
		parts = append(parts, fmt.Sprintf("throw(%q) in %s", o.Throw, o.Where))
	}
	if o.Hang != "" {
		parts = append(parts, fmt.Sprintf("HANG in %s: %s", o.Where, o.Hang))
	}
	return strings.Join(parts, " ")
}

func TestResultAsFmt(t *testing.T) {
	outs := []Outcome{
		{},
		{Pending: true, Ran: true, Rnow: 125, PollUntil: -1, When: 1<<63 - 1},
		{Skipped: true, Rnow: -7, When: -3},
		{Rnow: 1<<63 - 1, PollUntil: -1 << 63, Ran: true},
		{Pending: true, Throw: "bad \"timer\"", Where: "modtimer"},
		{Hang: "deadlock: x", Where: "deltimer < stopTimer", When: 5},
		{Throw: "t", Hang: "h", Skipped: true},
	}
	for k := Kind(0); k < Kind(len(kindNames))+2; k++ {
		for _, o := range outs {
			if got, want := o.Result(k), fmtResult(o, k); got != want {
				t.Errorf("%v %+v: Result = %q, fmt gives %q", k, o, got, want)
			}
		}
	}
}

// LockEdge.String is the text it was with fmt.
func TestLockEdgeStringAsFmt(t *testing.T) {
	for _, e := range []LockEdge{
		{},
		{From: "timer", To: "timers", FromLock: "t1", ToLock: "P0.timersLock", Call: 3, Where: "modtimer < resettimer"},
		{From: "timer", To: "timers", FromLock: "t1", ToLock: "P0.timersLock", Call: -1, Ranked: true},
		{From: "timers", To: "timer", FromLock: "P1.timersLock", ToLock: "t0", Call: 12, RankOK: true, NoHeap: true},
	} {
		verdict := "allowed by lock rank"
		switch {
		case !e.RankOK && e.Ranked:
			verdict = "RANK VIOLATION (staticlockranking would report it)"
		case !e.RankOK:
			verdict = "RANK VIOLATION of mklockrank's order (staticlockranking does not check it: the timer lock is taken without acquireLockRank)"
		}
		in := ""
		if e.Where != "" {
			in = " in " + e.Where
		}
		want := fmt.Sprintf("%s -> %s: %s held while acquiring %s%s (call %d): %s",
			e.From, e.To, e.FromLock, e.ToLock, in, e.Call, verdict)
		if got := e.String(); got != want {
			t.Errorf("String = %q, fmt gives %q", got, want)
		}
	}
}

// Func.String is the text it was with fmt.
func TestFuncStringAsFmt(t *testing.T) {
	for _, f := range []Func{
		{}, {Arg: 3}, {Kind: FuncStop, Arg: 1, Target: 12}, {Kind: FuncReset, Arg: -1, Target: 0, When: -5},
		{Kind: FuncReset, Arg: 2, Target: 3, When: 1<<63 - 1}, {Kind: FuncDeadline, Arg: 15}, {Kind: 99, Arg: 4},
	} {
		var want string
		switch f.Kind {
		case FuncStop:
			want = fmt.Sprintf("stop(a%d, t%d)", f.Arg, f.Target)
		case FuncReset:
			want = fmt.Sprintf("reset(a%d, t%d, %d)", f.Arg, f.Target, f.When)
		case FuncDeadline:
			want = fmt.Sprintf("deadline(a%d)", f.Arg)
		default:
			want = fmt.Sprintf("fire(a%d)", f.Arg)
		}
		if got := f.String(); got != want {
			t.Errorf("String = %q, fmt gives %q", got, want)
		}
	}
}

// TestFuncStringTable: String's precomputed names are format's.
func TestFuncStringTable(t *testing.T) {
	for a := -1; a <= 70; a++ {
		for _, k := range []FuncKind{FuncFire, FuncStop, FuncReset, FuncDeadline} {
			for tg := -1; tg <= MaxTimers; tg++ {
				f := Func{Kind: k, Arg: a, Target: tg, When: 77}
				if got, want := f.String(), f.format(); got != want {
					t.Errorf("%+v.String() = %q, want %q", f, got, want)
				}
			}
		}
	}
}
