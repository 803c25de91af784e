package timeline

// This file draws one version's run as a panel of swim lanes in SVG: time
// goes right, one event per column of width dx, so two panels drawn with
// the same x0 line up event by event.

import (
	"fmt"
	"html"
	"slices"
	"strings"
)

// Layout, in pixels.
const (
	dxMin     = 18   // one event, at least; pageW decides
	pageW     = 1500 // the width a picture is laid out for (it is then scaled to the page)
	dxMax     = 40   // one event, at most
	x0        = 150  // where event 0 starts; the lane labels are to its left
	titleH    = 24   // the panel's title
	partH     = 16   // the label of the parting point
	axisH     = 16   // event numbers
	boxY      = 4    // call box, from the lane's top
	boxH      = 18   //
	stripY    = 26   // the M's state and its ticks
	stripH    = 14   //
	bandY     = 44   // the first held-lock band
	slotH     = 13   // one held-lock band
	laneGap   = 8    // below the last band
	panelGap  = 26   // between two panels
	charW     = 6.7  // a character of 11px monospace
	bandCharW = 5.5  // a character of 9px monospace
)

// Colors.
var (
	callFill   = []string{"#dbe9f6", "#fde2c8", "#d8f0d2", "#eadcf5"}
	callStroke = []string{"#4a78a8", "#c27532", "#4f9a45", "#8559a8"}
	classColor = map[string]string{classTimer: "#2a9d8f", classTimers: "#e76f51", classOther: "#8d99ae"}
	whyColor   = map[state]string{sPreempted: "#d62828", sBlocked: "#6a040f", sSpinning: "#7b2cbf", sReady: "#868e96"}
	whyDash    = map[state]string{sPreempted: "4 2", sBlocked: "", sSpinning: "1 2", sReady: "2 3"}
	whyName    = map[state]string{sPreempted: "preempted", sBlocked: "blocked", sSpinning: "spinning", sReady: "ended"}
	stateFill  = map[state]string{sRunning: "#e3f6e5", sPreempted: "#eceff1", sReady: "#eceff1", sBlocked: "url(#hatch-blocked)", sSpinning: "url(#hatch-spinning)"}
	partColor  = "#ff006e"
)

// svg accumulates SVG text.
type svg struct{ strings.Builder }

func (s *svg) f(format string, args ...any) { fmt.Fprintf(s, format, args...) }

func esc(s string) string { return html.EscapeString(s) }

func (p *panel) cx(j int) int { return x0 + j*p.dx + p.dx/2 }

// afterW is the width of the column for after the threads.
func (p *panel) afterW() int { return 3 * p.dx }

// panel is one version laid out.
type panel struct {
	md       *model
	dx       int    // one event's width
	name     string // "old", "new"
	part     int    // the parting event, or -1
	steps    []step
	stepRow  []int  // per step: the row of the story band its label is in
	stepLeft []bool // per step: its label is left of its marker
	storyH   int    // the story band's height
	equal    bool   // the runs are equal: no step is alarming
	held     [][]string
	laneY    []int // per M, relative to the panel's top
	idle     []idleSpan
	idleY    int // the idle Ps' lane, if any
	slots    [][]string
	height   int
	width    int // what the panel needs
}

// Story band layout.
const (
	stepRowH = 17 // one row of step labels
)

// eventW is the width of one event for pictures of runs of n events:
// the runs fill pageW, between dxMin and dxMax.
func eventW(n int) int {
	return min(dxMax, max(dxMin, (pageW-x0-40)/max(1, n+3)))
}

