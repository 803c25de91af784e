package compare

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sim"
)

func baseStep() run.Step {
	return run.Step{
		Call: port.Call{Kind: port.ResetTimer, On: 1, T: 2, When: 120},
		Out: port.Outcome{
			Pending: true,
			Fires:   []port.Fire{{What: "fire(a2)", Seq: 1, Now: 110, P: 1}},
			Wakes:   []int64{120},
			Steps:   17,
		},
		State: &port.State{
			Clock:      110,
			TimerpMask: "11",
			Procs: []port.ProcState{{ID: 0}, {ID: 1, NumTimers: 1, Timer0When: 100,
				Heap: []port.HeapEntry{{Timer: "t2", When: 100}}}},
			Timers: []port.TimerState{{Name: "t2", Status: "timerModified", When: 100, Nextwhen: 120, P: 1}},
			Ms:     []port.MState{{ID: 0, P: 1}},
		},
		Bad: nil,
	}
}

// mutations change one observable (or, for "steps", nothing observable).
var mutations = map[string]func(s *run.Step){
	"steps":   func(s *run.Step) { s.Out.Steps++ },
	"pending": func(s *run.Step) { s.Out.Pending = !s.Out.Pending },
	"err":     func(s *run.Step) { s.Err = "refused" },
	"throw":   func(s *run.Step) { s.Out.Throw, s.Out.Where = "timer data corruption", "badTimer" },
	"where":   func(s *run.Step) { s.Out.Where = "modtimer" },
	"fire": func(s *run.Step) {
		s.Out.Fires = append([]port.Fire{{What: "fire(a1)", Now: 90}}, s.Out.Fires...)
	},
	"nofires":  func(s *run.Step) { s.Out.Fires = nil },
	"wake":     func(s *run.Step) { s.Out.Wakes = append(s.Out.Wakes, 5) },
	"emptybad": func(s *run.Step) { s.Bad = []string{} }, // nil and empty: not a difference
	"clock": func(s *run.Step) {
		if s.State != nil {
			st := *s.State
			st.Clock++
			s.State = &st
		}
	},
	"heap": func(s *run.Step) {
		if s.State == nil {
			return
		}
		st := *s.State
		st.Procs = append([]port.ProcState(nil), st.Procs...)
		st.Procs[1].Heap = []port.HeapEntry{{Timer: "t2", When: 101}}
		s.State = &st
	},
	"timer": func(s *run.Step) {
		if s.State == nil {
			return
		}
		st := *s.State
		st.Timers = []port.TimerState{{Name: "t2", Status: "timerWaiting", When: 100, Nextwhen: 120, P: 1}}
		s.State = &st
	},
	"idle": func(s *run.Step) {
		if s.State == nil {
			return
		}
		st := *s.State
		st.Idle = append(append([]int(nil), st.Idle...), 0)
		s.State = &st
	},
	"nostate": func(s *run.Step) { s.State = nil },
	"bad":     func(s *run.Step) { s.Bad = append(s.Bad, "P1 numTimers=1 but the heap holds 0") },
	"hang":    func(s *run.Step) { s.Out.Hang = "deadlock: x" },
}

