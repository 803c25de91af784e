package ops

import (
	"fmt"

	"github.com/timerdiff/timerdiff/internal/port"
)

// The byte layout of a ConcProgram, as DecodeConc reads it and EncodeConc
// writes it. A missing header byte reads as 0.
//
//	header:
//	  0 shape    threads = [2 2 2 2 2 2 3 4][b&7];
//	             procs = threads + (b>>3) % (5-threads)
//	  1 timers   1 + b%16
//	  2 setup    ops in the setup: lenSel
//	  per thread i, 2 bytes:
//	    P        the (b mod k)-th of the k Ps no earlier thread holds
//	    length   its calls: lenSel, at least 1 below 240
//	  owners     ceil(timers/4) bytes, 2 bits per timer (timer 4j+k in
//	             bits 2k..2k+1 of byte j): the owning thread is bits %
//	             threads; then 1 byte, the same for goroutines g0..g3
//	then one 6-byte record per op, the setup's first, then thread 0's,
//	thread 1's, ...:
//	  0 kind     weighted: concKindWeights (no procresize)
//	  1 slot     setup: T = b % timers, G = b % MaxGs, P = b % procs;
//	             thread i: T (G) = the (b mod k)-th of the k timers
//	             (goroutines) it owns; checkTimers P = b % procs;
//	             a thread's startTimer of a timer used before (by the
//	             setup or the thread) reads as resetTimer;
//	             pidleput, pidleget, nobarrierWakeTime: its own P.
//	             A timer op (sleep) of a thread that owns no timer
//	             (goroutine) reads as checkTimers(P b % procs).
//	  2 on       setup: On = b % procs; threads: their P
//	  3 when     whenSel (startTimer, resetTimer, modTimer, modtimer),
//	             durSel (sleep), advanceSel (advance); 255: literal
//	  4 period   periodSel; 255: literal
//	  5 f        fire(a(b&63)), 63: literal; seq = b>>6, 3: literal
//	followed by the 8-byte little-endian literals the record asked for, in
//	field order.
//
// The setup's whens are read at its running clock; a thread's at the
// clock after the setup plus its own earlier advances. Advances are capped
// by the sum of every advance before them, so that no interleaving moves
// the clock to maxWhen. Running out of bytes in the records ends the
// program: the op being read and all later ones are dropped (threads keep
// their Ps, possibly with no calls). Every ConcProgram DecodeConc returns
// is valid and respects the API contract by construction; the bytes after
// it are returned for the schedule.
//
// lenSel: 0..239: 1 + b%4 (the setup: b%5); 240..254: 5..19; 255: 0.
const concRecordSize = 6

var concKindWeights = [...]kindWeight{
	{port.StartTimer, 36}, {port.StopTimer, 36}, {port.ResetTimer, 40},
	{port.ModTimer, 24}, {port.Modtimer, 28}, {port.Sleep, 12},
	{port.CheckTimers, 56}, {port.Pidleput, 4}, {port.Pidleget, 4},
	{port.TimeSleepUntil, 6}, {port.NobarrierWakeTime, 4}, {port.Advance, 6},
}

var concKindOf = unroll("concKindWeights", concKindWeights[:])

var concKindByte = func() map[port.Kind]byte {
	m := make(map[port.Kind]byte)
	for i := len(concKindOf) - 1; i >= 0; i-- {
		m[concKindOf[i]] = byte(i)
	}
	return m
}()

var shapeThreads = [8]int{2, 2, 2, 2, 2, 2, 3, 4}

// lenSel decodes a length selector; setup lengths start at 0.
func lenSel(b byte, setup bool) int {
	switch {
	case b == 255:
		return 0
	case b >= 240:
		return 5 + int(b-240)
	case setup:
		return int(b) % 5
	}
	return 1 + int(b)%4
}

// lenByte is a selector lenSel reads as n, or false.
func lenByte(n int, setup bool) (byte, bool) {
	for b := range 256 {
		if lenSel(byte(b), setup) == n {
			return byte(b), true
		}
	}
	return 0, false
}