func newPanel(md *model, name string, part int, steps []step, equal bool, dx int) *panel {
	p := &panel{md: md, name: name, part: part, steps: steps, equal: equal, dx: dx}
	p.width = max(x0+len(md.events)*p.dx+40, 8+int(7.9*float64(len(name)+2+len(md.counts()))))
	if p.after() {
		p.width += p.afterW()
	}
	// Step labels go in rows above the lanes, each in the first row
	// where it overlaps no other label: to the right of its marker, or to
	// the left where it would run past the lanes' end.
	var rows [][][2]int
	for _, st := range steps {
		x := p.stepX(st)
		lw := int(charW * float64(len([]rune(st.label))))
		span, left := [2]int{x - 8, x + 12 + lw}, false
		if span[1] > p.width && x-12-lw >= 0 {
			span, left = [2]int{x - 12 - lw, x + 8}, true
		}
		row := slices.IndexFunc(rows, func(r [][2]int) bool {
			return !slices.ContainsFunc(r, func(o [2]int) bool { return span[0] < o[1]+6 && o[0] < span[1]+6 })
		})
		if row < 0 {
			row = len(rows)
			rows = append(rows, nil)
		}
		rows[row] = append(rows[row], span)
		p.stepRow = append(p.stepRow, row)
		p.stepLeft = append(p.stepLeft, left)
		p.width = max(p.width, span[1]+8)
	}
	if len(rows) > 0 {
		p.storyH = len(rows)*stepRowH + 6
	}
	// The held locks each event's tooltip names: those the text
	// picture's line of the event names (after its last event).
	p.held = make([][]string, len(md.events))
	for j, e := range md.events {
		p.held[j] = e.Held
	}
	for _, r := range md.rows() {
		if r.kind == rEvent {
			for j := r.first; j <= r.last; j++ {
				p.held[j] = md.events[r.last].Held
			}
		}
	}
	y := p.top()
	for m := 0; m < md.nm; m++ {
		var slots []string
		for _, ls := range md.locks[m] {
			if !slices.Contains(slots, ls.lock) {
				slots = append(slots, ls.lock)
			}
		}
		p.slots = append(p.slots, slots)
		p.laneY = append(p.laneY, y)
		y += bandY + max(1, len(slots))*slotH + laneGap
	}
	p.idle = md.idleSpans()
	if len(p.idle) > 0 {
		p.idleY = y
		y += stripY + len(p.idle)*(stripH+2) + laneGap
	}
	p.height = y
	return p
}

// drawIdle draws the lane of the idle Ps: a bar per P while it is idle,
// red from where a timer was seen in its heap.
func (p *panel) drawIdle(s *svg, width int) {
	if len(p.idle) == 0 {
		return
	}
	n := len(p.md.events)
	y := p.idleY
	s.f("<line class=\"lanesep\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", y, width, y)
	s.f("<text class=\"lanelabel\" x=\"8\" y=\"%d\">idle Ps</text>\n", y+stripY+11)
	for k, sp := range p.idle {
		by := y + stripY + k*(stripH+2)
		x1, x2 := x0+sp.from*p.dx+p.dx/2, x0+sp.to*p.dx
		if sp.from == 0 {
			x1 = x0
		}
		if sp.to >= n {
			x2 = x0 + n*p.dx
			if p.after() {
				x2 += p.afterW()
			}
		}
		text := fmt.Sprintf("P%d idle", sp.p)
		if sp.clear {
			text += ", timerpMask bit clear"
		}
		if sp.to < n {
			text += fmt.Sprintf(" until #%d", sp.to)
		}
		textEnd := x2
		if sp.timer >= 0 {
			textEnd = x0 + sp.timer*p.dx + p.dx/2
		}
		s.f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\" fill=\"#ced4da\"><title>%s</title></rect>\n", x1, by, max(2, x2-x1), stripH, esc(text+": stealWork and checkTimersNoP look only at Ps whose bit is set"))
		if sp.timer >= 0 {
			tx := x0 + sp.timer*p.dx + p.dx/2
			s.f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#ffc9c9\" stroke=\"#d00000\"><title>%s</title></rect>\n", tx, by, max(2, x2-tx), stripH, esc(sp.timerTxt+" in its heap"))
		}
		if label := fitW(text, float64(textEnd-x1-6), bandCharW+0.6); label != "" {
			s.f("<text class=\"idlelabel\" x=\"%d\" y=\"%d\">%s</text>\n", x1+3, by+10, esc(label))
		}
		if sp.timer >= 0 {
			tx := x0 + sp.timer*p.dx + p.dx/2
			if label := fitW(sp.timerTxt+" in its heap", float64(x2-tx-6), bandCharW+0.6); label != "" {
				s.f("<text class=\"idlelabel\" x=\"%d\" y=\"%d\" fill=\"#d00000\">%s</text>\n", tx+3, by+10, esc(label))
			}
		}
	}
}

