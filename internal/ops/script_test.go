package ops

import (
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestScriptGolden(t *testing.T) {
	golden := filepath.Join("testdata", "every.ops")
	got := every.Script()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("every.Script() =\n%s\nwant (%s):\n%s", got, golden, want)
	}
}

func TestParseRoundTrip(t *testing.T) {
	check := func(t *testing.T, p Program) {
		t.Helper()
		got, err := Parse("x.ops", []byte(p.Script()))
		if err != nil || !got.Equal(p) {
			t.Fatalf("Parse(%q) = %v, %v, want %v", p.Script(), got, err, p)
		}
	}
	t.Run("every", func(t *testing.T) { check(t, every) })
	t.Run("empty", func(t *testing.T) { check(t, Program{Procs: 4, Timers: 16}) })
	t.Run("decoded", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for range 2000 {
			check(t, Decode(randomBytes(r)))
		}
	})
}

// randomBytes returns fuzz bytes of a random length, with many selector
// values near the edges of the tables.
func randomBytes(r *rand.Rand) []byte {
	b := make([]byte, r.IntN(300))
	for i := range b {
		if r.IntN(4) == 0 {
			b[i] = byte(240 + r.IntN(16))
		} else {
			b[i] = byte(r.Uint32())
		}
	}
	return b
}

