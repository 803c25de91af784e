package ops

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sched"
)

// conc is a valid concurrent program with three threads, a setup and a
// schedule.
var conc = ConcProgram{
	Program: Program{Procs: 3, Timers: 4, Ops: []port.Call{
		{Kind: port.StartTimer, On: 1, T: 1, When: 120, F: port.Func{Arg: 1}},
		{Kind: port.Advance, When: 5},
	}},
	Threads: []port.Thread{
		{P: 0, Calls: []port.Call{
			{Kind: port.Modtimer, On: 0, T: 0, When: 103, F: port.Func{Arg: 0}, Seq: 1},
			{Kind: port.Advance, On: 0, When: 10},
			{Kind: port.StopTimer, On: 0, T: 0},
		}},
		{P: 2, Calls: []port.Call{
			{Kind: port.CheckTimers, On: 2, P: 1},
			{Kind: port.Sleep, On: 2, G: 1, When: 7},
			{Kind: port.NobarrierWakeTime, On: 2, P: 2},
		}},
		{P: 1, Calls: []port.Call{
			{Kind: port.ResetTimer, On: 1, T: 1, When: 130},
			{Kind: port.TimeSleepUntil, On: 1},
		}},
	},
	Schedule: sched.Schedule{0, 0, 1, 2, 2, 2},
}

const concScript = `# timerdiff script v1
procs 3
timers 4
P1: t1.startTimer(when=120, period=0, f=fire(a1), seq=0)
advance(5)
thread P0:
    P0: t0.modtimer(when=103, period=0, f=fire(a0), seq=1)
    advance(10)
    P0: t0.stopTimer()
thread P2:
    P2: checkTimers(P1)
    P2: g1.sleep(ns=7)
    nobarrierWakeTime(P2)
thread P1:
    P1: t1.resetTimer(when=130)
    timeSleepUntil()
schedule M0*2 M1 M2*3
`

func TestConcScript(t *testing.T) {
	if got := conc.Script(); got != concScript {
		t.Errorf("conc.Script() =\n%s\nwant\n%s", got, concScript)
	}
	got, err := ParseConc("x.ops", []byte(concScript))
	if err != nil || !got.Equal(conc) {
		t.Fatalf("ParseConc(concScript) = %+v, %v, want %+v", got, err, conc)
	}
	if !IsConcScript([]byte(concScript)) || IsConcScript([]byte(every.Script())) {
		t.Error("IsConcScript misclassifies")
	}
}

