package ops

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/timerdiff/timerdiff/internal/port"
)

// scriptVersion is the first line Script prints.
const scriptVersion = "# timerdiff script v1"

// Script prints p as script text: a version comment, the header and one op
// per line in port.Call's String syntax. Parse(name, []byte(p.Script()))
// returns p for every valid p.
func (p Program) Script() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nprocs %d\ntimers %d\n", scriptVersion, p.Procs, p.Timers)
	for _, c := range p.Ops {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Parse reads script text (see the package doc) into a valid Program. name
// is used in errors, which are one line: "name:LINE: message".
func Parse(name string, src []byte) (Program, error) {
	var p Program
	var lines []int // the line of each op
	errorf := func(line int, format string, args ...any) (Program, error) {
		return Program{}, fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	n := 0
	for text := range strings.Lines(string(src)) {
		n++
		if i := strings.Index(text, " ->"); i >= 0 {
			text = text[:i]
		}
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		if key, val, ok := strings.Cut(text, " "); ok && (key == "procs" || key == "timers") {
			field := &p.Procs
			if key == "timers" {
				field = &p.Timers
			}
			switch v, err := strconv.Atoi(strings.TrimSpace(val)); {
			case len(p.Ops) > 0:
				return errorf(n, "%q after the first op", key)
			case *field != 0:
				return errorf(n, "second %q line", key)
			case err != nil:
				return errorf(n, "bad %s %q", key, val)
			case key == "procs" && (v < 1 || v > port.MaxProcs):
				return errorf(n, "procs %d not in 1..%d", v, port.MaxProcs)
			case key == "timers" && (v < 1 || v > port.MaxTimers):
				return errorf(n, "timers %d not in 1..%d", v, port.MaxTimers)
			default:
				*field = v
			}
			continue
		}
		c, err := parseCall(text)
		if err != nil {
			return errorf(n, "%v", err)
		}
		if p.Procs == 0 || p.Timers == 0 {
			return errorf(n, "missing %q or %q line before the first op", "procs", "timers")
		}
		p.Ops = append(p.Ops, c)
		lines = append(lines, n)
	}
	if p.Procs == 0 || p.Timers == 0 {
		return errorf(max(n, 1), "missing %q or %q line", "procs", "timers")
	}
	if i, msg := p.check(); msg != "" {
		return errorf(lines[i], "%v: %s", p.Ops[i], msg)
	}
	return p, nil
}

// parseCall parses one op in port.Call's String syntax.
func parseCall(text string) (port.Call, error) {
	var c port.Call
	unknown := fmt.Errorf("unknown op %q", text)
	s, onP := text, false
	if rest, ok := strings.CutPrefix(s, "P"); ok {
		if on, rest, ok := strings.Cut(rest, ":"); ok {
			v, err := strconv.Atoi(on)
			if err != nil {
				return c, unknown
			}
			c.On, s, onP = v, strings.TrimSpace(rest), true
		}
	}
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		return c, unknown
	}
	recv, name, dotted := strings.Cut(s[:open], ".")
	if !dotted {
		recv, name = "", recv
	}
	k, ok := kindByName[strings.TrimSpace(name)]
	if !ok {
		return c, unknown
	}
	c.Kind = k
	u := uses(k, 0)
	switch {
	case !u.on && onP:
		return c, fmt.Errorf("%v is not called on a P: %q", k, text)
	case u.on && !onP:
		return c, fmt.Errorf("%v needs the P it is called on: \"P0: %s\"", k, text)
	}
	a := &args{op: k.String(), list: splitArgs(s[open+1 : len(s)-1])}
	recv = strings.TrimSpace(recv)
	switch {
	case u.t:
		c.T = a.ref(recv, "t", "receiver")
	case u.g:
		c.G = a.ref(recv, "g", "receiver")
	case recv != "":
		return c, fmt.Errorf("%v takes no receiver: %q", k, text)
	}
	switch k {
	case port.StartTimer, port.Modtimer:
		c.When = a.int("when")
		c.Period = a.int("period")
		c.F = a.fn("f")
		c.Seq = uintptr(a.uint("seq"))
	case port.ResetTimer:
		c.When = a.int("when")
	case port.ModTimer:
		c.When = a.int("when")
		c.Period = a.int("period")
	case port.Sleep:
		c.When = a.int("ns")
	case port.CheckTimers, port.Pidleput, port.Pidleget, port.NobarrierWakeTime:
		c.P = a.ref(a.next(""), "P", "P")
	case port.Procresize:
		c.N = int(a.int(""))
	case port.Advance:
		c.When = a.int("")
	}
	if a.err == nil && len(a.list) > 0 {
		a.fail("unexpected argument %q", a.list[0])
	}
	return c, a.err
}

// kindByName maps an op name to its kind.
var kindByName = func() map[string]port.Kind {
	m := make(map[string]port.Kind)
	for k := port.StartTimer; k <= port.Advance; k++ {
		m[k.String()] = k
	}
	return m
}()

// splitArgs splits an argument list at the commas outside parentheses.
func splitArgs(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var list []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				list = append(list, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(list, strings.TrimSpace(s[start:]))
}

// args reads the arguments of one call in order; the first error sticks.
type args struct {
	op   string
	list []string
	err  error
}

func (a *args) fail(format string, v ...any) {
	if a.err == nil {
		a.err = fmt.Errorf("%s: %s", a.op, fmt.Sprintf(format, v...))
	}
}

// next returns the next argument, which must be "key=value" (or a bare
// value if key is ""), without its key.
func (a *args) next(key string) string {
	if a.err != nil {
		return ""
	}
	want := "argument"
	if key != "" {
		want = key + "="
	}
	if len(a.list) == 0 {
		a.fail("missing %s", want)
		return ""
	}
	s := a.list[0]
	a.list = a.list[1:]
	if key == "" {
		return s
	}
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) != key {
		a.fail("got %q, want %s", s, want)
		return ""
	}
	return strings.TrimSpace(v)
}

func (a *args) int(key string) int64 {
	return a.parseInt(a.next(key))
}

func (a *args) parseInt(s string) int64 {
	if a.err != nil {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		a.fail("bad number %q", s)
	}
	return v
}

func (a *args) uint(key string) uint64 {
	s := a.next(key)
	if a.err != nil {
		return 0
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		a.fail("bad number %q", s)
	}
	return v
}

// ref parses a name like "t3", "g1" or "P2" with the given prefix.
func (a *args) ref(s, prefix, what string) int {
	if a.err != nil {
		return 0
	}
	v, err := strconv.Atoi(strings.TrimPrefix(s, prefix))
	if !strings.HasPrefix(s, prefix) || err != nil {
		a.fail("bad %s %q, want %s0, %s1, ...", what, s, prefix, prefix)
	}
	return v
}

// fn parses a timer function: fire(aN), stop(aN, tK) or reset(aN, tK, WHEN).
func (a *args) fn(key string) port.Func {
	var f port.Func
	s := a.next(key)
	if a.err != nil {
		return f
	}
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		a.fail("bad function %q", s)
		return f
	}
	fa := &args{op: a.op + ": " + s, list: splitArgs(s[open+1 : len(s)-1])}
	f.Arg = fa.ref(fa.next(""), "a", "argument")
	switch strings.TrimSpace(s[:open]) {
	case "fire":
		f.Kind = port.FuncFire
	case "stop":
		f.Kind = port.FuncStop
		f.Target = fa.ref(fa.next(""), "t", "target")
	case "reset":
		f.Kind = port.FuncReset
		f.Target = fa.ref(fa.next(""), "t", "target")
		f.When = fa.int("")
	case "deadline":
		f.Kind = port.FuncDeadline
	default:
		a.fail("unknown function %q", s)
		return f
	}
	if fa.err == nil && len(fa.list) > 0 {
		fa.fail("unexpected argument %q", fa.list[0])
	}
	if fa.err != nil && a.err == nil {
		a.err = fa.err
	}
	return f
}
