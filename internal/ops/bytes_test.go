package ops

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
)

func TestEncodeRoundTrip(t *testing.T) {
	tests := map[string]Program{
		"every":  every,
		"empty":  {Procs: 1, Timers: 1},
		"max":    {Procs: 4, Timers: 16, Ops: []port.Call{{Kind: port.Modtimer, On: 3, T: 15, F: port.Func{Kind: port.FuncStop, Target: 15}}}},
		"growP3": {Procs: 1, Timers: 2, Ops: []port.Call{{Kind: port.Procresize, N: 4}, {Kind: port.CheckTimers, On: 3, P: 3}, {Kind: port.Pidleput, P: 3}}},
		// Advances near maxWhen: the decoder caps them, Encode must still find them.
		"clockTop": {Procs: 1, Timers: 1, Ops: []port.Call{
			{Kind: port.Advance, When: maxWhen - 100 - 41},
			{Kind: port.Advance, When: 39},
			{Kind: port.ResetTimer, When: maxWhen - 2},
			{Kind: port.ResetTimer, When: maxWhen},
			{Kind: port.Advance, When: 1},
			{Kind: port.ResetTimer, When: maxWhen - 8},
			{Kind: port.Advance, When: 0},
		}},
	}
	// Every value each selector can decode to, at two clocks.
	for _, adv := range []int64{0, 1000} {
		p := Program{Procs: 1, Timers: 1, Ops: []port.Call{{Kind: port.Advance, When: adv}}}
		for s := range literal {
			w := whenSel(byte(s), 100+adv)
			p.Ops = append(p.Ops,
				port.Call{Kind: port.StartTimer, When: w, Period: periodSel(byte(s), 0), F: port.Func{Kind: port.FuncReset, Arg: s, When: w}, Seq: uintptr(s)},
				port.Call{Kind: port.Sleep, When: durSel(byte(s), 0)},
			)
		}
		tests[fmt.Sprintf("selectorsAt%d", 100+adv)] = p
	}
	for name, p := range tests {
		t.Run(name, func(t *testing.T) {
			b, err := Encode(p)
			if err != nil {
				t.Fatalf("Encode(%v) = %v", p, err)
			}
			if got := Decode(b); !got.Equal(p) {
				t.Errorf("Decode(Encode(p)) = %v, want %v", got, p)
			}
		})
	}
}

func TestEncodeInvalid(t *testing.T) {
	p := Program{Procs: 1, Timers: 1, Ops: []port.Call{{Kind: port.StopTimer, T: 1}}}
	if b, err := Encode(p); err == nil {
		t.Errorf("Encode(%v) = %v, nil, want an error", p, b)
	}
}

func TestDecodeRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var buf []port.Call // DecodeInto's, as FuzzDiff uses it
	for range 5000 {
		b := randomBytes(r)
		p := Decode(b)
		q := DecodeInto(buf, b)
		if !q.Equal(p) || (q.Ops == nil) != (p.Ops == nil) {
			t.Fatalf("DecodeInto(buf, %q) = %#v, Decode = %#v", b, q, p)
		}
		if cap(q.Ops) > cap(buf) {
			buf = q.Ops
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Decode(%q).Validate() = %v", b, err)
		}
		e, err := Encode(p)
		if err != nil {
			t.Fatalf("Encode(Decode(%q)) = %v", b, err)
		}
		if got := Decode(e); !got.Equal(p) {
			t.Fatalf("Decode(Encode(Decode(%q))) = %v, want %v", b, got, p)
		}
		if len(e) > len(b) && len(b) >= 2 {
			t.Fatalf("Encode(Decode(%q)) = %q, longer than its input", b, e)
		}
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want Program
	}{
		{"empty", nil, Program{Procs: 1, Timers: 1}},
		{"header", []byte{1, 3}, Program{Procs: 2, Timers: 4}},
		{"headerWraps", []byte{5, 19}, Program{Procs: 2, Timers: 4}},
		{"shortRecord", []byte{1, 3, 0, 0, 0, 0, 0, 0, 0}, Program{Procs: 2, Timers: 4}},
		{"zeroRecord", []byte{1, 3, 0, 0, 0, 0, 0, 0, 0, 0}, Program{Procs: 2, Timers: 4, Ops: []port.Call{
			{Kind: port.StartTimer, When: 92},
		}}},
		{"modulo", []byte{1, 3, kindByte[port.CheckTimers], 0x73, 0, 0, 0, 0, 0, 0}, Program{Procs: 2, Timers: 4, Ops: []port.Call{
			{Kind: port.CheckTimers, On: 1, P: 1},
		}}},
		{"literal", append([]byte{0, 0, kindByte[port.ResetTimer], 0, 0, literal, 0, 0, 0, 0}, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), Program{Procs: 1, Timers: 1, Ops: []port.Call{
			{Kind: port.ResetTimer, When: -2},
		}}},
		{"shortLiteral", []byte{0, 0, kindByte[port.ResetTimer], 0, 0, literal, 0, 0, 0, 0, 1, 2, 3}, Program{Procs: 1, Timers: 1}},
		{"clockRelative", []byte{0, 0, kindByte[port.Advance], 0, 0, 30, 0, 0, 0, 0, kindByte[port.ResetTimer], 0, 0, 8, 0, 0, 0, 0}, Program{Procs: 1, Timers: 1, Ops: []port.Call{
			{Kind: port.Advance, When: 30}, {Kind: port.ResetTimer, When: 130},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Decode(tt.data); !got.Equal(tt.want) {
				t.Errorf("Decode(%q) = %v, want %v", tt.data, got, tt.want)
			}
		})
	}
}

