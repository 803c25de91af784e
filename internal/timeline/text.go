package timeline

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/timerdiff/timerdiff/internal/run"
)

// rowKind is what a line of the terminal picture is.
type rowKind uint8

const (
	rEvent  rowKind = iota // one event, or a run of loads, in its M's column
	rHeader                // the call an M starts or resumes, in its column
	rSep                   // a switch between Ms, across all columns
)

// row is one line of the terminal picture.
type row struct {
	kind        rowKind
	m           int
	first, last int    // the events it shows; first == -1 for a switch not in the log
	text        string // rEvent: the event; rHeader: the call; rSep: the switch
	fill        byte   // rSep: the character the line is drawn with
	what        string // rEvent of a load: the load, for merging the next one
	count       int    // rEvent of a load: how many in a row
	held        string // the M's held locks, if they changed in this row
}

// rows turns the model's events into the lines of the terminal picture.
// Every event is in exactly one row, in order (checkRows).
func (md *model) rows() []row {
	var rs []row
	shownCall := slices.Repeat([]int{-1}, md.nm)
	shownHeld := make([][]string, md.nm)
	prev := -1
	for j, e := range md.events {
		if prev >= 0 && e.M != prev && md.events[j-1].kind != kSwitch {
			why := "stopped"
			if md.last[prev] == j-1 {
				why = "finished"
			}
			rs = append(rs, row{kind: rSep, first: -1, last: -1, fill: '.',
				text: fmt.Sprintf("M%d %s, M%d runs", prev, why, e.M)})
		}
		prev = e.M
		if e.kind == kSwitch {
			rs = append(rs, md.switchRow(e))
			continue
		}
		if shownCall[e.M] != e.Call {
			shownCall[e.M] = e.Call
			rs = append(rs, row{kind: rHeader, m: e.M, first: j, last: j - 1, text: "> " + md.names[e.Call]})
		}
		last := len(rs) - 1
		mergeable := last >= 0 && rs[last].kind == rEvent && rs[last].m == e.M && rs[last].last == j-1
		switch {
		case e.kind == kLoad && mergeable && rs[last].what == e.What:
			rs[last].count++
			rs[last].last = j
			rs[last].text = fmt.Sprintf("%s x%d", e.What, rs[last].count)
		case (e.kind == kAcquired || e.kind == kReleased) && mergeable:
			rs[last].text += " " + mark(e)
			rs[last].last = j
			rs[last].what = ""
		default:
			r := row{kind: rEvent, m: e.M, first: j, last: j, text: e.What}
			switch e.kind {
			case kLoad:
				r.what, r.count = e.What, 1
			case kAcquired, kReleased:
				r.text = mark(e)
			}
			rs = append(rs, r)
		}
		if !slices.Equal(shownHeld[e.M], e.Held) {
			shownHeld[e.M] = e.Held
			rs[len(rs)-1].held = heldString(e.M, e.Held)
		}
	}
	return rs
}

// mark is an acquisition or release as the picture writes it: "+t0", "-t0".
func mark(e event) string {
	if e.kind == kAcquired {
		return "+" + e.lock
	}
	return "-" + e.lock
}

func (md *model) switchRow(e event) row {
	r := row{kind: rSep, m: e.M, first: e.i, last: e.i}
	switch e.why {
	case sPreempted:
		r.fill, r.text = '-', fmt.Sprintf("M%d preempted, M%d runs", e.M, e.to)
	case sBlocked:
		r.fill, r.text = '=', fmt.Sprintf("M%d blocked in lock(%s), M%d runs", e.M, md.lockedBy(e.M, e.i), e.to)
	case sSpinning:
		r.fill, r.text = '~', fmt.Sprintf("M%d spinning in osyield, M%d runs", e.M, e.to)
	}
	return r
}

// checkRows panics unless the rows show every event exactly once, in order.
func checkRows(rs []row, n int) {
	next := 0
	for _, r := range rs {
		if r.kind == rHeader || r.first < 0 {
			continue
		}
		if r.first != next || r.last < r.first {
			panic(fmt.Sprintf("timeline: row %q shows events %d..%d, want it to start at %d", r.text, r.first, r.last, next))
		}
		next = r.last + 1
	}
	if next != n {
		panic(fmt.Sprintf("timeline: rows show %d of %d events", next, n))
	}
}

// laneGlyph is what an M's column shows while another M runs.
func laneGlyph(s state) string {
	switch s {
	case sPreempted, sReady:
		return "|"
	case sBlocked:
		return "#"
	case sSpinning:
		return "~"
	}
	return ""
}

// Text writes tr as a terminal picture: a column per M, time going down,
// a line per event. See the package doc for how to read it. With a
// verdict (v may be nil) it opens with it, and marks the steps of tr's
// run that make it.
func Text(w io.Writer, tr *run.ConcTrace, v *Verdict) error {
	ew := &errWriter{w: w}
	writeText(ew, tr, v)
	return ew.err
}

