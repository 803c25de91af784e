package timeline

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// every is a chooser that lets the running M take k scheduling points,
// then passes to the next runnable M in ID order.
type every struct{ k, n int }

func (e *every) Choose(run []*sim.M, cur int) int {
	e.n++
	switch {
	case cur < 0:
		return 0
	case e.n%e.k != 0:
		return cur
	}
	return (cur + 1) % len(run)
}

// example is the program of the golden files: P0 starts and stops t0
// while P1 runs P0's timers, t1 being due.
//
//	setup   P0: t1.startTimer(when=101, period=0, f=fire(a0), seq=0)
//	setup   advance(5)
//	M0:     P0: t0.startTimer(when=103, period=0, f=fire(a0), seq=0)
//	        P0: t0.stopTimer()
//	M1:     P1: checkTimers(P0)
func example(impl port.Impl) *run.ConcTrace {
	setup := []port.Call{
		{Kind: port.StartTimer, On: 0, T: 1, When: 101},
		{Kind: port.Advance, When: 5},
	}
	threads := []port.Thread{
		{P: 0, Calls: []port.Call{
			{Kind: port.StartTimer, On: 0, T: 0, When: 103},
			{Kind: port.StopTimer, On: 0, T: 0},
		}},
		{P: 1, Calls: []port.Call{{Kind: port.CheckTimers, On: 1, P: 0}}},
	}
	tr := run.Concurrent(impl, port.DefaultConfig, setup, threads, &every{k: 3}, true)
	return &tr
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./internal/timeline -update to accept it):\n%s", path, got)
	}
}

func TestTextGolden(t *testing.T) {
	for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
		t.Run(impl.Name(), func(t *testing.T) {
			var b bytes.Buffer
			if err := Text(&b, example(impl), nil); err != nil {
				t.Fatal(err)
			}
			golden(t, "example."+impl.Name()+".txt", b.Bytes())
		})
	}
}

func TestHTMLGolden(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, example(oldimpl.Impl), example(newimpl.Impl), &Verdict{}, "timerdiff: t0 start/stop on P0 vs checkTimers(P0) on P1"); err != nil {
		t.Fatal(err)
	}
	golden(t, "example.html", b.Bytes())

	// The picture is well-formed XML, and the page needs nothing else.
	page := b.String()
	i, j := strings.Index(page, "<svg"), strings.Index(page, "</svg>")
	if i < 0 || j < 0 {
		t.Fatal("no <svg> in the page")
	}
	d := xml.NewDecoder(strings.NewReader(page[i : j+len("</svg>")]))
	for {
		if _, err := d.Token(); err != nil {
			if err != io.EOF {
				t.Fatalf("the SVG is not well-formed XML: %v", err)
			}
			break
		}
	}
	for _, bad := range []string{"<script", "src=", "href=\"http", "@import"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q: it must be self-contained and need no script", bad)
		}
	}
}

func TestDeterministic(t *testing.T) {
	render := func() string {
		var b bytes.Buffer
		if err := HTML(&b, example(oldimpl.Impl), example(newimpl.Impl), nil, "x"); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if a, b := render(), render(); a != b {
		t.Error("two renderings of the same runs differ")
	}
}

// TestExampleParts pins what the example shows: the versions part when
// the new startTimer, holding t0, loads its status where the old one asks
// for P0.timersLock; the old one then holds t0 while blocked on it.
func TestExampleParts(t *testing.T) {
	old, nw := example(oldimpl.Impl), example(newimpl.Impl)
	p := Part(old.Events, nw.Events)
	// Event 9 of both says t0 was locked from timerRemoved (in no heap).
	if p != 11 {
		t.Fatalf("Part(old, new) = %d, want 11", p)
	}
	if got, want := old.Events[p].What, "lock(P0.timersLock)"; got != want {
		t.Errorf("old event %d = %q, want %q", p, got, want)
	}
	if got, want := nw.Events[p].What, "t0.status.Load"; got != want {
		t.Errorf("new event %d = %q, want %q", p, got, want)
	}
	var b bytes.Buffer
	if err := Text(&b, old, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"t0.status.Load x2",
		"M0 blocked in lock(P0.timersLock), M1 runs",
		"M0 holds t0, P0.timersLock",
		"> P1: checkTimers(P0)",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Text(old) lacks %q", want)
		}
	}
}