// after reports whether the panel has a column for after the threads.
func (p *panel) after() bool {
	return slices.ContainsFunc(p.steps, func(st step) bool { return st.at >= len(p.md.events) })
}

// stepX is where a step's marker is.
func (p *panel) stepX(st step) int {
	if st.at >= len(p.md.events) {
		return x0 + len(p.md.events)*p.dx + p.afterW()/2
	}
	return p.cx(st.at)
}

// storyY is the top of the story band; top the top of the axis.
func (p *panel) storyY() int {
	y := titleH
	if p.part >= 0 {
		y += partH
	}
	return y
}

func (p *panel) top() int { return p.storyY() + p.storyH + axisH }

// stepColor is the color of a step's marker.
func (p *panel) stepColor(st step) string {
	switch {
	case p.equal:
		return "#6c757d"
	case st.g == gNew:
		return "#d00000"
	case st.g != gNone:
		return "#b07d00"
	}
	return "#5a189a"
}

// drawSteps draws the story band: a numbered badge and label per step,
// and a line down to the event it marks.
func (p *panel) drawSteps(s *svg) {
	md := p.md
	if p.after() {
		x := x0 + len(md.events)*p.dx
		s.f("<rect class=\"after\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"><title>after the threads: the drain runs each P's timers the way the scheduler's paths would</title></rect>\n",
			x+2, p.top()-axisH, p.afterW()-2, p.height-p.top()+axisH)
		s.f("<text class=\"axis\" x=\"%d\" y=\"%d\">after</text>\n", x+p.afterW()/2, p.top()-axisH+11)
	}
	for k, st := range p.steps {
		x, col := p.stepX(st), p.stepColor(st)
		y := p.storyY() + p.stepRow[k]*stepRowH + stepRowH/2 + 2
		bot := p.height - laneGap
		if st.m >= 0 {
			bot = p.laneY[st.m] + stripY + stripH + 2
		}
		width := "1.5"
		if st.g == gNew && !p.equal {
			width = "2.5"
		}
		s.f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\" stroke-dasharray=\"3 2\"/>\n", x, y, x, bot, col, width)
		if st.m >= 0 && st.at < len(md.events) {
			s.f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n",
				x0+st.at*p.dx, p.laneY[st.m]+stripY-2, p.dx, stripH+4, col)
		}
		title := fmt.Sprintf("(%d) %s", k+1, st.label)
		if st.at < len(md.events) {
			title = fmt.Sprintf("(%d) #%d M%d %s — %s", k+1, st.at, st.m, st.label, md.events[st.at].What)
		}
		s.f("<g class=\"step\" data-step=\"%d\" data-group=\"%d\"><title>%s</title>", k+1, st.g, esc(title))
		s.f("<circle cx=\"%d\" cy=\"%d\" r=\"7\" fill=\"%s\"/><text class=\"stepnum\" x=\"%d\" y=\"%d\">%d</text>", x, y, col, x, y+3, k+1)
		if p.stepLeft[k] {
			s.f("<text class=\"steplabel\" x=\"%d\" y=\"%d\" fill=\"%s\" text-anchor=\"end\">%s</text></g>\n", x-10, y+4, col, esc(st.label))
		} else {
			s.f("<text class=\"steplabel\" x=\"%d\" y=\"%d\" fill=\"%s\">%s</text></g>\n", x+10, y+4, col, esc(st.label))
		}
	}
}

