package ops

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sched"
)

// A concurrent script is a sequential script (the setup), then one block
// per thread, then an optional schedule line:
//
//	# timerdiff script v1
//	procs 2
//	timers 4
//	P0: t0.startTimer(when=120, period=0, f=fire(a0), seq=0)
//	thread P0:
//	    P0: t0.modtimer(when=103, period=0, f=fire(a0), seq=1)
//	thread P1:
//	    P1: checkTimers(P0)
//	    advance(5)
//	schedule M0*5 M1*3 M0
//
// "thread Pn:" starts thread i (the i-th block, run on M i) holding Pn;
// the ops after it, up to the next block, are its calls. Indentation is
// only for the eye. Calls not made on a P (advance, pidleput, ...) are
// written without the "Pn: " prefix and run on the thread's P. The
// schedule line is sched.Schedule's text ("M0 M0 M1" or run-length "M0*2
// M1"); it must come last.

// Script prints p as a concurrent script. ParseConc(name, p.Script())
// returns p for every valid p.
func (p ConcProgram) Script() string {
	var b strings.Builder
	b.WriteString(p.Program.Script())
	for _, th := range p.Threads {
		fmt.Fprintf(&b, "thread P%d:\n", th.P)
		for _, c := range th.Calls {
			b.WriteString("    ")
			b.WriteString(c.String())
			b.WriteByte('\n')
		}
	}
	if p.Schedule != nil {
		fmt.Fprintf(&b, "%s\n", p.Schedule.Line())
	}
	return b.String()
}

// IsConcScript reports whether src is a concurrent script: whether some
// line starts a thread block.
func IsConcScript(src []byte) bool {
	for text := range strings.Lines(string(src)) {
		if isThreadLine(cleanLine(text)) {
			return true
		}
	}
	return false
}

func isThreadLine(s string) bool { return strings.HasPrefix(s, "thread ") || s == "thread" }

func isScheduleLine(s string) bool { return strings.HasPrefix(s, "schedule ") || s == "schedule" }

// cleanLine strips a result annotation, a comment and surrounding space,
// as Parse does.
func cleanLine(text string) string {
	if i := strings.Index(text, " ->"); i >= 0 {
		text = text[:i]
	}
	if i := strings.IndexByte(text, '#'); i >= 0 {
		text = text[:i]
	}
	return strings.TrimSpace(text)
}

// ParseConc reads a concurrent script into a valid ConcProgram. Errors
// are one line, "name:LINE: message", at the line of the bad op, thread
// block or schedule.
func ParseConc(name string, src []byte) (ConcProgram, error) { return parseConc(name, src, true) }

// ParseConcShape is ParseConc for programs that may break the API
// contract: it checks ValidateShape instead of Validate. Only the clearly
// labelled out-of-contract modes use it.
func ParseConcShape(name string, src []byte) (ConcProgram, error) {
	return parseConc(name, src, false)
}

func parseConc(name string, src []byte, contract bool) (ConcProgram, error) {
	errorf := func(line int, format string, args ...any) (ConcProgram, error) {
		return ConcProgram{}, fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	// The setup is everything before the first thread or schedule line:
	// Parse reads it, with the same line numbers.
	var lines []string
	for text := range strings.Lines(string(src)) {
		lines = append(lines, text)
	}
	split := len(lines)
	for i, text := range lines {
		if s := cleanLine(text); isThreadLine(s) || isScheduleLine(s) {
			split = i
			break
		}
	}
	setup, err := Parse(name, []byte(strings.Join(lines[:split], "")))
	if err != nil {
		return ConcProgram{}, err
	}
	p := ConcProgram{Program: setup}
	var (
		threadLine []int   // the line of each thread block
		callLine   [][]int // the line of each thread call
		schedLine  int
	)
	for i := split; i < len(lines); i++ {
		n := i + 1
		s := cleanLine(lines[i])
		switch {
		case s == "":
			continue
		case schedLine != 0:
			return errorf(n, "%q after the schedule line, which must come last", s)
		case isThreadLine(s):
			ps, ok := strings.CutSuffix(strings.TrimSpace(strings.TrimPrefix(s, "thread")), ":")
			v, err := strconv.Atoi(strings.TrimPrefix(ps, "P"))
			if !ok || !strings.HasPrefix(ps, "P") || err != nil {
				return errorf(n, "bad thread line %q, want \"thread P0:\"", s)
			}
			p.Threads = append(p.Threads, port.Thread{P: v})
			threadLine = append(threadLine, n)
			callLine = append(callLine, nil)
		case isScheduleLine(s):
			sc, err := sched.Parse(strings.TrimPrefix(s, "schedule"))
			if err != nil {
				return errorf(n, "%v", err)
			}
			if sc == nil {
				sc = sched.Schedule{}
			}
			p.Schedule, schedLine = sc, n
		default:
			c, err := parseCall(s)
			if err != nil {
				return errorf(n, "%v", err)
			}
			th := &p.Threads[len(p.Threads)-1]
			if !uses(c.Kind, 0).on {
				c.On = th.P
			}
			th.Calls = append(th.Calls, c)
			callLine[len(callLine)-1] = append(callLine[len(callLine)-1], n)
		}
	}
	if e := p.check(contract); e != nil {
		switch {
		case e.thread >= 0 && e.op >= 0:
			return errorf(callLine[e.thread][e.op], "%v: %s", p.Threads[e.thread].Calls[e.op], e.msg)
		case e.thread >= 0:
			return errorf(threadLine[e.thread], "thread %d: %s", e.thread, e.msg)
		case strings.HasPrefix(e.msg, "schedule"):
			return errorf(schedLine, "%s", e.msg)
		case len(p.Threads) == 0:
			return errorf(max(len(lines), 1), "no thread blocks (\"thread P0:\"): %s", e.msg)
		default:
			return errorf(threadLine[len(threadLine)-1], "%s", e.msg)
		}
	}
	return p, nil
}

// ReadConcFile reads a ConcProgram from a corpus file: a concurrent
// script, or a Go fuzz corpus file of FuzzConcurrent, decoded with
// DecodeConc; for the latter, rest holds the bytes after the program (the
// fuzz target's schedule bytes), for scripts it is nil. Errors name the
// file and, for bad content, the line.
func ReadConcFile(path string) (p ConcProgram, rest []byte, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ConcProgram{}, nil, err // *PathError names the file
	}
	if first, _, _ := strings.Cut(string(data), "\n"); strings.TrimSpace(first) == fuzzHeader {
		b, err := parseFuzzFile(path, data)
		if err != nil {
			return ConcProgram{}, nil, err
		}
		p, rest := DecodeConc(b)
		return p, rest, nil
	}
	p, err = ParseConc(path, data)
	return p, nil, err
}
