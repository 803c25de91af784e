// Package ops is timerdiff's operation language: a Program is a sequence
// of port.Calls on a fresh World, with three forms that convert without
// loss.
//
//   - Program: Procs Ps and Timers timer slots at the start, the clock at
//     port.DefaultConfig.Clock (see Program.Config), and the ops.
//   - Script text (files *.ops), for people: Program.Script and Parse.
//   - Fuzz bytes, for the fuzzer: Decode and Encode.
//
// Invariants:
//   - Validate defines a valid Program. Parse and Decode return only valid
//     Programs; Script and Encode accept every valid Program.
//   - Round trips: Parse(name, Script(p)) equals p, and Decode(Encode(p))
//     equals p, for every valid p; so Encode(Decode(b)) decodes to
//     Decode(b) for every b.
//   - Decode never fails: every byte string, the empty one included, is a
//     Program. Bytes past the end read as the end of the program; a
//     decoded P is one that exists at that op, so Decode(b) is always valid.
//   - Everything here is deterministic and independent of the ports.
//
// Script syntax, one item per line:
//
//	# timerdiff script v1      a comment: '#' to the end of the line
//	procs 2                    required, before the first op: Ps, 1..4
//	timers 4                   required, before the first op: slots, 1..16
//	P0: t3.startTimer(when=150, period=0, f=fire(a3), seq=0)
//	P1: t1.stopTimer() -> pending=true
//	advance(30)
//
// An op is written exactly as port.Call's String method prints it; anything
// after " ->" is a result annotation and is ignored, so printed traces can
// be pasted back. Blank lines are ignored. Errors are one line,
// "name:LINE: message", and a Program that fails Validate is reported at
// the line of the bad op.
//
// Fuzz bytes: a 2-byte header, then a fixed-size record per op, so that
// deleting a record deletes one op; selectors make whens collide often and
// reach edge values (0, -1, maxWhen, ...) now and then, and a literal
// escape makes every value encodable. The layout is documented in bytes.go.
//
// ReadFile reads either form from a corpus file; FuzzFile writes bytes in
// the Go fuzz corpus format.
package ops