func TestPart(t *testing.T) {
	ev := func(s string) []sim.Event {
		var es []sim.Event
		for _, f := range strings.Fields(s) {
			m, what, _ := strings.Cut(f, ":")
			es = append(es, sim.Event{M: int(m[1] - '0'), What: what})
		}
		return es
	}
	for _, tc := range []struct {
		old, nw string
		want    int
	}{
		{"", "", -1},
		{"M0:a M1:b", "M0:a M1:b", -1},
		{"M0:a M1:b", "M0:a M0:b", 1},
		{"M0:a M1:b", "M0:a M1:c", 1},
		{"M0:a", "M0:a M1:b", 1},
		{"M0:a M1:b", "M0:a", 1},
		{"M0:x", "M0:a", 0},
	} {
		if got := Part(ev(tc.old), ev(tc.nw)); got != tc.want {
			t.Errorf("Part(%q, %q) = %d, want %d", tc.old, tc.nw, got, tc.want)
		}
	}
	// Call and Held do not count.
	a := []sim.Event{{M: 0, Call: 2, What: "x", Held: []string{"t0"}}}
	b := []sim.Event{{M: 0, Call: 5, What: "x"}}
	if got := Part(a, b); got != -1 {
		t.Errorf("Part ignoring Call and Held = %d, want -1", got)
	}
}

// TestSynthetic draws a hand-made log with a spin, a run of loads and an
// M that ends and hands over without a switch, and checks every event
// lands in exactly one row.
func TestSynthetic(t *testing.T) {
	tr := &run.ConcTrace{Impl: "synthetic", Threads: [][]run.Step{
		{{Call: port.Call{Kind: port.StopTimer, On: 0, T: 2}, Out: port.Outcome{Steps: 4}}},
		{{Call: port.Call{Kind: port.ResetTimer, On: 1, T: 2, When: 7}, Out: port.Outcome{Steps: 3}}},
	}}
	tr.Events = []sim.Event{
		{M: 0, Call: 0, What: "t2.status.CompareAndSwap"},
		{M: 0, Call: 0, What: "acquired t2", Held: []string{"t2"}},
		{M: 0, Call: 0, What: "switch M0 -> M1 (preempted)", Held: []string{"t2"}},
		{M: 1, Call: 1, What: "t2.status.Load"},
		{M: 1, Call: 1, What: "t2.status.Load"},
		{M: 1, Call: 1, What: "t2.status.Load"},
		{M: 1, Call: 1, What: "osyield"},
		{M: 1, Call: 1, What: "switch M1 -> M0 (spinning)"},
		{M: 0, Call: 0, What: "t2.status.Store", Held: []string{"t2"}},
		{M: 0, Call: 0, What: "released t2"},
		{M: 1, Call: 1, What: "t2.status.Load"},
	}
	var b bytes.Buffer
	if err := Text(&b, tr, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"t2.status.Load x3",
		"~~ M1 spinning in osyield, M0 runs ~~",
		".. M0 finished, M1 runs ..",
		"t2.status.CompareAndSwap +t2",
		"t2.status.Store -t2",
		"> P1: t2.resetTimer(when=7)",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Text lacks %q:\n%s", want, b.String())
		}
	}
	var h bytes.Buffer
	if err := HTML(&h, tr, nil, nil, "one version"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.String(), "url(#hatch-spinning)") {
		t.Error("HTML does not draw the spinning M")
	}
}

type failWriter struct{ n int }

var errFull = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n--; w.n < 0 {
		return 0, errFull
	}
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	tr := example(oldimpl.Impl)
	if err := Text(&failWriter{n: 3}, tr, nil); !errors.Is(err, errFull) {
		t.Errorf("Text on a failing writer = %v, want %v", err, errFull)
	}
	if err := HTML(&failWriter{n: 3}, tr, tr, nil, "x"); !errors.Is(err, errFull) {
		t.Errorf("HTML on a failing writer = %v, want %v", err, errFull)
	}
}