func (p *panel) laneH(m int) int { return bandY + max(1, len(p.slots[m]))*slotH + laneGap }

func (p *panel) stripMid(m int) int { return p.laneY[m] + stripY + stripH/2 }

// draw writes the panel with its top at y; width is the SVG's.
func (p *panel) draw(s *svg, y, width int) {
	md := p.md
	s.f("<g transform=\"translate(0,%d)\">\n", y)
	s.f("<text class=\"ptitle\" x=\"8\" y=\"17\">%s: %s", esc(p.name), esc(md.counts()))
	for _, c := range md.tr.LockCycles {
		s.f("<tspan class=\"cycle\"> · lock cycle %s</tspan>", esc(c))
	}
	if md.tr.Err != "" {
		s.f("<tspan class=\"cycle\"> · threads refused: %s</tspan>", esc(md.tr.Err))
	}
	s.f("</text>\n")
	ay := p.top() - axisH
	// The axis and its grid.
	for j := 0; j <= len(md.events); j += 5 {
		x := x0 + j*p.dx
		if j%10 == 0 {
			s.f("<text class=\"axis\" x=\"%d\" y=\"%d\">%d</text>\n", x, ay+11, j)
			s.f("<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", x, ay+13, x, p.height)
		} else {
			s.f("<line class=\"tick5\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", x, ay+10, x, ay+15)
		}
	}
	for m := 0; m < md.nm; m++ {
		p.lane(s, m, width)
	}
	p.drawIdle(s, width)
	p.switches(s)
	p.drawSteps(s)
	if p.part >= 0 && p.part < len(md.events) {
		e := md.events[p.part]
		ly := p.laneY[e.M]
		s.f("<rect class=\"partcell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"><title>%s</title></rect>\n",
			x0+p.part*p.dx, ly+stripY-3, p.dx, stripH+6, esc(fmt.Sprintf("%s parts here: #%d M%d %s", p.name, e.i, e.M, e.What)))
	}
	if p.part >= 0 {
		s.f("<text class=\"partlabel\" x=\"%d\" y=\"%d\">%s</text>\n", x0+p.part*p.dx+4, titleH+12, esc(p.partText()))
	}
	s.f("</g>\n")
}

// partText names the parting event of this version.
func (p *panel) partText() string {
	if p.part >= len(p.md.events) {
		return fmt.Sprintf("%s: #%d (its log ends here)", p.name, p.part)
	}
	e := p.md.events[p.part]
	return fmt.Sprintf("%s: #%d M%d %s", p.name, e.i, e.M, e.What)
}

