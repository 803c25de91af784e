package ops

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/timerdiff/timerdiff/internal/port"
)

// The byte layout of a Program, as Decode reads it and Encode writes it:
//
//	header: 2 bytes: procs = 1 + b0%4, timers = 1 + b1%16
//	then one 8-byte record per op:
//	  0 kind      weighted: kindWeights
//	  1 Ps        On = (b&15) % live Ps, P = (b>>4) % live Ps
//	  2 slot      T = b % timers; G = b % MaxGs; procresize N = 1 + b%MaxProcs
//	  3 when      whenSel (when), durSel (sleep ns), advanceSel (advance d)
//	  4 period    periodSel
//	  5 f         kind = [fire stop reset fire][b&3], arg = b>>2 (63: literal)
//	  6 f         target = (b&15) % timers, seq = b>>4 (15: literal)
//	  7 f when    whenSel (reset functions only)
//	followed by an 8-byte little-endian literal for each field above that
//	the op uses and whose selector says "literal", in field order.
//
// A record or literal cut short ends the program.
const (
	HeaderSize = 2 // bytes before the first record
	RecordSize = 8 // bytes of one op record, literals aside
)

// RandomBytes returns a header and n records of bytes from rng: the raw
// material of a random program, for ops.Decode or for mutation.
func RandomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, HeaderSize+n*RecordSize)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// literal is the selector value meaning "an 8-byte literal follows".
const literal = 255

// kindWeights: how many of the 256 kind-byte values pick each kind.
var kindWeights = [...]kindWeight{
	{port.StartTimer, 32}, {port.StopTimer, 32}, {port.ResetTimer, 36},
	{port.ModTimer, 20}, {port.Modtimer, 24}, {port.Sleep, 12},
	{port.CheckTimers, 40}, {port.Procresize, 6}, {port.Pidleput, 6},
	{port.Pidleget, 6}, {port.TimeSleepUntil, 8}, {port.NobarrierWakeTime, 8},
	{port.Advance, 26},
}

// kindWeight is how many of the 256 kind-byte values pick a kind.
type kindWeight = struct {
	kind port.Kind
	n    int
}

// kindOf is kindWeights unrolled: the kind for each value of the kind byte.
var kindOf = unroll("kindWeights", kindWeights[:])

// unroll turns weights that add up to 256 into a table by byte value.
func unroll(name string, weights []kindWeight) (t [256]port.Kind) {
	i := 0
	for _, w := range weights {
		for range w.n {
			t[i] = w.kind
			i++
		}
	}
	if i != len(t) {
		panic("ops: " + name + " do not add up to 256")
	}
	return t
}

// Edge values chosen by the selectors above their common range.
var (
	// whenSel 240..254; 0 and -1 make the runtime throw: 1/128 together.
	whenEdges = [15]int64{1, 1, maxWhen, maxWhen, maxWhen - 1, maxWhen - 1,
		1 << 62, 1 << 62, 0, -1, 2, 1 << 32, maxWhen - 100, 1 << 40, 1 << 61}
	// periodSel 240..254; -1 throws.
	periodEdges = [15]int64{-1, maxWhen, maxWhen, 1 << 62, 1 << 62, maxWhen - 1,
		40, 64, 100, 100, 1000, 1000, 1 << 32, 1 << 32, maxWhen / 2}
	// durSel 246..254 (sleep ns).
	durEdges = [9]int64{-1, maxWhen, maxWhen - 1, 1 << 62, 100, 1000, 1_000_000, math.MinInt64, 50}
	// advanceSel 246..254.
	advanceEdges = [9]int64{50, 64, 100, 100, 1000, 1000, 1_000_000, 1_000_000_000, 1 << 62}
)

// whenSel decodes a when selector at clock c. 0..239: c-8 .. c+31 (so
// that whens collide often), saturating at maxWhen; then whenEdges.
func whenSel(s byte, c int64) int64 {
	if s < 240 {
		return addSat(c, int64(s%40)-8)
	}
	return whenEdges[s-240]
}

// periodSel decodes a period selector: 0..191: 0; 192..239: 1..16; then
// periodEdges.
func periodSel(s byte, _ int64) int64 {
	switch {
	case s < 192:
		return 0
	case s < 240:
		return 1 + int64(s-192)%16
	}
	return periodEdges[s-240]
}

// durSel decodes a sleep duration: 0..245: 0..40; then durEdges.
func durSel(s byte, _ int64) int64 {
	if s < 246 {
		return int64(s % 41)
	}
	return durEdges[s-246]
}