// Deleting a whole record deletes one op (when no literals are involved).
func TestDecodeDeleteRecord(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		b := make([]byte, HeaderSize+RecordSize*(1+r.IntN(10)))
		for i := range b {
			b[i] = byte(r.IntN(240)) // no literals
		}
		b[0], b[1] = 3, 15
		p := Decode(b)
		i := r.IntN(len(p.Ops))
		cut := append(bytes.Clone(b[:HeaderSize+i*RecordSize]), b[HeaderSize+(i+1)*RecordSize:]...)
		got := Decode(cut)
		if len(got.Ops) != len(p.Ops)-1 {
			t.Fatalf("Decode(%q) has %d ops, want %d", cut, len(got.Ops), len(p.Ops)-1)
		}
		switch p.Ops[i].Kind {
		case port.Pidleput, port.Pidleget, port.Procresize:
			// The idle list after it differs, and with it the calls
			// that Decode fixes to run on a running P.
			continue
		}
		for j, c := range got.Ops {
			want := p.Ops[j]
			if j >= i {
				want = p.Ops[j+1]
			}
			// Ps may differ after a deleted procresize, whens after a deleted advance.
			if c.Kind != want.Kind || c.T != want.T || c.G != want.G || c.N != want.N {
				t.Fatalf("Decode(%q).Ops[%d] = %v, want like %v", cut, j, c, want)
			}
		}
	}
}

// The throwing whens 0 and -1 are rare; clock-relative whens are common.
func TestDecodeWhenDistribution(t *testing.T) {
	throws, near := 0, 0
	for s := range literal {
		switch w := whenSel(byte(s), 100); {
		case w <= 0:
			throws++
		case w >= 92 && w < 132:
			near++
		}
	}
	if throws != 2 || near < 200 { // of 255 selectors
		t.Errorf("whenSel: %d/255 throwing, %d/255 near the clock; want 2 and >= 200", throws, near)
	}
}

// Decode never makes a call on an idle P, a pidleput of an idle P or a
// pidleget of anything but the head, even from bytes that ask for them
// at every op.
func TestDecodeIdlePs(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	kinds := []byte{kindByte[port.Pidleput], kindByte[port.Pidleget], kindByte[port.StartTimer], kindByte[port.CheckTimers]}
	idled := 0
	for range 2000 {
		b := []byte{byte(r.IntN(4)), byte(r.IntN(16))}
		for range 1 + r.IntN(12) {
			rec := make([]byte, RecordSize)
			for i := range rec {
				rec[i] = byte(r.IntN(240))
			}
			rec[0] = kinds[r.IntN(len(kinds))]
			b = append(b, rec...)
		}
		p := Decode(b)
		if err := p.Validate(); err != nil {
			t.Fatalf("Decode(%q).Validate() = %v", b, err)
		}
		var l idleList
		for i, c := range p.Ops {
			if c.Kind == port.Pidleput {
				idled++
			}
			if msg := l.step(c, i); msg != "" {
				t.Fatalf("Decode(%q).Ops[%d] = %v: %s", b, i, c, msg)
			}
		}
	}
	if idled < 1000 {
		t.Errorf("only %d pidleputs decoded: the test does not exercise the idle list", idled)
	}
}
