package port

import (
	"reflect"
	"testing"
)

// TestStateEqualSeesEveryField changes each field of a State, one at a
// time, down to the fields of its slices' elements, and asserts that
// Equal sees the change: a field added to State and left out of Equal
// fails here.
func TestStateEqualSeesEveryField(t *testing.T) {
	base := func() *State {
		return &State{
			Clock:         100,
			Procs:         []ProcState{{ID: 0, NumTimers: 1, Timer0When: 110, Heap: []HeapEntry{{Timer: "t0", When: 110}}}},
			Timers:        []TimerState{{Name: "t0", Status: "timerWaiting", When: 110, P: 0, F: "fire(a0)"}},
			Ms:            []MState{{ID: 0, P: 0, Held: []string{"P0.timersLock"}}},
			TimerpMask:    "1",
			Idle:          []int{0},
			NetpollInited: true,
		}
	}
	if a, b := base(), base(); !a.Equal(b) {
		t.Fatal("two copies of one state are not Equal")
	}
	var leaves int
	var walk func(path string, get func(*State) reflect.Value)
	walk = func(path string, get func(*State) reflect.Value) {
		v := get(base())
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				walk(path+"."+v.Type().Field(i).Name, func(s *State) reflect.Value { return get(s).Field(i) })
			}
			return
		case reflect.Slice:
			if v.Len() == 0 {
				t.Fatalf("%s: the base state needs an element here", path)
			}
			walk(path+"[0]", func(s *State) reflect.Value { return get(s).Index(0) })
			// And one element more.
			leaves++
			s := base()
			f := get(s)
			f.Set(reflect.Append(f, f.Index(0)))
			if base().Equal(s) {
				t.Errorf("Equal misses an element appended to %s", path)
			}
			return
		}
		leaves++
		s := base()
		f := get(s)
		switch f.Kind() {
		case reflect.Bool:
			f.SetBool(!f.Bool())
		case reflect.Int, reflect.Int32, reflect.Int64:
			f.SetInt(f.Int() + 1)
		case reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			f.SetUint(f.Uint() + 1)
		case reflect.String:
			f.SetString(f.String() + "x")
		default:
			t.Fatalf("%s: no change for kind %s", path, f.Kind())
		}
		if base().Equal(s) || s.Equal(base()) {
			t.Errorf("Equal misses a change of %s", path)
		}
	}
	walk("State", func(s *State) reflect.Value { return reflect.ValueOf(s).Elem() })
	if leaves < 20 {
		t.Errorf("walked %d fields, want the whole State", leaves)
	}
}