// lane draws M m's swim lane: label, states, calls, held locks, ticks.
func (p *panel) lane(s *svg, m, width int) {
	md := p.md
	y := p.laneY[m]
	s.f("<line class=\"lanesep\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", y, width, y)
	s.f("<text class=\"lanelabel\" x=\"8\" y=\"%d\">%s</text>\n", y+stripY+11, esc(md.mName(m)))

	// States, run-length encoded over the events.
	for j := 0; j < len(md.events); {
		st := md.states[j][m]
		k := j
		for k < len(md.events) && md.states[k][m] == st {
			k++
		}
		if fill, ok := stateFill[st]; ok {
			s.f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>M%d %s, events %d..%d</title></rect>\n",
				x0+j*p.dx, y+stripY, (k-j)*p.dx, stripH, fill, m, stateName(st), j, k-1)
		}
		j = k
	}

	// Calls.
	for _, c := range md.calls {
		if c.m != m {
			continue
		}
		x, w := x0+c.first*p.dx, (c.last-c.first+1)*p.dx
		text := c.label
		if c.result != "" {
			text += " → " + c.result
		}
		s.f("<rect class=\"call\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"%s\"><title>%s</title></rect>\n",
			x, y+boxY, w, boxH, callFill[m%len(callFill)], callStroke[m%len(callStroke)],
			esc(fmt.Sprintf("%s (events %d..%d)", text, c.first, c.last)))
		if label := fit(text, float64(w-6)); label != "" {
			s.f("<text class=\"calllabel\" x=\"%d\" y=\"%d\">%s</text>\n", x+3, y+boxY+13, esc(label))
		}
	}

	// Held locks: one band per lock.
	for _, ls := range md.locks[m] {
		slot := slices.Index(p.slots[m], ls.lock)
		by := y + bandY + slot*slotH
		class := lockClass(ls.lock)
		x, w := x0+ls.from*p.dx+p.dx/2, (ls.to-ls.from)*p.dx
		if ls.to == len(md.events) {
			w = (ls.to-ls.from)*p.dx - p.dx/2 // held to the end
		}
		w = max(w, 2)
		s.f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\" fill=\"%s\"><title>M%d holds %s (%s lock), events %d..%d</title></rect>\n",
			x, by, w, slotH-2, classColor[class], m, esc(ls.lock), class, ls.from, ls.to)
		p.bandLabel(s, ls, x, w, by, class)
	}

	// Ticks: one per event of this M.
	for _, e := range md.events {
		if e.M != m || e.kind == kSwitch {
			continue
		}
		p.tick(s, e, y)
	}
}

// bandLabel names a held-lock band: inside it if the name fits, else just
// after it if the lane is free there, else shortened inside it.
func (p *panel) bandLabel(s *svg, ls lockSpan, x, w, by int, class string) {
	need := int(bandCharW*float64(len(ls.lock))) + 6
	if need <= w {
		s.f("<text class=\"locklabel\" x=\"%d\" y=\"%d\">%s</text>\n", x+3, by+9, esc(ls.lock))
		return
	}
	free := true // no later band in this slot within reach
	for _, o := range p.md.locks[ls.m] {
		if o.lock == ls.lock && o.from > ls.from && x0+o.from*p.dx+p.dx/2 < x+w+need {
			free = false
		}
	}
	if free {
		s.f("<text class=\"locklabel-out\" x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>\n", x+w+3, by+9, classColor[class], esc(ls.lock))
		return
	}
	if label := fitW(ls.lock, float64(w-4), bandCharW); label != "" {
		s.f("<text class=\"locklabel\" x=\"%d\" y=\"%d\">%s</text>\n", x+3, by+9, esc(label))
	}
}

