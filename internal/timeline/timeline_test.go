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

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
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
			if err := Text(&b, example(impl)); err != nil {
				t.Fatal(err)
			}
			golden(t, "example."+impl.Name()+".txt", b.Bytes())
		})
	}
}

func TestHTMLGolden(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, example(oldimpl.Impl), example(newimpl.Impl), "timerdiff: t0 start/stop on P0 vs checkTimers(P0) on P1"); err != nil {
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
		if err := HTML(&b, example(oldimpl.Impl), example(newimpl.Impl), "x"); err != nil {
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
	if err := Text(&b, old); err != nil {
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
	if err := Text(&b, tr); err != nil {
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
	if err := HTML(&h, tr, nil, "one version"); err != nil {
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
	if err := Text(&failWriter{n: 3}, tr); !errors.Is(err, errFull) {
		t.Errorf("Text on a failing writer = %v, want %v", err, errFull)
	}
	if err := HTML(&failWriter{n: 3}, tr, tr, "x"); !errors.Is(err, errFull) {
		t.Errorf("HTML on a failing writer = %v, want %v", err, errFull)
	}
}