// advanceSel decodes an advance at clock c: 0..245: 0..40; then
// advanceEdges; capped so that the clock stays <= maxClock.
func advanceSel(s byte, c int64) int64 {
	d := int64(s % 41)
	if s >= 246 {
		d = advanceEdges[s-246]
	}
	return min(d, maxClock-c)
}

// advanceLit makes a literal a valid advance at clock c.
func advanceLit(v, c int64) int64 { return min(v&maxWhen, maxClock-c) }

func addSat(c, d int64) int64 {
	if d > 0 && c > maxWhen-d {
		return maxWhen
	}
	return c + d
}

// Decode reads a Program from fuzz bytes. It never fails: every input,
// including an empty one, is a valid Program (see the layout above);
// running out of bytes ends the program.
func Decode(data []byte) Program { return DecodeInto(nil, data) }

// DecodeInto is Decode with the ops in buf's array when it has room for
// them (its contents are overwritten): a fuzz target that decodes input
// after input into one buffer allocates none. The Program's Ops then
// share buf's array until buf is used again. Pass the Ops of the last
// Program, if longer than buf, as the next buf.
func DecodeInto(buf []port.Call, data []byte) Program {
	f := &byteReader{data: data}
	h0, _ := f.next(1) // a missing header byte reads as 0
	h1, _ := f.next(1)
	b0, b1 := h0[0], h1[0]
	p := Program{Procs: 1 + int(b0)%port.MaxProcs, Timers: 1 + int(b1)%port.MaxTimers}
	d := decoder{f: f, procs: p.Procs, timers: p.Timers, clock: port.DefaultConfig.Clock}
	// Every op takes a whole record, so this many is the most there can
	// be: one allocation instead of append's doubling (Decode runs on
	// every fuzz input).
	if n := (len(data) - HeaderSize) / RecordSize; n > 0 {
		if cap(buf) >= n {
			p.Ops = buf[:0]
		} else {
			p.Ops = make([]port.Call, 0, n)
		}
	}
	for {
		c, ok := d.op()
		if !ok {
			if len(p.Ops) == 0 {
				p.Ops = nil // as without the records
			}
			return p
		}
		if msg := d.idle.step(c, len(p.Ops)); msg != "" {
			panic("ops: Decode made an invalid call: " + msg) // fixIdle prevents it
		}
		p.Ops = append(p.Ops, c)
	}
}

type decoder struct {
	f             *byteReader
	procs, timers int
	clock         int64
	idle          idleList
}

// fixIdle makes c, decoded from a record whose Ps byte is b, a call that
// can run with the idle list as it is: a call on an idle P runs on the
// (b&15 mod k)-th of the k running Ps instead, or, with none running, is
// the pidleget of the head; pidleput of an idle P idles the (b>>4 mod
// k)-th running P; pidleget takes the head. A call that has nothing to
// take or idle reads as nobarrierWakeTime of its P. Valid calls are left
// alone, so that Decode(Encode(p)) is p.
func (d *decoder) fixIdle(c port.Call, b byte) port.Call {
	var running []int
	for q := range d.procs {
		if _, idle := d.idle.idle(q); !idle {
			running = append(running, q)
		}
	}
	if uses(c.Kind, 0).on {
		if _, idle := d.idle.idle(c.On); idle {
			if len(running) == 0 {
				h, _ := d.idle.head()
				return port.Call{Kind: port.Pidleget, P: h}
			}
			c.On = running[int(b&15)%len(running)]
		}
	}
	switch c.Kind {
	case port.Pidleput:
		if _, idle := d.idle.idle(c.P); idle {
			if len(running) == 0 {
				return port.Call{Kind: port.NobarrierWakeTime, P: c.P}
			}
			c.P = running[int(b>>4)%len(running)]
		}
	case port.Pidleget:
		h, ok := d.idle.head()
		if !ok {
			return port.Call{Kind: port.NobarrierWakeTime, P: c.P}
		}
		c.P = h
	}
	return c
}

// lit reads a literal.
func (d *decoder) lit() (int64, bool) {
	b, ok := d.f.next(8)
	if !ok {
		return 0, false
	}
	return int64(le64(b)), true
}

// sel decodes a selector by dec, or a literal.
func (d *decoder) sel(s byte, dec func(byte, int64) int64) (int64, bool) {
	if s == literal {
		return d.lit()
	}
	return dec(s, d.clock), true
}