// tick draws one event in its M's strip.
func (p *panel) tick(s *svg, e event, y int) {
	x, top, bot := p.cx(e.i), y+stripY, y+stripY+stripH
	title := fmt.Sprintf("#%d M%d %s — %s", e.i, e.M, e.What, heldString(e.M, p.held[e.i]))
	switch e.kind {
	case kLoad:
		s.f("<line class=\"t-load\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"><title>%s</title></line>\n", x, top+stripH/2, x, bot, esc(title))
	case kWrite:
		s.f("<line class=\"t-write\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"><title>%s</title></line>\n", x, top+1, x, bot-1, esc(title))
	case kLock, kUnlock:
		s.f("<rect class=\"t-lock\" x=\"%d\" y=\"%d\" width=\"6\" height=\"%d\"><title>%s</title></rect>\n", x-3, top+2, stripH-4, esc(title))
	case kAcquired:
		s.f("<path d=\"M%d %d l5 8 h-10 z\" fill=\"%s\"><title>%s</title></path>\n", x, top+3, classColor[lockClass(e.lock)], esc(title))
	case kReleased:
		s.f("<path d=\"M%d %d l5 -8 h-10 z\" fill=\"%s\" fill-opacity=\"0.45\" stroke=\"%s\"><title>%s</title></path>\n", x, bot-3, classColor[lockClass(e.lock)], classColor[lockClass(e.lock)], esc(title))
	case kOsyield:
		s.f("<circle class=\"t-osyield\" cx=\"%d\" cy=\"%d\" r=\"4\"><title>%s</title></circle>\n", x, top+stripH/2, esc(title))
	case kMigrate:
		s.f("<path d=\"M%d %d l5 6 l-5 6 l-5 -6 z\" fill=\"#7b1fa2\"><title>%s</title></path>\n", x, top, esc(title))
		arrow := "→"
		if !e.moved {
			arrow = "↺"
		}
		s.f("<text class=\"locklabel-out\" x=\"%d\" y=\"%d\" fill=\"#7b1fa2\">%sP%d</text>\n", x+6, top-2, arrow, e.to)
	case kNoRescue:
		s.f("<path d=\"M%d %d l8 8 m0 -8 l-8 8\" stroke=\"#b5179e\" stroke-width=\"2.5\"><title>%s</title></path>\n", x-4, top+3, esc(title))
	default:
		s.f("<line class=\"t-prim\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"><title>%s</title></line>\n", x, top+3, x, top+stripH/2, esc(title))
	}
}

// switches draws an arrow for each switch from the M that stopped to the
// one that runs next, and a gray one where the token moved without a
// recorded switch (the M before had ended).
func (p *panel) switches(s *svg) {
	md := p.md
	for j, e := range md.events {
		switch {
		case e.kind == kSwitch:
			p.arrow(s, e.why, p.cx(j), e.M, e.to, fmt.Sprintf("#%d %s", j, e.What))
		case j > 0 && md.events[j-1].kind != kSwitch && md.events[j-1].M != e.M:
			prev := md.events[j-1].M
			p.arrow(s, sReady, x0+j*p.dx, prev, e.M, fmt.Sprintf("before #%d: M%d ended, M%d runs", j, prev, e.M))
		}
	}
}

func (p *panel) arrow(s *svg, why state, x, from, to int, title string) {
	y1, y2 := p.stripMid(from), p.stripMid(to)
	if y2 > y1 {
		y2 -= stripH/2 + 1
	} else {
		y2 += stripH/2 + 1
	}
	dash := ""
	if d := whyDash[why]; d != "" {
		dash = fmt.Sprintf(" stroke-dasharray=\"%s\"", d)
	}
	s.f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s marker-end=\"url(#arrow-%s)\"><title>%s</title></line>\n",
		x, y1, x, y2, whyColor[why], dash, whyName[why], esc(title))
	s.f("<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"/>\n", x, y1, whyColor[why])
}

func stateName(s state) string {
	switch s {
	case sRunning:
		return "running"
	case sPreempted:
		return "preempted, waiting to run"
	case sReady:
		return "waiting to run"
	case sBlocked:
		return "blocked in lock"
	case sSpinning:
		return "spinning in osyield"
	case sNotStarted:
		return "not started"
	}
	return "done"
}

// fit shortens text to fit w pixels of 11px monospace, or returns "" if
// not even a few characters fit.
func fit(text string, w float64) string { return fitW(text, w, charW) }

// fitW is fit for characters cw pixels wide.
func fitW(text string, w, cw float64) string {
	n := int(w / cw)
	r := []rune(text)
	switch {
	case len(r) <= n:
		return text
	case n < 4:
		return ""
	}
	return string(r[:n-1]) + "…"
}

// defs are the patterns and arrowheads the panels use.
func defs(s *svg) {
	s.f("<defs>\n")
	s.f("<pattern id=\"hatch-blocked\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f8d7da\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#6a040f\" stroke-width=\"2\"/></pattern>\n")
	s.f("<pattern id=\"hatch-spinning\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\"><rect width=\"6\" height=\"6\" fill=\"#efe3fa\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#7b2cbf\" stroke-width=\"2\"/></pattern>\n")
	for _, why := range []state{sPreempted, sBlocked, sSpinning, sReady} {
		s.f("<marker id=\"arrow-%s\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"%s\"/></marker>\n",
			whyName[why], whyColor[why])
	}
	s.f("</defs>\n")
}
