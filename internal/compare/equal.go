package compare

import (
	"slices"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
)

// StepsEqual is the hot-path equality of two steps: field by field, no
// reflection. It must agree with StepDiff (see the package contract);
// nil and empty slices are equal, as cmpopts.EquateEmpty makes them.
func StepsEqual(o, w *run.Step) bool {
	if bothHang(o, w) {
		return hangsEqual(o, w)
	}
	return o.Call == w.Call &&
		o.Err == w.Err &&
		outcomesEqual(&o.Out, &w.Out) &&
		statesEqual(o.State, w.State) &&
		slices.Equal(o.Bad, w.Bad)
}

func outcomesEqual(o, w *port.Outcome) bool {
	return resultsEqual(o, w) &&
		o.Throw == w.Throw && o.Hang == w.Hang && o.Where == w.Where &&
		slices.Equal(o.Fires, w.Fires) &&
		slices.Equal(o.Wakes, w.Wakes)
}

func resultsEqual(o, w *port.Outcome) bool {
	return o.Pending == w.Pending && o.Rnow == w.Rnow && o.PollUntil == w.PollUntil &&
		o.Ran == w.Ran && o.Skipped == w.Skipped && o.When == w.When
}

func statesEqual(o, w *port.State) bool { return o.Equal(w) }

// bothHang reports whether both steps hang. What two hanging calls did
// before they were stopped (fires, wakes, where the step budget ran out)
// depends on how many steps each version takes per loop, not on
// behaviour; so two hangs are the same when the call and the kind of hang
// are. The new version's hang is still reported (see Check).
func bothHang(o, w *run.Step) bool { return o.Out.Hang != "" && w.Out.Hang != "" }

func hangsEqual(o, w *run.Step) bool {
	return o.Call == w.Call && o.Err == w.Err && o.Out.HangKind == w.Out.HangKind
}

// shown is the part of a step that StepDiff shows: all of it, or for
// two hangs only what hangsEqual compares.
func shown(s *run.Step, hang bool) *run.Step {
	if !hang {
		return s
	}
	return &run.Step{Call: s.Call, Err: s.Err, Out: port.Outcome{Hang: s.Out.HangKind.String(), HangKind: s.Out.HangKind}}
}

// OutcomesEqual is StepsEqual's comparison of two outcomes (Steps and
// Cut ignored).
func OutcomesEqual(o, w *port.Outcome) bool { return outcomesEqual(o, w) }

// StatesEqual is StepsEqual's comparison of two states.
func StatesEqual(o, w *port.State) bool { return statesEqual(o, w) }
