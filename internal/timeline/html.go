package timeline

import (
	"fmt"
	"io"
	"strings"

	"github.com/timerdiff/timerdiff/internal/run"
)

// HTML writes one self-contained page (inline CSS and SVG, no scripts, no
// external assets) showing old and new as swim-lane timelines one above
// the other on one time axis, with the point where they part marked.
// Either trace may be nil, for a page of one version.
func HTML(w io.Writer, old, nw *run.ConcTrace, title string) error {
	ew := &errWriter{w: w}
	writeHTML(ew, old, nw, title)
	return ew.err
}

func writeHTML(w *errWriter, old, nw *run.ConcTrace, title string) {
	var traces []*run.ConcTrace
	var names []string
	for i, tr := range []*run.ConcTrace{old, nw} {
		if tr != nil {
			traces = append(traces, tr)
			names = append(names, []string{"old", "new"}[i])
		}
	}
	part := -1
	if old != nil && nw != nil {
		part = Part(old.Events, nw.Events)
	}

	w.printf("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	w.printf("<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n", esc(title), css)
	w.printf("<h1>%s</h1>\n", esc(title))
	if old != nil && nw != nil {
		w.printf("<p class=\"verdict\">%s</p>\n", partSentence(old, nw, part))
	}
	writeProgram(w, traces[0])
	w.printf("%s", legend)

	// The panels, in one SVG so that they share the time axis.
	var panels []*panel
	width, height := 0, 0
	for i, tr := range traces {
		md := newModel(tr)
		p := newPanel(md, names[i], part)
		panels = append(panels, p)
		width = max(width, x0+len(md.events)*dx+40)
		if i > 0 {
			height += panelGap
		}
		height += p.height
	}
	if part >= 0 {
		// Room for the label of the last panel's parting point.
		width = max(width, x0+part*dx+40+int(charW*float64(len(panels[len(panels)-1].partText()))))
	}
	var s svg
	s.f("<div class=\"scroll\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n",
		width, height, width, height, esc("per-M timelines: "+strings.Join(names, " above ")))
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
		x := x0 + part*dx
		s.f("<line class=\"part\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"><title>the versions part at event #%d</title></line>\n", x, titleH, x, height, part)
	}
	s.f("</svg>\n</div>\n")
	w.printf("%s", s.String())

	writeOutcomes(w, old, nw)
	for i, tr := range traces {
		var b strings.Builder
		if err := Text(&b, tr); err != nil {
			panic(err) // a strings.Builder does not fail
		}
		w.printf("<details><summary>%s as text</summary>\n<pre>%s</pre>\n</details>\n", names[i], esc(b.String()))
	}
	w.printf("</body>\n</html>\n")
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

const css = `body { font: 14px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #212529; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 18px 0 6px; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
pre.program { background: #f8f9fa; padding: 8px; border: 1px solid #dee2e6; }
.verdict { background: #fff0f6; border-left: 4px solid #ff006e; padding: 6px 10px; }
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
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 8px 0; font-size: 12px; }
.legend span.sw { display: inline-block; width: 14px; height: 10px; vertical-align: middle; margin-right: 4px; border: 1px solid #adb5bd; }
table { border-collapse: collapse; font-size: 12px; }
td, th { border: 1px solid #dee2e6; padding: 3px 8px; text-align: left; vertical-align: top; }
tr.differ td { background: #fff0f6; }
details { margin-top: 10px; }
`

const legend = `<div class="legend">
<span><span class="sw" style="background:#dbe9f6"></span>call (box from its first to its last event)</span>
<span><span class="sw" style="background:#e3f6e5"></span>M running</span>
<span><span class="sw" style="background:#eceff1"></span>M waiting to run</span>
<span><span class="sw" style="background:repeating-linear-gradient(45deg,#6a040f 0 2px,#f8d7da 2px 5px)"></span>M blocked in lock</span>
<span><span class="sw" style="background:repeating-linear-gradient(-45deg,#7b2cbf 0 2px,#efe3fa 2px 5px)"></span>M spinning in osyield</span>
<span><span class="sw" style="background:#2a9d8f"></span>holds a timer's lock (status timerLocked)</span>
<span><span class="sw" style="background:#e76f51"></span>holds a P's timersLock</span>
<span><span class="sw" style="background:#8d99ae"></span>holds another lock</span>
<span>ticks: <b style="color:#868e96">|</b> load, <b style="color:#1d3557">|</b> store/CAS/add, <b style="color:#f4a261">&#9646;</b> lock()/unlock(), &#9650; acquired, &#9661; released, <b style="color:#adb5bd">&#697;</b> acquirem/releasem, <b style="color:#7b2cbf">&#9679;</b> osyield, <b style="color:#7b1fa2">&#9670; →P2</b> the goroutine is preempted and resumes on P2</span>
<span>arrows: <b style="color:#d62828">&#8675;</b> preempted, <b style="color:#6a040f">&#8595;</b> blocked, <b style="color:#7b2cbf">&#8595;</b> spinning, <b style="color:#868e96">&#8595;</b> M ended</span>
</div>
`