// concShape is what the header says.
type concShape struct {
	threads, procs, timers int
	tOwner                 [port.MaxTimers]int
	gOwner                 [port.MaxGs]int
}

// owned returns the slots whose owner is thread i, in order.
func owned(owner []int, i int) []int {
	var s []int
	for t, o := range owner {
		if o == i {
			s = append(s, t)
		}
	}
	return s
}

// DecodeConc reads a ConcProgram from fuzz bytes and returns it with the
// bytes after it. It never fails: every input is a valid ConcProgram (see
// the layout above).
func DecodeConc(data []byte) (ConcProgram, []byte) {
	f := &byteReader{data: data}
	byte0 := func() byte { b, _ := f.next(1); return b[0] }
	var sh concShape
	b := byte0()
	sh.threads = shapeThreads[b&7]
	sh.procs = sh.threads + int(b>>3)%(port.MaxProcs+1-sh.threads)
	sh.timers = 1 + int(byte0())%port.MaxTimers
	nsetup := lenSel(byte0(), true)
	p := ConcProgram{Program: Program{Procs: sh.procs, Timers: sh.timers}}
	free := make([]int, sh.procs)
	for i := range free {
		free[i] = i
	}
	lens := make([]int, sh.threads)
	for i := range sh.threads {
		k := int(byte0()) % len(free)
		p.Threads = append(p.Threads, port.Thread{P: free[k]})
		free = append(free[:k], free[k+1:]...)
		lens[i] = lenSel(byte0(), false)
	}
	for j := 0; j < (sh.timers+3)/4; j++ {
		b := byte0()
		for k := 0; k < 4 && 4*j+k < sh.timers; k++ {
			sh.tOwner[4*j+k] = int(b>>(2*k)&3) % sh.threads
		}
	}
	b = byte0()
	for k := range port.MaxGs {
		sh.gOwner[k] = int(b>>(2*k)&3) % sh.threads
	}
	d := concDecoder{f: f, sh: &sh, clock: port.DefaultConfig.Clock, total: port.DefaultConfig.Clock}
	done := false
	for range nsetup {
		c, ok := d.op(-1, 0)
		if !ok {
			done = true
			break
		}
		p.Ops = append(p.Ops, c)
	}
	base := d.clock
	for i := range p.Threads {
		d.clock = base
		for range lens[i] {
			if done {
				break
			}
			c, ok := d.op(i, p.Threads[i].P)
			if !ok {
				done = true
				break
			}
			p.Threads[i].Calls = append(p.Threads[i].Calls, c)
		}
	}
	return p, data[f.pos:]
}

// byteReader reads data in order; a read past the end reads zeros and
// consumes nothing.
type byteReader struct {
	data []byte
	pos  int
}

// next returns the next n bytes, or n zeros and false if fewer are left.
func (r *byteReader) next(n int) ([]byte, bool) {
	if len(r.data)-r.pos < n {
		return make([]byte, n), false
	}
	b := r.data[r.pos : r.pos+n]
	r.pos += n
	return b, true
}

type concDecoder struct {
	f     *byteReader
	sh    *concShape
	clock int64 // for whens: the setup's, or the thread's own
	total int64 // the clock if every advance so far ran
	used  [port.MaxTimers]bool
}

func (d *concDecoder) lit() (int64, bool) {
	b, ok := d.f.next(8)
	if !ok {
		return 0, false
	}
	return int64(le64(b)), true
}

func (d *concDecoder) sel(s byte, dec func(byte, int64) int64, c int64) (int64, bool) {
	if s == literal {
		return d.lit()
	}
	return dec(s, c), true
}