func (d *decoder) op() (port.Call, bool) {
	r, ok := d.f.next(RecordSize)
	if !ok {
		return port.Call{}, false
	}
	c := port.Call{Kind: kindOf[r[0]]}
	u := uses(c.Kind, 0)
	if u.on {
		c.On = int(r[1]&15) % d.procs
	}
	if u.p {
		c.P = int(r[1]>>4) % d.procs
	}
	switch {
	case u.t:
		c.T = int(r[2]) % d.timers
	case u.g:
		c.G = int(r[2]) % port.MaxGs
	case u.n:
		c.N = 1 + int(r[2])%port.MaxProcs
	}
	switch c.Kind {
	case port.Sleep:
		c.When, ok = d.sel(r[3], durSel)
	case port.Advance:
		if c.When, ok = d.sel(r[3], advanceSel); r[3] == literal {
			c.When = advanceLit(c.When, d.clock)
		}
	default:
		if u.when {
			c.When, ok = d.sel(r[3], whenSel)
		}
	}
	if ok && u.period {
		c.Period, ok = d.sel(r[4], periodSel)
	}
	if ok && u.f {
		c.F.Kind = [4]port.FuncKind{port.FuncFire, port.FuncStop, port.FuncReset, port.FuncFire}[r[5]&3]
		c.F.Arg = int(r[5] >> 2)
		if c.F.Arg == 63 {
			var v int64
			v, ok = d.lit()
			c.F.Arg = int(v)
		}
	}
	if ok && u.seq {
		c.Seq = uintptr(r[6] >> 4)
		if c.Seq == 15 {
			var v int64
			v, ok = d.lit()
			c.Seq = uintptr(v)
		}
	}
	u = uses(c.Kind, c.F.Kind)
	if u.target {
		c.F.Target = int(r[6]&15) % d.timers
	}
	if ok && u.fwhen {
		c.F.When, ok = d.sel(r[7], whenSel)
	}
	if !ok {
		return port.Call{}, false
	}
	c = d.fixIdle(c, r[1])
	switch c.Kind {
	case port.Procresize:
		d.procs = c.N
	case port.Advance:
		d.clock += c.When
	}
	return c, true
}

// Encode returns bytes that Decode reads as p: Decode(Encode(p)) equals p
// for every valid p. It fails only if p is not valid.
func Encode(p Program) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	out := []byte{byte(p.Procs - 1), byte(p.Timers - 1)}
	clock := port.DefaultConfig.Clock
	for _, c := range p.Ops {
		var r [RecordSize]byte
		var lits []int64
		// sel returns the first selector that dec reads as v, or literal.
		sel := func(v int64, dec func(byte, int64) int64) byte {
			for s := range literal {
				if dec(byte(s), clock) == v {
					return byte(s)
				}
			}
			lits = append(lits, v)
			return literal
		}
		u := uses(c.Kind, c.F.Kind)
		r[0] = kindByte[c.Kind]
		r[1] = byte(c.On | c.P<<4)
		switch {
		case u.t:
			r[2] = byte(c.T)
		case u.g:
			r[2] = byte(c.G)
		case u.n:
			r[2] = byte(c.N - 1)
		}
		switch c.Kind {
		case port.Sleep:
			r[3] = sel(c.When, durSel)
		case port.Advance:
			r[3] = sel(c.When, advanceSel)
		default:
			if u.when {
				r[3] = sel(c.When, whenSel)
			}
		}
		if u.period {
			r[4] = sel(c.Period, periodSel)
		}
		if u.f {
			arg := c.F.Arg
			if arg < 0 || arg >= 63 {
				lits = append(lits, int64(arg))
				arg = 63
			}
			r[5] = byte(arg<<2) | byte(c.F.Kind)
		}
		if u.seq {
			seq := c.Seq
			if seq >= 15 {
				lits = append(lits, int64(seq))
				seq = 15
			}
			r[6] = byte(seq << 4)
		}
		if u.target {
			r[6] |= byte(c.F.Target)
		}
		if u.fwhen {
			r[7] = sel(c.F.When, whenSel)
		}
		out = append(out, r[:]...)
		for _, v := range lits {
			out = appendLE64(out, uint64(v))
		}
		if c.Kind == port.Advance {
			clock += c.When
		}
	}
	return out, nil
}

// kindByte is the first kind-byte value that picks each kind.
var kindByte = func() map[port.Kind]byte {
	m := make(map[port.Kind]byte)
	for i := len(kindOf) - 1; i >= 0; i-- {
		m[kindOf[i]] = byte(i)
	}
	return m
}()

// le64 is binary.LittleEndian.Uint64 and appendLE64 its AppendUint64
// (TestLE64IsBinary checks them against each other), not calls to them:
// the fuzz targets' test binary links this package, and go test -fuzz
// instruments every package the tested package imports, directly or
// not. With encoding/binary among them (it declares a sync.Map), an
// empty target in that binary saw new coverage after nearly every input
// and ran at 4,000 execs/s instead of 56,000 (fuzz/doc.go).
func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func appendLE64(b []byte, v uint64) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24), byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56))
}