func writeText(w *errWriter, tr *run.ConcTrace, v *Verdict) {
	md := newModel(tr)
	if v != nil {
		groups, summary := verdictGroups(nil, nil, v)
		if v.empty() {
			summary = "no problem in either version."
		}
		w.printf("verdict: %s\n", summary)
		for _, g := range groups {
			w.printf("  %s:\n", g.heading)
			for _, p := range g.problems {
				w.printf("    %s: %s\n", p.Kind, p.Text)
				if !p.Sig.Where.IsZero() {
					w.printf("      cause: %s\n", p.Sig)
				}
			}
		}
	}
	w.printf("%s: %s\n", tr.Impl, md.counts())
	steps := md.steps(v)
	if len(steps) > 0 {
		w.printf("marked steps (<= (n) on their lines):\n")
		for k, st := range steps {
			at := "after the threads"
			if st.at < len(md.events) {
				at = fmt.Sprintf("#%d M%d", st.at, st.m)
			}
			w.printf("  (%d) %s %s%s\n", k+1, at, alarmWord(st.g), st.label)
		}
	}
	if len(tr.Setup) > 0 {
		w.printf("setup, before the threads (not in the picture):\n")
		for i := range tr.Setup {
			w.printf("  %s -> %s\n", tr.Setup[i].Call, result(&tr.Setup[i]))
		}
	}
	if tr.Err != "" {
		w.printf("threads refused: %s\n", tr.Err)
		return
	}
	if len(md.events) == 0 {
		w.printf("no events: the run was not recorded\n")
	} else {
		writeGrid(w, md, steps)
	}
	w.printf("outcomes:\n")
	for m, th := range tr.Threads {
		w.printf("  %s\n", md.mName(m))
		for k := range th {
			w.printf("    %s -> %s\n", th[k].Call, result(&th[k]))
		}
	}
	for _, b := range tr.Bad {
		w.printf("heap invariant: %s\n", b)
	}
	for _, c := range tr.LockCycles {
		w.printf("lock cycle: %s\n", c)
	}
}

// alarmWord prefixes a step that shows a problem with the verdict's group.
func alarmWord(g group) string {
	switch g {
	case gNew:
		return "PROBLEM (new version alone): "
	case gShared:
		return "problem of both versions: "
	case gOld:
		return "problem of the old version alone: "
	}
	return ""
}

func writeGrid(w *errWriter, md *model, steps []step) {
	rs := md.rows()
	checkRows(rs, len(md.events))
	iw := max(3, len(fmt.Sprint(len(md.events)-1)))
	cw := make([]int, md.nm) // column widths, gap included
	for m := range cw {
		cw[m] = utf8.RuneCountInString(md.mName(m))
	}
	for _, r := range rs {
		if r.kind == rEvent {
			cw[r.m] = max(cw[r.m], utf8.RuneCountInString(r.text))
		}
	}
	total := iw + 2
	for m := range cw {
		cw[m] += 3
		total += cw[m]
	}
	var b strings.Builder
	line := func() {
		w.printf("%s\n", strings.TrimRight(b.String(), " "))
		b.Reset()
	}
	pad := func(s string, n int) {
		b.WriteString(s)
		b.WriteString(strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s))))
	}

	pad(fmt.Sprintf("%*s", iw, "#"), iw+2)
	for m := range cw {
		pad(md.mName(m), cw[m])
	}
	b.WriteString("locks (when they change)")
	line()
	for _, r := range rs {
		switch {
		case r.kind == rSep:
			idx := ""
			if r.first >= 0 {
				idx = fmt.Sprint(r.first)
			}
			pad(fmt.Sprintf("%*s", iw, idx), iw+2)
			s := strings.Repeat(string(r.fill), 2) + " " + r.text + " "
			b.WriteString(s)
			b.WriteString(strings.Repeat(string(r.fill), max(2, total-iw-2-utf8.RuneCountInString(s))))
			line()
			continue
		case r.kind == rHeader:
			pad("", iw+2)
		default:
			pad(fmt.Sprintf("%*d", iw, r.first), iw+2)
		}
		st := md.states[min(r.first, len(md.states)-1)]
		for m := range cw {
			if m == r.m {
				if r.kind == rHeader {
					b.WriteString(r.text)
					break
				}
				pad(r.text, cw[m])
				continue
			}
			pad(laneGlyph(st[m]), cw[m])
		}
		if r.kind == rEvent {
			b.WriteString(r.held)
			var marks []string
			for k, st := range steps {
				if st.at >= r.first && st.at <= r.last {
					marks = append(marks, fmt.Sprintf("(%d)", k+1))
				}
			}
			if len(marks) > 0 {
				if r.held != "" {
					b.WriteString("  ")
				}
				b.WriteString("<= " + strings.Join(marks, " "))
			}
		}
		line()
	}
	for k, st := range steps {
		if st.at >= len(md.events) {
			w.printf("%*s  (%d) %s\n", iw, "end", k+1, st.label)
		}
	}
	w.printf("lanes: | waiting to run, # blocked in lock, ~ spinning in osyield; +L acquired L, -L released L\n")
}

// errWriter keeps the first write error; later writes do nothing.
type errWriter struct {
	w   io.Writer
	err error
}

func (w *errWriter) printf(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.w, format, args...)
	}
}