func TestConcValidate(t *testing.T) {
	mod := func(f func(p *ConcProgram)) ConcProgram {
		p := ConcProgram{Program: Program{Procs: conc.Procs, Timers: conc.Timers, Ops: append([]port.Call(nil), conc.Ops...)}}
		for _, th := range conc.Threads {
			p.Threads = append(p.Threads, port.Thread{P: th.P, Calls: append([]port.Call(nil), th.Calls...)})
		}
		f(&p)
		return p
	}
	tests := []struct {
		name string
		p    ConcProgram
		want string // substring of the error; "" for valid
		// contract: only the API contract is broken, so ValidateShape
		// accepts p; otherwise ValidateShape says what Validate says.
		contract bool
	}{
		{"conc", conc, "", false},
		{"noThreads", mod(func(p *ConcProgram) { p.Threads = nil }), "0 threads, want 1..3", false},
		{"tooMany", mod(func(p *ConcProgram) { p.Ops = append(p.Ops, port.Call{Kind: port.Procresize, N: 2}) }), "3 threads, want 1..2", false},
		{"sameP", mod(func(p *ConcProgram) { p.Threads[2].P = 0; fixOn(&p.Threads[2]) }), "P0 is held by thread 0 too", false},
		{"noP", mod(func(p *ConcProgram) { p.Threads[2].P = 3; fixOn(&p.Threads[2]) }), "P3 does not exist", false},
		{"on", mod(func(p *ConcProgram) { p.Threads[0].Calls[0].On = 1 }), "runs on P1, but the thread holds P0", false},
		{"onAdvance", mod(func(p *ConcProgram) { p.Threads[0].Calls[1].On = 0; p.Threads[0].P = 0 }), "", false},
		{"procresize", mod(func(p *ConcProgram) {
			p.Threads[0].Calls = append(p.Threads[0].Calls, port.Call{Kind: port.Procresize, N: 3})
		}), "procresize needs the world stopped", false},
		{"contract", mod(func(p *ConcProgram) { p.Threads[2].Calls[0].T = 0 }), "API contract: t0 is used by thread 0 too", true},
		{"contractSleep", mod(func(p *ConcProgram) {
			p.Threads[0].Calls = append(p.Threads[0].Calls, port.Call{Kind: port.Sleep, G: 1, When: 3})
		}), "API contract: g1 is used by thread 0 too", true},
		{"restartSetup", mod(func(p *ConcProgram) {
			p.Threads[2].Calls[0] = port.Call{Kind: port.StartTimer, On: 1, T: 1, When: 130}
		}), "startTimer takes a fresh timer (time.NewTimer, time.AfterFunc): t1 was used before (setup op 0)", true},
		{"restartThread", mod(func(p *ConcProgram) {
			p.Threads[0].Calls[2] = port.Call{Kind: port.StartTimer, On: 0, T: 0, When: 130}
		}), "t0 was used before (thread 0 call 0)", true},
		{"freshStart", mod(func(p *ConcProgram) {
			p.Threads[0].Calls[0] = port.Call{Kind: port.StartTimer, On: 0, T: 0, When: 103}
		}), "", false},
		{"stopFunc", mod(func(p *ConcProgram) { p.Threads[0].Calls[0].F = port.Func{Kind: port.FuncStop, Arg: 0, Target: 2} }), "fire-only", true},
		{"resetFuncSetup", mod(func(p *ConcProgram) { p.Ops[0].F = port.Func{Kind: port.FuncReset, Arg: 1, Target: 1, When: 5} }), "setup op 0", true},
		{"idleOther", mod(func(p *ConcProgram) { p.Threads[1].Calls[2].P = 0 }), "only drop its own P", false},
		{"schedule", mod(func(p *ConcProgram) { p.Schedule = sched.Schedule{0, 3} }), "schedule names M3", false},
		{"clock", mod(func(p *ConcProgram) {
			p.Threads[2].Calls = append(p.Threads[2].Calls, port.Call{Kind: port.Advance, On: 1, When: maxWhen - 110})
		}), "past maxWhen", false},
		{"badSetup", mod(func(p *ConcProgram) { p.Ops[0].T = 9 }), "setup op 0", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.want)
			}
			shape := tt.p.ValidateShape()
			switch {
			case tt.contract && shape != nil:
				t.Fatalf("ValidateShape() = %v, want nil (only the contract is broken)", shape)
			case !tt.contract && (shape == nil) != (err == nil):
				t.Fatalf("ValidateShape() = %v, want what Validate says: %v", shape, err)
			case !tt.contract && err != nil && shape.Error() != err.Error():
				t.Fatalf("ValidateShape() = %v, want %v", shape, err)
			}
		})
	}
}

// fixOn makes every call of th run on th.P.
func fixOn(th *port.Thread) {
	for i := range th.Calls {
		th.Calls[i].On = th.P
	}
}

func TestParseConcErrors(t *testing.T) {
	const head = "procs 2\ntimers 4\n"
	tests := []struct {
		name, src, want string
	}{
		{"badThread", head + "thread 0:\n", "x.ops:3: bad thread line"},
		{"badThreadColon", head + "thread P0\n", "x.ops:3: bad thread line"},
		{"setupErr", head + "P0: t9.stopTimer()\nthread P0:\n", "x.ops:3: P0: t9.stopTimer(): timer t9 does not exist"},
		{"callErr", head + "thread P0:\n  P0: bogus()\n", "x.ops:4: unknown op"},
		{"wrongP", head + "thread P0:\n  P0: t0.stopTimer()\nthread P1:\n\n  P0: t1.stopTimer()\n", "x.ops:7: P0: t1.stopTimer(): runs on P0, but the thread holds P1"},
		{"contract", head + "thread P0:\n  P0: t0.stopTimer()\nthread P1:\n  P1: t0.resetTimer(when=5)\n", "x.ops:6: P1: t0.resetTimer(when=5): API contract"},
		{"sameP", head + "thread P1:\nthread P1:\n", "x.ops:4: thread 1: P1 is held by thread 0 too"},
		{"tooMany", "procs 1\ntimers 1\nthread P0:\nthread P1:\n", "x.ops:4: 2 threads, want 1..1"},
		{"noThreads", head + "schedule M0\n", "x.ops:3: no thread blocks"},
		{"badSchedule", head + "thread P0:\nschedule M0 X\n", "x.ops:4: bad schedule entry \"X\""},
		{"afterSchedule", head + "thread P0:\nschedule M0\n  P0: t0.stopTimer()\n", "x.ops:5: \"P0: t0.stopTimer()\" after the schedule line"},
		{"scheduleM", head + "thread P0:\nschedule M0 M1*2\n", "x.ops:4: schedule names M1"},
		{"fireOnly", head + "thread P0:\n  P0: t0.startTimer(when=5, period=0, f=stop(a0, t1), seq=0)\n", "x.ops:4: P0: t0.startTimer(when=5, period=0, f=stop(a0, t1), seq=0): timer functions must be fire-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConc("x.ops", []byte(tt.src))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("ParseConc(%q) = %v, want an error starting %q", tt.src, err, tt.want)
			}
		})
	}
}