// TestStepsEqualAgreesWithDiff is the package contract: StepDiff is ""
// exactly when StepsEqual is true, for each single change and for random
// combinations of them.
func TestStepsEqualAgreesWithDiff(t *testing.T) {
	names := make([]string, 0, len(mutations))
	for n := range mutations {
		names = append(names, n)
	}
	check := func(label string, a, b *run.Step) {
		eq, diff := StepsEqual(a, b), StepDiff(a, b)
		if eq != (diff == "") {
			t.Errorf("%s: StepsEqual = %v but StepDiff = %q", label, eq, diff)
		}
	}
	for name, m := range mutations {
		a, b := baseStep(), baseStep()
		m(&b)
		check(name, &a, &b)
		wantEq := name == "steps" || name == "emptybad"
		if got := StepsEqual(&a, &b); got != wantEq {
			t.Errorf("%s: StepsEqual = %v, want %v", name, got, wantEq)
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range 2000 {
		a, b := baseStep(), baseStep()
		for range 1 + rng.IntN(3) {
			mutations[names[rng.IntN(len(names))]](&a)
		}
		for range rng.IntN(3) {
			mutations[names[rng.IntN(len(names))]](&b)
		}
		check("random "+string(rune('a'+i%26)), &a, &b)
	}
}

func TestCheckVerdicts(t *testing.T) {
	step := baseStep()
	hang := baseStep()
	hang.Out = port.Outcome{Hang: "livelock: spinning", HangKind: sim.HangSpin}
	bad := port.LockEdge{From: "timer", To: "timers", RankOK: false}
	ok := port.LockEdge{From: "timers", To: "timer", RankOK: true}
	tests := []struct {
		name      string
		old, new  run.Trace
		wantKind  Kind // "" for equal
		wantKnown int
	}{
		{"equal", run.Trace{Steps: []run.Step{step}}, run.Trace{Steps: []run.Step{step}}, "", 0},
		{"both hang: still a failure of the new version", run.Trace{Steps: []run.Step{hang}}, run.Trace{Steps: []run.Step{hang}}, KindHang, 0},
		{"old rank violation: known defect", run.Trace{Steps: []run.Step{step}, LockEdges: []port.LockEdge{bad, ok}}, run.Trace{Steps: []run.Step{step}, LockEdges: []port.LockEdge{ok}}, "", 1},
		{"new rank violation: failure", run.Trace{Steps: []run.Step{step}}, run.Trace{Steps: []run.Step{step}, LockEdges: []port.LockEdge{bad}}, KindLockOrder, 0},
		{"new cycle: failure", run.Trace{Steps: []run.Step{step}}, run.Trace{Steps: []run.Step{step}, LockCycles: []string{"timers -> timer -> timers"}}, KindLockOrder, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Check(&tt.old, &tt.new)
			got := Kind("")
			if r.Divergence != nil {
				got = r.Divergence.Kind
			}
			if got != tt.wantKind || len(r.Known) != tt.wantKnown {
				t.Errorf("Check = kind %q, %d known; want %q, %d", got, len(r.Known), tt.wantKind, tt.wantKnown)
			}
		})
	}
}

// TestLocateIsCheckWithoutDiff: Locate's report is Check's with the
// divergence's go-cmp diff left out, for every single change at every
// position of a three-step trace and for the verdicts above.
func TestLocateIsCheckWithoutDiff(t *testing.T) {
	same := func(label string, old, nw *run.Trace) {
		full, brief := Check(old, nw), Locate(old, nw)
		if brief.Divergence != nil && brief.Divergence.Diff != "" {
			t.Errorf("%s: Locate gives a diff", label)
		}
		if full.Divergence != nil {
			d := *full.Divergence
			d.Diff = ""
			full.Divergence = &d
		}
		if !reflect.DeepEqual(full, brief) {
			t.Errorf("%s: Check = %+v (diff cleared), Locate = %+v", label, full, brief)
		}
	}
	for name, m := range mutations {
		for at := range 3 {
			old, nw := run.Trace{}, run.Trace{}
			for i := range 3 {
				a, b := baseStep(), baseStep()
				if i == at {
					m(&b)
				}
				old.Steps, nw.Steps = append(old.Steps, a), append(nw.Steps, b)
				if b.Out.Hang != "" {
					break // a trace ends at a hang
				}
			}
			same(name, &old, &nw)
		}
	}
	bad := port.LockEdge{From: "timer", To: "timers", RankOK: false}
	step := baseStep()
	same("lock order", &run.Trace{Steps: []run.Step{step}}, &run.Trace{Steps: []run.Step{step}, LockEdges: []port.LockEdge{bad}})
	same("known", &run.Trace{Steps: []run.Step{step}, LockEdges: []port.LockEdge{bad}}, &run.Trace{Steps: []run.Step{step}})
}