// op reads one record, of the setup (thread -1) or of thread i on P pp.
func (d *concDecoder) op(thread, pp int) (port.Call, bool) {
	r, ok := d.f.next(concRecordSize)
	if !ok {
		return port.Call{}, false
	}
	sh := d.sh
	c := port.Call{Kind: concKindOf[r[0]]}
	if c.Kind == port.Pidleput || c.Kind == port.Pidleget {
		// Not in concurrent programs (see noIdling): the byte reads as
		// dropping the P's timers' wake time instead.
		c.Kind = port.NobarrierWakeTime
	}
	if thread >= 0 {
		var mine []int
		switch c.Kind {
		case port.StartTimer, port.StopTimer, port.ResetTimer, port.ModTimer, port.Modtimer:
			mine = owned(sh.tOwner[:sh.timers], thread)
		case port.Sleep:
			mine = owned(sh.gOwner[:], thread)
		}
		if mine != nil {
			c.T = mine[int(r[1])%len(mine)]
			c.G = c.T
		} else if c.Kind <= port.Sleep {
			c.Kind = port.CheckTimers // it owns no timer (goroutine)
		}
		if c.Kind == port.StartTimer && d.used[c.T] {
			// A thread starts only a fresh timer (see freshOnly): on
			// one used before, the byte reads as time.Timer.Reset.
			c.Kind = port.ResetTimer
		}
	} else {
		c.T = int(r[1]) % sh.timers
		c.G = int(r[1]) % port.MaxGs
	}
	if c.Kind == port.CheckTimers || thread < 0 {
		c.P = int(r[1]) % sh.procs
	} else {
		c.P = pp
	}
	c.On = pp
	if thread < 0 {
		c.On = int(r[2]) % sh.procs
	}
	switch c.Kind {
	case port.Sleep:
		c.When, ok = d.sel(r[3], durSel, d.clock)
	case port.Advance:
		c.When, ok = d.sel(r[3], advanceSel, d.total)
		if r[3] == literal {
			c.When = advanceLit(c.When, d.total)
		}
	case port.StartTimer, port.ResetTimer, port.ModTimer, port.Modtimer:
		c.When, ok = d.sel(r[3], whenSel, d.clock)
	}
	if ok && (c.Kind == port.StartTimer || c.Kind == port.ModTimer || c.Kind == port.Modtimer) {
		c.Period, ok = d.sel(r[4], periodSel, d.clock)
	}
	if ok && (c.Kind == port.StartTimer || c.Kind == port.Modtimer) {
		c.F = port.Func{Kind: port.FuncFire, Arg: int(r[5] & 63)}
		if c.F.Arg == 63 {
			var v int64
			v, ok = d.lit()
			c.F.Arg = int(v)
		}
		c.Seq = uintptr(r[5] >> 6)
		if ok && c.Seq == 3 {
			var v int64
			v, ok = d.lit()
			c.Seq = uintptr(v)
		}
	}
	if !ok {
		return port.Call{}, false
	}
	if c.Kind == port.Advance {
		d.clock += c.When
		d.total += c.When
	}
	if timerCall(c.Kind) {
		d.used[c.T] = true
	}
	on := c.On
	c = canonical(c)
	if thread >= 0 {
		c.On = on // every call of a thread runs on its P
	}
	return c, true
}

