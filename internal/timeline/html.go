package timeline

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/run"
)

// HTML writes one self-contained page (inline CSS and SVG, no scripts, no
// external assets) showing old and new as swim-lane timelines one above
// the other on one time axis. It opens with the verdict v (nil: none) and
// the steps of each run that make it, marked in the panels; where the
// versions part is marked unless the runs are equal. Either trace may be
// nil, for a page of one version.
func HTML(w io.Writer, old, nw *run.ConcTrace, v *Verdict, title string) error {
	ew := &errWriter{w: w}
	writeHTML(ew, old, nw, v, title)
	return ew.err
}

func writeHTML(w *errWriter, old, nw *run.ConcTrace, v *Verdict, title string) {
	var traces []*run.ConcTrace
	var names []string
	for i, tr := range []*run.ConcTrace{old, nw} {
		if tr != nil {
			traces = append(traces, tr)
			names = append(names, []string{"old", "new"}[i])
		}
	}
	equal := equalRun(old, nw, v)
	logPart := -1
	if old != nil && nw != nil {
		logPart = Part(old.Events, nw.Events)
	}
	part := logPart
	if v != nil && sameOutcome(old, nw) && len(v.New) == 0 {
		part = -1 // the same outcome: where the logs part is no alarm
	}
	var models []*model
	var steps [][]step
	for _, tr := range traces {
		md := newModel(tr)
		models = append(models, md)
		st := md.steps(v)
		if equal {
			for k := range st {
				st[k].g = gNone
			}
		}
		steps = append(steps, st)
	}

	w.printf("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	w.printf("<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n", esc(title), css)
	w.printf("<h1>%s</h1>\n", esc(title))
	writeVerdict(w, old, nw, v, equal, logPart)
	for i, md := range models {
		writeSteps(w, names[i], md, steps[i])
	}
	switch {
	case part >= 0:
		w.printf("<p class=\"partnote\">%s</p>\n", partSentence(old, nw, part))
	case logPart >= 0 && !equal:
		w.printf("<p class=\"partnote\">The versions' event logs differ from event #%d on, but their calls' results are the same and the nw version shows no problem of its own: nothing marks it.</p>\n", logPart)
	}
	anySteps := false
	for _, st := range steps {
		anySteps = anySteps || len(st) > 0
	}
	w.printf("%s", legend(models, part >= 0, equal, anySteps))

	// The panels, in one SVG so that they share the time axis.
	var panels []*panel
	width, height := 0, 0
	n := 0
	for _, md := range models {
		n = max(n, len(md.events))
	}
	for i, md := range models {
		p := newPanel(md, names[i], part, steps[i], equal, eventW(n))
		panels = append(panels, p)
		width = max(width, p.width)
		if i > 0 {
			height += panelGap
		}
		height += p.height
	}
	if part >= 0 {
		// Room for the label of the last panel's parting point.
		width = max(width, x0+part*panels[0].dx+40+int(charW*float64(len(panels[len(panels)-1].partText()))))
	}
	var s svg
	// The picture takes the page's width (scaled), but not below 3/4 of
	// its own size: a long run scrolls.
	s.f("<div class=\"scroll\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%%\" viewBox=\"0 0 %d %d\" style=\"min-width:%dpx\" role=\"img\" aria-label=\"%s\">\n",
		width, height, width*3/4, esc("per-M timelines: "+strings.Join(names, " above ")))
	defs(&s)
	y := 0
	for i, p := range panels {
		if i > 0 {
			y += panelGap
			s.f("<line class=\"panelsep\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", y-panelGap/2, width, y-panelGap/2)
		}
		p.draw(&s, y, width)
		y += p.height
	}
	if part >= 0 {
		x := x0 + part*panels[0].dx
		s.f("<line class=\"part\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"><title>the versions part at event #%d</title></line>\n", x, titleH, x, height, part)
	}
	s.f("</svg>\n</div>\n")
	w.printf("%s", s.String())

	writeProgram(w, traces[0])
	writeOutcomes(w, old, nw)
	for i, tr := range traces {
		var b strings.Builder
		if err := Text(&b, tr, v); err != nil {
			panic(err) // a strings.Builder does not fail
		}
		w.printf("<details><summary>%s as text</summary>\n<pre>%s</pre>\n</details>\n", names[i], esc(b.String()))
	}
	w.printf("</body>\n</html>\n")
}

// writeVerdict opens the page with the judge's verdict, grouped.
func writeVerdict(w *errWriter, old, new *run.ConcTrace, v *Verdict, equal bool, logPart int) {
	if v == nil {
		return
	}
	groups, summary := verdictGroups(old, new, v)
	class := "verdict"
	switch {
	case equal:
		class += " same"
		if logPart >= 0 {
			summary += fmt.Sprintf(" Their event logs differ from event #%d on (the two modtimers synchronize differently), which is expected.", logPart)
		}
	case len(v.New) == 0:
		class += " calm"
	}
	w.printf("<div class=\"%s\" id=\"verdict\">\n<p class=\"summary\"><b>Verdict.</b> %s</p>\n", class, esc(summary))
	for _, g := range groups {
		w.printf("<div class=\"group g%d\"><b>%s</b> (%d)<ul>\n", g.g, esc(strings.ToUpper(g.heading[:1])+g.heading[1:]), len(g.problems))
		for _, p := range g.problems {
			cause := ""
			if !p.Sig.Where.IsZero() {
				cause = "<br><span class=\"cause\">cause: " + esc(p.Sig.String()) + "</span>"
			}
			w.printf("<li><span class=\"kind\">%s</span>: %s%s</li>\n", esc(string(p.Kind)), esc(p.Text), cause)
		}
		w.printf("</ul></div>\n")
	}
	w.printf("</div>\n")
}

// writeSteps lists the marked steps of one version's run.
func writeSteps(w *errWriter, name string, md *model, steps []step) {
	if len(steps) == 0 {
		return
	}
	w.printf("<div class=\"steps\"><b>How the %s version gets there</b> (numbered on its timeline below):<ol>\n", name)
	for _, st := range steps {
		at := "after the threads"
		if st.at < len(md.events) {
			at = fmt.Sprintf("#%d %s", st.at, md.mName(st.m))
		}
		w.printf("<li class=\"g%d\"><span class=\"at\">%s</span> %s</li>\n", st.g, esc(at), esc(st.label))
	}
	w.printf("</ol></div>\n")
}

// partSentence says where the versions part, in HTML.
func partSentence(old, nw *run.ConcTrace, part int) string {
	if part < 0 {
		return "The two versions' event streams are identical under this schedule."
	}
	at := func(tr *run.ConcTrace) string {
		if part >= len(tr.Events) {
			return "its log has ended"
		}
		e := tr.Events[part]
		return fmt.Sprintf("M%d <code>%s</code>", e.M, esc(e.What))
	}
	return fmt.Sprintf("The versions part at event <b>#%d</b> (the <span class=\"partkey\">pink line</span>): "+
		"old %s, new %s. Before it both logs are the same event for event; after it the chooser sees different runs.",
		part, at(old), at(nw))
}

func writeProgram(w *errWriter, tr *run.ConcTrace) {
	w.printf("<h2>Program</h2>\n<pre class=\"program\">")
	for i := range tr.Setup {
		w.printf("setup   %s\n", esc(tr.Setup[i].Call.String()))
	}
	md := newModel(tr)
	for m, th := range tr.Threads {
		for k := range th {
			lead := strings.Repeat(" ", len(md.mName(m))+2)
			if k == 0 {
				lead = md.mName(m) + ": "
			}
			w.printf("%s%s\n", lead, esc(th[k].Call.String()))
		}
	}
	if tr.Err != "" {
		w.printf("threads refused: %s\n", esc(tr.Err))
	}
	w.printf("</pre>\n")
}

// writeOutcomes tabulates each thread call's outcome in both versions.
func writeOutcomes(w *errWriter, old, nw *run.ConcTrace) {
	w.printf("<h2>Outcomes</h2>\n<table>\n<tr><th>M</th><th>call</th>")
	trs := []*run.ConcTrace{old, nw}
	for i, tr := range trs {
		if tr != nil {
			w.printf("<th>%s</th>", []string{"old", "new"}[i])
		}
	}
	w.printf("</tr>\n")
	n := 0
	for _, tr := range trs {
		if tr != nil {
			n = max(n, len(tr.Threads))
		}
	}
	for m := range n {
		for k := 0; ; k++ {
			var call string
			var res []string
			for _, tr := range trs {
				switch {
				case tr == nil:
					continue
				case m < len(tr.Threads) && k < len(tr.Threads[m]):
					st := &tr.Threads[m][k]
					call = st.Call.String()
					res = append(res, result(st))
				default:
					res = append(res, "not started")
				}
			}
			if call == "" {
				break
			}
			class := ""
			if len(res) == 2 && res[0] != res[1] {
				class = " class=\"differ\""
			}
			w.printf("<tr%s><td>M%d</td><td><code>%s</code></td>", class, m, esc(call))
			for _, r := range res {
				w.printf("<td>%s</td>", esc(r))
			}
			w.printf("</tr>\n")
		}
	}
	w.printf("</table>\n")
}

const css = `body { font: 14px/1.4 system-ui, sans-serif; margin: 12px 16px; color: #212529; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 18px 0 6px; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
pre.program { background: #f8f9fa; padding: 8px; border: 1px solid #dee2e6; }
.verdict { background: #fff5f5; border-left: 6px solid #d00000; padding: 6px 12px; margin: 8px 0; }
.verdict.same { background: #ebfbee; border-left-color: #2b8a3e; }
.verdict.calm { background: #f8f9fa; border-left-color: #868e96; }
.verdict .summary { font-size: 16px; margin: 4px 0; }
.verdict ul { margin: 2px 0 6px; padding-left: 22px; }
.verdict .cause { color: #495057; font-family: monospace; }
.group.g1 > b { color: #d00000; }
.group.g2 > b, .group.g3 > b { color: #8a6100; }
.kind { font-weight: bold; }
.steps { margin: 8px 0; }
.steps ol { margin: 2px 0; padding-left: 26px; }
.steps li.g1 { color: #d00000; font-weight: bold; }
.steps li.g2, .steps li.g3 { color: #8a6100; }
.steps .at { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; color: #495057; }
.partnote { font-size: 12px; color: #495057; }
.partkey { color: #ff006e; font-weight: bold; }
.scroll { overflow-x: auto; border: 1px solid #dee2e6; }
svg text { font-family: ui-monospace, Menlo, Consolas, monospace; }
.ptitle { font-size: 13px; font-weight: bold; fill: #212529; }
.axis { font-size: 9px; fill: #868e96; text-anchor: middle; }
.grid { stroke: #e9ecef; stroke-width: 1; }
.tick5 { stroke: #ced4da; stroke-width: 1; }
.lanesep { stroke: #ced4da; stroke-width: 1; }
.panelsep { stroke: #495057; stroke-width: 1; stroke-dasharray: 6 3; }
.lanelabel { font-size: 12px; font-weight: bold; fill: #343a40; }
.call { stroke-width: 1; }
.calllabel { font-size: 11px; fill: #212529; }
.locklabel { font-size: 9px; fill: #ffffff; }
.locklabel-out { font-size: 9px; font-weight: bold; }
.cycle { fill: #c1121f; }
.t-load { stroke: #868e96; stroke-width: 2; }
.t-write { stroke: #1d3557; stroke-width: 3; }
.t-lock { fill: #f4a261; stroke: #9c4a1a; stroke-width: 1; }
.t-osyield { fill: #7b2cbf; }
.t-prim { stroke: #adb5bd; stroke-width: 2; }
.part { stroke: #ff006e; stroke-width: 2; stroke-dasharray: 5 3; }
.partcell { fill: none; stroke: #ff006e; stroke-width: 2; }
.partlabel { font-size: 11px; font-weight: bold; fill: #ff006e; }
.steplabel { font-size: 11px; font-weight: bold; paint-order: stroke; stroke: #ffffff; stroke-width: 4px; stroke-linejoin: round; }
.stepnum { font-size: 10px; font-weight: bold; fill: #ffffff; text-anchor: middle; }
.after { fill: #fff0f0; }
.idlelabel { font-size: 10px; font-weight: bold; fill: #343a40; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 8px 0; font-size: 12px; }
.legend span.sw { display: inline-block; width: 14px; height: 10px; vertical-align: middle; margin-right: 4px; border: 1px solid #adb5bd; }
table { border-collapse: collapse; font-size: 12px; }
td, th { border: 1px solid #dee2e6; padding: 3px 8px; text-align: left; vertical-align: top; }
tr.differ td { background: #fff0f6; }
details { margin-top: 10px; }
`

// legend explains what the panels draw, listing only what they hold.
func legend(models []*model, part, equal, steps bool) string {
	has := map[string]bool{}
	var moves []string
	for _, md := range models {
		for j, e := range md.events {
			for _, st := range md.states[j] {
				has[fmt.Sprint("state", st)] = true
			}
			has[fmt.Sprint("kind", e.kind)] = true
			if e.kind == kSwitch {
				has[fmt.Sprint("why", e.why)] = true
			}
			if j > 0 && e.kind != kSwitch && md.events[j-1].kind != kSwitch && md.events[j-1].M != e.M {
				has[fmt.Sprint("why", sReady)] = true
			}
			if e.kind == kMigrate {
				var m string
				if e.moved {
					m = fmt.Sprintf("<span><b style=\"color:#7b1fa2\">&#9670; →P%d</b> M%d's goroutine is preempted and resumes on P%d (its old P goes idle)</span>", e.to, e.M, e.to)
				} else {
					m = fmt.Sprintf("<span><b style=\"color:#7b1fa2\">&#9670; ↺P%d</b> M%d's goroutine is preempted; its M runs the scheduler on P%d, then resumes it</span>", e.to, e.M, e.to)
				}
				if !slices.Contains(moves, m) {
					moves = append(moves, m)
				}
			}
		}
		for _, ls := range md.locks {
			for _, l := range ls {
				has["class"+lockClass(l.lock)] = true
			}
		}
	}
	var b strings.Builder
	b.WriteString("<div class=\"legend\">\n")
	item := func(key, html string) {
		if key == "" || has[key] {
			b.WriteString(html + "\n")
		}
	}
	item("", `<span><span class="sw" style="background:#dbe9f6"></span>call (box from its first to its last event)</span>`)
	item(fmt.Sprint("state", sRunning), `<span><span class="sw" style="background:#e3f6e5"></span>M running</span>`)
	if has[fmt.Sprint("state", sPreempted)] || has[fmt.Sprint("state", sReady)] {
		b.WriteString(`<span><span class="sw" style="background:#eceff1"></span>M waiting to run</span>` + "\n")
	}
	item(fmt.Sprint("state", sBlocked), `<span><span class="sw" style="background:repeating-linear-gradient(45deg,#6a040f 0 2px,#f8d7da 2px 5px)"></span>M blocked in lock</span>`)
	item(fmt.Sprint("state", sSpinning), `<span><span class="sw" style="background:repeating-linear-gradient(-45deg,#7b2cbf 0 2px,#efe3fa 2px 5px)"></span>M spinning in osyield</span>`)
	item("class"+classTimer, `<span><span class="sw" style="background:#2a9d8f"></span>holds a timer's lock (status timerLocked)</span>`)
	item("class"+classTimers, `<span><span class="sw" style="background:#e76f51"></span>holds a P's timersLock</span>`)
	item("class"+classOther, `<span><span class="sw" style="background:#8d99ae"></span>holds another lock</span>`)
	var ticks []string
	for _, t := range []struct {
		k    kind
		html string
	}{
		{kLoad, `<b style="color:#868e96">|</b> load`},
		{kWrite, `<b style="color:#1d3557">|</b> store/CAS/add`},
		{kLock, `<b style="color:#f4a261">&#9646;</b> lock()/unlock()`},
		{kAcquired, `&#9650; acquired`},
		{kReleased, `&#9661; released`},
		{kPrim, `<b style="color:#adb5bd">&#697;</b> acquirem/releasem`},
		{kOsyield, `<b style="color:#7b2cbf">&#9679;</b> osyield`},
		{kNoRescue, `<b style="color:#b5179e">&#10005;</b> wakep starts no M (another M is spinning)`},
	} {
		if has[fmt.Sprint("kind", t.k)] || t.k == kUnlock && has[fmt.Sprint("kind", kUnlock)] {
			ticks = append(ticks, t.html)
		}
	}
	if len(ticks) > 0 {
		b.WriteString("<span>ticks: " + strings.Join(ticks, ", ") + "</span>\n")
	}
	for _, m := range moves {
		b.WriteString(m + "\n")
	}
	var arrows []string
	for _, a := range []struct {
		why  state
		html string
	}{
		{sPreempted, `<b style="color:#d62828">&#8675;</b> M descheduled while runnable`},
		{sBlocked, `<b style="color:#6a040f">&#8595;</b> blocked`},
		{sSpinning, `<b style="color:#7b2cbf">&#8595;</b> spinning`},
		{sReady, `<b style="color:#868e96">&#8595;</b> M ended`},
	} {
		if has[fmt.Sprint("why", a.why)] {
			arrows = append(arrows, a.html)
		}
	}
	if len(arrows) > 0 {
		b.WriteString("<span>switches between Ms: " + strings.Join(arrows, ", ") + "</span>\n")
	}
	switch {
	case !steps:
	case equal:
		b.WriteString(`<span><b style="color:#6c757d">&#9312;</b> marked steps (nothing alarming: the runs are equal)</span>` + "\n")
	default:
		b.WriteString(`<span><b style="color:#d00000">&#9312;</b> a step showing a problem of the new version alone, <b style="color:#b07d00">&#9312;</b> of both or of the old one, <b style="color:#5a189a">&#9312;</b> a step leading to it</span>` + "\n")
	}
	if part {
		b.WriteString(`<span><b style="color:#ff006e">&#166;</b> where the versions' logs part</span>` + "\n")
	}
	b.WriteString("</div>\n")
	return b.String()
}