// finding runs the README's finding as difftest replay does, recorded.
func finding(t *testing.T) (*check.ConcResult, *Verdict) {
	t.Helper()
	const path = "../../corpus/findings/modtimer_adds_to_idle_p.ops"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ops.ParseConc(path, src)
	if err != nil {
		t.Fatal(err)
	}
	r := check.ConcPair(check.Old, check.New, p, func() sim.Chooser { return sched.Replay(p.Schedule) }, true)
	if r.OK() {
		t.Fatal("the finding shows no problem of the new version")
	}
	return r, &Verdict{New: r.Problems, Shared: r.Shared, Old: r.Known}
}

// TestFindingStory: the terminal picture of the finding opens with the
// verdict and marks the steps that make it, on their lines.
func TestFindingStory(t *testing.T) {
	r, v := finding(t)
	var b bytes.Buffer
	if err := Text(&b, &r.New, v); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"verdict: The new version alone shows 2 problems",
		"    timer on idle P: t0 in the heap of idle P0",
		"1 goroutine preemption at a safe point (1 resumed on another P: P2)",
		"(1) #9 M0 t0.unlock's releasem: m.locks = 0, the goroutine is preemptible; it has read its P, pp = P0",
		"(2) #11 M0 preempted in the prologue of lock(P0.timersLock), a safe point; it will resume on P2",
		"(3) #22 M2 pidleput(P0): updateTimerPMask clears P0's timerpMask bit",
		"(4) #25 M0 the goroutine resumes on P2 and takes P0.timersLock (pp is still P0)",
		"(5) #37 M0 PROBLEM (new version alone): after unlock(P0.timersLock): t0 in the heap of idle P0",
		"(6) #38 M0 no wakep: another M is spinning in the scheduler, so no M is started to take P0, where t0 waits",
		"(7) after the threads PROBLEM (new version alone): after the threads: t0, due at 101 (now 105)",
		"M2 sched P0", "> pidleput(P0)", "<= (5)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Text lacks %q:\n%s", want, out)
		}
	}
}

// TestEqualRunCalm: a run whose versions reach the same outcome with no
// problem says so and marks nothing as alarming, though its logs part.
func TestEqualRunCalm(t *testing.T) {
	old, new := example(oldimpl.Impl), example(newimpl.Impl)
	if Part(old.Events, new.Events) < 0 {
		t.Fatal("the example's logs do not part")
	}
	var b bytes.Buffer
	if err := HTML(&b, old, new, &Verdict{}, "x"); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if !strings.Contains(page, "Same behaviour") {
		t.Error("the page of an equal run does not say so")
	}
	for _, bad := range []string{`class="part"`, `class="partcell"`, "#d00000\"", `<p class="partnote"`} {
		if strings.Contains(page, bad) {
			t.Errorf("the page of an equal run draws %s", bad)
		}
	}
	// A defect of the old version alone, with the same results: the
	// verdict lists it, but nothing marks where the logs part.
	b.Reset()
	known := &Verdict{Old: []oracle.Problem{{Kind: oracle.LockOrder, Class: "timer -> timers", Text: "lock rank violation: timer -> timers"}}}
	if err := HTML(&b, old, new, known, "x"); err != nil {
		t.Fatal(err)
	}
	page = b.String()
	for _, want := range []string{"The new version shows no problem of its own.", "The old version alone", "nothing marks it"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page of a run with a known defect lacks %q", want)
		}
	}
	if strings.Contains(page, `class="part"`) {
		t.Error("the page of a run with the same results marks where the logs part")
	}
}

// TestHeldAgrees: at every event, the held locks an HTML tooltip names are
// those the terminal picture shows for that event's M on its line (across
// the move of the finding too).
func TestHeldAgrees(t *testing.T) {
	r, v := finding(t)
	for _, tr := range []*run.ConcTrace{&r.New, &r.Old, example(oldimpl.Impl)} {
		md := newModel(tr)
		p := newPanel(md, "x", -1, md.steps(v), false, dxMin)
		shown := map[int]string{}
		for _, rw := range md.rows() {
			if rw.kind != rEvent {
				continue
			}
			if rw.held != "" {
				shown[rw.m] = rw.held
			}
			want := shown[rw.m]
			if want == "" {
				want = heldString(rw.m, nil)
			}
			for j := rw.first; j <= rw.last; j++ {
				if got := heldString(md.events[j].M, p.held[j]); got != want {
					t.Errorf("%s event %d (%s): tooltip says %q, the text line %q", tr.Impl, j, md.events[j].What, got, want)
				}
			}
		}
	}
}