// EncodeConc returns bytes that DecodeConc reads as p (with no bytes
// left over): DecodeConc(EncodeConc(p)) equals p, Schedule aside (it is
// not encoded; the fuzz target's schedule bytes follow the program). It
// fails if p is not valid or is outside what the layout can say: 2..4
// threads, a setup without procresize, at most 19 ops in the setup and in
// each thread.
func EncodeConc(p ConcProgram) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	n := len(p.Threads)
	if n < 2 {
		return nil, fmt.Errorf("encode: %d threads, the byte layout holds 2..4", n)
	}
	var out []byte
	shape := -1
	for i, k := range shapeThreads {
		if k == n {
			shape = i
			break
		}
	}
	out = append(out, byte(shape|(p.Procs-n)<<3), byte(p.Timers-1))
	b, ok := lenByte(len(p.Ops), true)
	if !ok {
		return nil, fmt.Errorf("encode: %d setup ops, the byte layout holds 0..19", len(p.Ops))
	}
	out = append(out, b)
	free := make([]int, p.Procs)
	for i := range free {
		free[i] = i
	}
	for i, th := range p.Threads {
		k := 0
		for k < len(free) && free[k] != th.P {
			k++
		}
		free = append(free[:k], free[k+1:]...)
		b, ok := lenByte(len(th.Calls), false)
		if !ok {
			return nil, fmt.Errorf("encode: thread %d has %d calls, the byte layout holds 0..19", i, len(th.Calls))
		}
		out = append(out, byte(k), b)
	}
	var sh concShape
	sh.threads, sh.procs, sh.timers = n, p.Procs, p.Timers
	for i, th := range p.Threads {
		for _, c := range th.Calls {
			switch c.Kind {
			case port.StartTimer, port.StopTimer, port.ResetTimer, port.ModTimer, port.Modtimer:
				sh.tOwner[c.T] = i
			case port.Sleep:
				sh.gOwner[c.G] = i
			}
		}
	}
	for j := 0; j < (p.Timers+3)/4; j++ {
		var b byte
		for k := 0; k < 4 && 4*j+k < p.Timers; k++ {
			b |= byte(sh.tOwner[4*j+k]) << (2 * k)
		}
		out = append(out, b)
	}
	var gb byte
	for k := range port.MaxGs {
		gb |= byte(sh.gOwner[k]) << (2 * k)
	}
	out = append(out, gb)
	e := concEncoder{sh: &sh, clock: port.DefaultConfig.Clock, total: port.DefaultConfig.Clock}
	for _, c := range p.Ops {
		if c.Kind == port.Procresize {
			return nil, fmt.Errorf("encode: setup op %v: the byte layout has no procresize", c)
		}
		out = e.op(out, c, -1)
	}
	base := e.clock
	for i, th := range p.Threads {
		e.clock = base
		for _, c := range th.Calls {
			out = e.op(out, c, i)
		}
	}
	return out, nil
}

type concEncoder struct {
	sh           *concShape
	clock, total int64
}

func (e *concEncoder) op(out []byte, c port.Call, thread int) []byte {
	var r [concRecordSize]byte
	var lits []int64
	sel := func(v int64, dec func(byte, int64) int64, clock int64) byte {
		for s := range literal {
			if dec(byte(s), clock) == v {
				return byte(s)
			}
		}
		lits = append(lits, v)
		return literal
	}
	r[0] = concKindByte[c.Kind]
	switch c.Kind {
	case port.StartTimer, port.StopTimer, port.ResetTimer, port.ModTimer, port.Modtimer:
		r[1] = byte(c.T)
		if thread >= 0 {
			r[1] = byte(indexOf(owned(e.sh.tOwner[:e.sh.timers], thread), c.T))
		}
	case port.Sleep:
		r[1] = byte(c.G)
		if thread >= 0 {
			r[1] = byte(indexOf(owned(e.sh.gOwner[:], thread), c.G))
		}
	case port.CheckTimers, port.Pidleput, port.Pidleget, port.NobarrierWakeTime:
		r[1] = byte(c.P)
	}
	if thread < 0 {
		r[2] = byte(c.On)
	}
	switch c.Kind {
	case port.Sleep:
		r[3] = sel(c.When, durSel, e.clock)
	case port.Advance:
		r[3] = sel(c.When, advanceSel, e.total)
		e.clock += c.When
		e.total += c.When
	case port.StartTimer, port.ResetTimer, port.ModTimer, port.Modtimer:
		r[3] = sel(c.When, whenSel, e.clock)
	}
	if c.Kind == port.StartTimer || c.Kind == port.ModTimer || c.Kind == port.Modtimer {
		r[4] = sel(c.Period, periodSel, e.clock)
	}
	if c.Kind == port.StartTimer || c.Kind == port.Modtimer {
		arg := c.F.Arg
		if arg < 0 || arg >= 63 {
			lits = append(lits, int64(arg))
			arg = 63
		}
		seq := c.Seq
		if seq >= 3 {
			lits = append(lits, int64(seq))
			seq = 3
		}
		r[5] = byte(arg) | byte(seq)<<6
	}
	out = append(out, r[:]...)
	for _, v := range lits {
		out = appendLE64(out, uint64(v))
	}
	return out
}

func indexOf(s []int, v int) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	panic(fmt.Sprintf("ops: %d not in %v", v, s))
}