func TestParseConcEmptySchedule(t *testing.T) {
	p, err := ParseConc("x.ops", []byte("procs 1\ntimers 1\nthread P0:\nschedule\n"))
	if err != nil || p.Schedule == nil || len(p.Schedule) != 0 {
		t.Fatalf("ParseConc = %+v, %v, want an empty non-nil schedule", p, err)
	}
	got := p.Script()
	if !strings.HasSuffix(got, "thread P0:\nschedule\n") {
		t.Errorf("Script() = %q, want it to end in an empty schedule line", got)
	}
	if back, err := ParseConc("back.ops", []byte(got)); err != nil || back.Schedule == nil || len(back.Schedule) != 0 {
		t.Errorf("ParseConc(Script()) = %+v, %v, want the empty schedule back", back, err)
	}
}

func TestDecodeConc(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	starts := 0 // threads' startTimers: the fresh-timer rule is not vacuous
	for range 3000 {
		data := randomBytes(r)
		p, rest := DecodeConc(data)
		if err := p.Validate(); err != nil {
			t.Fatalf("DecodeConc(%q) is invalid: %v\n%s", data, err, p.Script())
		}
		for _, th := range p.Threads {
			for _, c := range th.Calls {
				if c.Kind == port.StartTimer {
					starts++
				}
			}
		}
		if len(p.Threads) < 2 {
			t.Fatalf("DecodeConc(%q) has %d threads", data, len(p.Threads))
		}
		enc, err := EncodeConc(p)
		if err != nil {
			t.Fatalf("EncodeConc(DecodeConc(%q)): %v\n%s", data, err, p.Script())
		}
		q, rest2 := DecodeConc(append(enc, rest...))
		if !q.Equal(p) || string(rest2) != string(rest) {
			t.Fatalf("DecodeConc(EncodeConc(p)) = \n%s rest %q, want\n%s rest %q", q.Script(), rest2, p.Script(), rest)
		}
		back, err := ParseConc("x.ops", []byte(p.Script()))
		if err != nil || !back.Equal(p) {
			t.Fatalf("ParseConc(Script(p)) = %v, %v, want\n%s", back.Script(), err, p.Script())
		}
		if err := p.Serial().Validate(); err != nil {
			t.Fatalf("Serial() is invalid: %v\n%s", err, p.Script())
		}
	}
	if starts < 100 {
		t.Errorf("only %d startTimers in the threads of 3000 programs", starts)
	}
}

func TestDecodeConcSmall(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		threads int
		calls   []int
		rest    int
	}{
		{"empty", nil, 2, []int{0, 0}, 0},
		{"header", []byte{0, 3, 0, 0, 0, 1, 0, 0x44, 0}, 2, []int{0, 0}, 0},
		// Two threads of one call each, then 3 schedule bytes.
		{"calls", append([]byte{0, 3, 0, 0, 0, 0, 0, 0x44, 0,
			0, 0, 0, 100, 0, 0,
			0, 0, 0, 100, 0, 0}, 1, 2, 3), 2, []int{1, 1}, 3},
		{"three", []byte{6, 0, 0, 0, 0, 0, 0, 0, 0}, 3, []int{0, 0, 0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, rest := DecodeConc(tt.data)
			if len(p.Threads) != tt.threads || len(rest) != tt.rest {
				t.Fatalf("DecodeConc(%v) = %d threads, %d bytes left, want %d, %d\n%s", tt.data, len(p.Threads), len(rest), tt.threads, tt.rest, p.Script())
			}
			for i, n := range tt.calls {
				if len(p.Threads[i].Calls) != n {
					t.Errorf("thread %d has %d calls, want %d\n%s", i, len(p.Threads[i].Calls), n, p.Script())
				}
			}
		})
	}
}