func TestParse(t *testing.T) {
	const head = "procs 2\ntimers 4\n"
	tests := []struct {
		name, src string
		want      []port.Call
	}{
		{"empty", head, nil},
		{"comments", "# c\n\n  procs 2 # trailing\n\ttimers 4\n# more\n\n", nil},
		{"annotation", head + "P1: t1.stopTimer() -> pending=true # x\n", []port.Call{{Kind: port.StopTimer, On: 1, T: 1}}},
		{"annotationHash", head + "P0: t1.stopTimer() -> throw(\"a # b\")\n", []port.Call{{Kind: port.StopTimer, T: 1}}},
		{"comment", head + "P0: t0.resetTimer(when=110) # see issue 7\n", []port.Call{{Kind: port.ResetTimer, When: 110}}},
		{"spaces", head + "  P1:t3.modtimer( when=5,period=0 , f=reset( a3,t1,40 ), seq=2 )  \n",
			[]port.Call{{Kind: port.Modtimer, On: 1, T: 3, When: 5, F: port.Func{Kind: port.FuncReset, Arg: 3, Target: 1, When: 40}, Seq: 2}}},
		{"noNewline", head + "advance(30)", []port.Call{{Kind: port.Advance, When: 30}}},
		{"crlf", "procs 2\r\ntimers 4\r\npidleput(P1)\r\n", []port.Call{{Kind: port.Pidleput, P: 1}}},
		{"extremes", head + "P0: t0.startTimer(when=-9223372036854775808, period=9223372036854775807, f=fire(a-1), seq=18446744073709551615)\n",
			[]port.Call{{Kind: port.StartTimer, When: -1 << 63, Period: maxWhen, F: port.Func{Arg: -1}, Seq: 1<<64 - 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := Program{Procs: 2, Timers: 4, Ops: tt.want}
			got, err := Parse("x.ops", []byte(tt.src))
			if err != nil || !got.Equal(want) {
				t.Errorf("Parse(%q) = %v, %v, want %v", tt.src, got, err, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const head = "procs 2\ntimers 4\n"
	tests := []struct{ src, want string }{
		{"", "x.ops:1: missing \"procs\" or \"timers\" line"},
		{"procs 2\n", "x.ops:1: missing \"procs\" or \"timers\" line"},
		{"procs 2\nadvance(1)\ntimers 4\n", "x.ops:2: missing \"procs\" or \"timers\" line before the first op"},
		{head + "advance(1)\nprocs 3\n", "x.ops:4: \"procs\" after the first op"},
		{head + "timers 3\n", "x.ops:3: second \"timers\" line"},
		{"procs x\n", "x.ops:1: bad procs \"x\""},
		{"procs 5\n", "x.ops:1: procs 5 not in 1..4"},
		{"procs 1\ntimers 0\n", "x.ops:2: timers 0 not in 1..16"},
		{head + "\n# c\nP0: t3.frob()\n", "x.ops:5: unknown op \"P0: t3.frob()\""},
		{head + "t3.frob()\n", "x.ops:3: unknown op \"t3.frob()\""},
		{head + "frob\n", "x.ops:3: unknown op \"frob\""},
		{head + "Px: t1.stopTimer()\n", "x.ops:3: unknown op \"Px: t1.stopTimer()\""},
		{head + "t1.stopTimer()\n", "x.ops:3: stopTimer needs the P it is called on: \"P0: t1.stopTimer()\""},
		{head + "P0: advance(1)\n", "x.ops:3: advance is not called on a P: \"P0: advance(1)\""},
		{head + "P0: x1.stopTimer()\n", "x.ops:3: stopTimer: bad receiver \"x1\", want t0, t1, ..."},
		{head + "P0: stopTimer()\n", "x.ops:3: stopTimer: bad receiver \"\", want t0, t1, ..."},
		{head + "P0: t1.sleep(ns=1)\n", "x.ops:3: sleep: bad receiver \"t1\", want g0, g1, ..."},
		{head + "P0: t1.checkTimers(P0)\n", "x.ops:3: checkTimers takes no receiver: \"P0: t1.checkTimers(P0)\""},
		{head + "P0: t1.resetTimer()\n", "x.ops:3: resetTimer: missing when="},
		{head + "P0: t1.resetTimer(110)\n", "x.ops:3: resetTimer: got \"110\", want when="},
		{head + "P0: t1.resetTimer(when=x)\n", "x.ops:3: resetTimer: bad number \"x\""},
		{head + "P0: t1.resetTimer(when=9223372036854775808)\n", "x.ops:3: resetTimer: bad number \"9223372036854775808\""},
		{head + "P0: t1.resetTimer(when=1, period=2)\n", "x.ops:3: resetTimer: unexpected argument \"period=2\""},
		{head + "P0: t1.modTimer(period=2, when=1)\n", "x.ops:3: modTimer: got \"period=2\", want when="},
		{head + "P0: t1.startTimer(when=1, period=0, f=frob(a1), seq=0)\n", "x.ops:3: startTimer: unknown function \"frob(a1)\""},
		{head + "P0: t1.startTimer(when=1, period=0, f=fire(1), seq=0)\n", "x.ops:3: startTimer: fire(1): bad argument \"1\", want a0, a1, ..."},
		{head + "P0: t1.startTimer(when=1, period=0, f=fire(a1, t2), seq=0)\n", "x.ops:3: startTimer: fire(a1, t2): unexpected argument \"t2\""},
		{head + "P0: t1.startTimer(when=1, period=0, f=reset(a1, t2), seq=0)\n", "x.ops:3: startTimer: reset(a1, t2): missing argument"},
		{head + "P0: t1.startTimer(when=1, period=0, f=fire(a1), seq=-1)\n", "x.ops:3: startTimer: bad number \"-1\""},
		{head + "P0: checkTimers(1)\n", "x.ops:3: checkTimers: bad P \"1\", want P0, P1, ..."},
		{head + "timeSleepUntil(1)\n", "x.ops:3: timeSleepUntil: unexpected argument \"1\""},
		// Validate, at the line of the bad op.
		{head + "advance(1)\n\nP2: t1.stopTimer()\n", "x.ops:5: P2: t1.stopTimer(): P2 does not exist (2 Ps)"},
		{head + "P0: procresize(1)\ncheckTimers(P1)\n", "x.ops:4: checkTimers needs the P it is called on: \"P0: checkTimers(P1)\""},
		{head + "P0: procresize(1)\nP0: checkTimers(P1)\n", "x.ops:4: P0: checkTimers(P1): P1 does not exist (1 Ps)"},
		{head + "P0: t4.stopTimer()\n", "x.ops:3: P0: t4.stopTimer(): timer t4 does not exist (4 timers)"},
		{head + "P0: procresize(0)\n", "x.ops:3: P0: procresize(0): procresize(0) not in 1..4"},
		{head + "advance(-1)\n", "x.ops:3: advance(-1): advance(-1) is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got, err := Parse("x.ops", []byte(tt.src))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse(%q) = %v, %v, want error %q", tt.src, got, err, tt.want)
			}
		})
	}
}
