package campaign

import (
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// The concurrent tally counts programs by cause (signature), not by
// text: two programs whose problems read differently but have one cause
// are one line, printed with the signature and the first one's text.
func TestConcGroupsByCause(t *testing.T) {
	at := sim.Site{Func: "startTimer", File: "newimpl/time.go", Line: 235, Call: "throw"}
	sig := oracle.Signature{Kind: oracle.Throw, What: "startTimer called with initialized timer", Where: at}
	throw := func(text string) check.Problem {
		return check.Problem{Kind: oracle.Throw, Class: "startTimer called with initialized timer", Text: text, Sig: sig}
	}
	heap := check.Problem{Kind: oracle.Heap, Class: "PN numTimers=N but the heap holds N", Text: "heap invariant: P2 numTimers=1 but the heap holds 0",
		Sig: oracle.Signature{Kind: oracle.Heap, What: "PN numTimers=N but the heap holds N"}}
	ph := NewConc(nil, nil, nil)
	ph.Add(&check.ConcResult{Shared: []check.Problem{throw(`throw "..." at M0 call 2: P1: t2.startTimer(...)`)}})
	ph.Add(&check.ConcResult{Shared: []check.Problem{throw(`throw "..." at M1 call 0: P0: t7.startTimer(...)`), heap}})
	ph.Add(&check.ConcResult{})
	var out, errOut strings.Builder
	ph.Write(&out, &errOut, 1, "replay")
	want := `concurrent: 3 programs, 0 calls; per program 0.0 preemptions and 0.00 goroutines moved to an idle P (new version)
new-version problems: 0
shown by the old version too, under the same or an explored schedule with as many preemptions (upstream properties; programs showing each cause):
       2  throw: startTimer called with initialized timer at startTimer -> throw (newimpl/time.go:235)
          e.g. throw "..." at M0 call 2: P1: t2.startTimer(...)
       1  heap invariant: PN numTimers=N but the heap holds N
          e.g. heap invariant: P2 numTimers=1 but the heap holds 0
`
	if out.String() != want {
		t.Errorf("Write:\n%s\nwant:\n%s", out.String(), want)
	}
	if errOut.String() != "" {
		t.Errorf("Write with nothing to minimize printed progress: %q", errOut.String())
	}
}