func TestEncodeConcLimits(t *testing.T) {
	one := ConcProgram{Program: Program{Procs: 1, Timers: 1}, Threads: []port.Thread{{P: 0}}}
	if _, err := EncodeConc(one); err == nil || !strings.Contains(err.Error(), "2..4") {
		t.Errorf("EncodeConc(one thread) = %v, want a 2..4 threads error", err)
	}
	resize := conc
	resize.Program.Ops = []port.Call{{Kind: port.Procresize, N: 3}}
	if _, err := EncodeConc(resize); err == nil || !strings.Contains(err.Error(), "procresize") {
		t.Errorf("EncodeConc(setup procresize) = %v, want a procresize error", err)
	}
	enc, err := EncodeConc(conc)
	if err != nil {
		t.Fatal(err)
	}
	got, rest := DecodeConc(enc)
	want := conc
	want.Schedule = nil
	if !got.Equal(want) || len(rest) != 0 {
		t.Errorf("DecodeConc(EncodeConc(conc)) =\n%s rest %q, want\n%s", got.Script(), rest, want.Script())
	}
}

func TestReadConcFile(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "c.ops")
	if err := os.WriteFile(script, []byte(concScript), 0o644); err != nil {
		t.Fatal(err)
	}
	p, rest, err := ReadConcFile(script)
	if err != nil || !p.Equal(conc) || rest != nil {
		t.Fatalf("ReadConcFile(script) = %v, %q, %v", p.Script(), rest, err)
	}
	// ReadFile reads it as the serial program.
	s, err := ReadFile(script)
	if err != nil || !s.Equal(conc.Serial()) {
		t.Fatalf("ReadFile(concurrent script) = %v, %v, want\n%s", s.Script(), err, conc.Serial().Script())
	}
	enc, err := EncodeConc(conc)
	if err != nil {
		t.Fatal(err)
	}
	fz := filepath.Join(dir, "fuzz")
	if err := os.WriteFile(fz, FuzzFile(append(enc, 7, 8)), 0o644); err != nil {
		t.Fatal(err)
	}
	p, rest, err = ReadConcFile(fz)
	want := conc
	want.Schedule = nil
	if err != nil || !p.Equal(want) || string(rest) != "\x07\x08" {
		t.Fatalf("ReadConcFile(fuzz) = %v, %q, %v", p.Script(), rest, err)
	}
}

// ParseConcShape reads a program that breaks the API contract, which
// ParseConc refuses.
func TestParseConcShape(t *testing.T) {
	src := "# timerdiff script v1\nprocs 2\ntimers 1\nthread P0:\n    P0: t0.startTimer(when=150, period=0, f=fire(a0), seq=0)\nthread P1:\n    P1: t0.stopTimer()\n"
	if _, err := ParseConc("x.ops", []byte(src)); err == nil || !strings.Contains(err.Error(), "x.ops:7: ") || !strings.Contains(err.Error(), "API contract") {
		t.Errorf("ParseConc(two threads on t0) error = %v, want x.ops:7: ... API contract", err)
	}
	p, err := ParseConcShape("x.ops", []byte(src))
	if err != nil {
		t.Fatalf("ParseConcShape(two threads on t0) error = %v, want nil", err)
	}
	if p.ValidateShape() != nil || p.Validate() == nil || p.Script() != src {
		t.Errorf("ParseConcShape = %q: ValidateShape %v, Validate %v; want the script back, shape ok, contract broken", p.Script(), p.ValidateShape(), p.Validate())
	}
	if _, err := ParseConcShape("x.ops", []byte("procs 2\ntimers 1\nthread P0:\n    P1: t0.stopTimer()\n")); err == nil {
		t.Error("ParseConcShape accepted a call on another P")
	}
}
