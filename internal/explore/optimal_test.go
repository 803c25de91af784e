package explore

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/internal/sim/atomic"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

// traceKey names the Mazurkiewicz trace of a run under rule 7's
// relation: per M, in order, each step's footprint and how many steps of
// every M happen before it. Two runs have one key exactly when they
// order their dependent steps alike.
func traceKey(h *hb) string {
	var b strings.Builder
	for m, l := range h.byM {
		fmt.Fprintf(&b, "M%d:", m)
		for _, j := range l {
			f := &h.steps[j]
			fmt.Fprintf(&b, "[%v%v%v r%s w%s hb", f.Global, f.ReadsProgress, f.BumpsProgress, locNames(f.Reads), locNames(f.Writes))
			for _, k := range h.clock[j] {
				n := 0
				if k >= 0 {
					n = h.idx[k] + 1
				}
				fmt.Fprintf(&b, ",%d", n)
			}
			b.WriteString("]")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func locNames(xs []any) string {
	var ns []string
	for _, x := range xs {
		switch x := x.(type) {
		case *atomic.Word:
			ns = append(ns, "word "+x.Name)
		case *sim.Lock:
			ns = append(ns, "lock "+x.Name)
		case *sim.Var:
			ns = append(ns, "var "+x.Name)
		default:
			ns = append(ns, fmt.Sprintf("%T", x))
		}
	}
	slices.Sort(ns)
	return "{" + strings.Join(ns, " ") + "}"
}

// The reduced unbounded search runs each trace once on the corpus
// programs it ends on quickly and on testdata's: no two of its runs that
// are not sleep-set blocked order their dependent steps alike (sleep
// sets promise it: Godefroid; Abdulla et al.). A run that goes on into
// an M whose step is asleep, by the default at a choice point or because
// only that M can run, repeats a trace: a new choice point takes an M
// that is awake instead, and a run that has none is kept only up to
// there (sleepSets). A search that repeats traces has lost that, or its
// sleep sets.
func TestOneRunATrace(t *testing.T) {
	if testing.Short() {
		t.Skip("whole searches")
	}
	limit, least := 5000, 20
	if raceEnabled {
		limit, least = 2000, 10
	}
	progs := corpusPrograms(t)
	for _, name := range []string{"two_stops.ops", "stop_vs_check.ops", "start_vs_check.ops"} {
		progs["testdata/"+name] = read(t, name)
	}
	checked := 0
	for name, p := range progs {
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			seen := map[string]int{}
			dups := 0
			e := newExplorer(impl, p.Config(), p.Ops, p.Threads, Options{Bound: -1, Max: limit}, nil)
			e.onRun = func(h *hb, blocked bool) {
				if blocked {
					return // a prefix, kept for its races
				}
				k := traceKey(h)
				if _, ok := seen[k]; ok {
					dups++
				}
				seen[k] = e.res.Schedules
			}
			if err := e.search(); err != nil {
				t.Fatal(err)
			}
			r := e.res
			if !r.Complete || e.unfair {
				continue
			}
			if dups > 0 {
				t.Errorf("%s %s: %d runs not sleep-set blocked (of %d schedules and %d runs cut), %d traces", name, impl.Name(), len(seen)+dups, r.Schedules, r.Cut, len(seen))
			}
			t.Logf("%s %s: %d schedules, %d traces", name, impl.Name(), r.Schedules, len(seen))
			checked++
		}
	}
	if checked < least {
		t.Errorf("only %d searches checked: the test shows little", checked)
	}
}
