package versions

import (
	"slices"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/portgen"
	"github.com/timerdiff/timerdiff/internal/run"
)

func TestAll(t *testing.T) {
	all := All()
	if len(impls) != len(portgen.Series) {
		t.Errorf("%d ports registered for %d commits", len(impls), len(portgen.Series))
	}
	for i, v := range all {
		if v.Commit != portgen.Series[i] {
			t.Errorf("All()[%d] = %s, want %s", i, v.Short, portgen.Series[i].Short)
		}
		if v.Impl == nil {
			t.Errorf("%s: no port registered", v.Short)
			continue
		}
		var want string
		for _, tg := range portgen.Targets {
			if tg.Commit == v.Commit {
				want = tg.ImplName
			}
		}
		if got := v.Impl.Name(); got != want {
			t.Errorf("%s: Impl.Name() = %q, want %q (the name of the port portgen generates for it)", v.Short, got, want)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		prefix, want, err string
	}{
		{"c6888d92", "c6888d92", ""},
		{"c6888d9", "c6888d92", ""},
		{"C6888D9264C481E61DAA7AB0A8E603CDCB67B897", "c6888d92", ""},
		{"b5a99eaa94aafb", "b5a99eaa", ""},
		{"2fb5ef8", "2fb5ef88", ""},
		{"c6888d", "", "not a commit hash prefix"},
		{"old", "", "not a commit hash prefix"},
		{"c6888d92x", "", "not a commit hash prefix"},
		{"", "", "not a commit hash prefix"},
		{"0000000", "", "no commit of the series starts with 0000000"},
		{"c6888d9264c481e61daa7ab0a8e603cdcb67b8970", "", "not a commit hash prefix"},
	} {
		v, err := Lookup(tc.prefix)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Lookup(%q) = %s, %v; want an error containing %q", tc.prefix, v.Short, err, tc.err)
			}
		case err != nil || v.Short != tc.want:
			t.Errorf("Lookup(%q) = %s, %v; want %s", tc.prefix, v.Short, err, tc.want)
		}
	}
	if v, _ := Lookup("b5a99ea"); v.Impl.Name() != "old" {
		t.Errorf("Lookup(b5a99ea).Impl.Name() = %q, want old", v.Impl.Name())
	}
	if v, _ := Lookup("2fb5ef8"); v.Impl.Name() != "new" {
		t.Errorf("Lookup(2fb5ef8).Impl.Name() = %q, want new", v.Impl.Name())
	}
}

// smoke is a small sequential program that starts, resets, steals and
// stops timers.
const smoke = `procs 2
timers 3
P0: t0.startTimer(when=105, period=0, f=fire(a0), seq=0)
P0: t1.startTimer(when=400, period=0, f=fire(a1), seq=0)
P0: t1.resetTimer(when=120)
advance(10)
P1: checkTimers(P0)
P0: t0.stopTimer()
`

// TestEveryVersionRuns runs the smoke program on every version: each port
// opens a World, makes every call without a throw, hang or refusal, and
// fires t0, the one timer due.
func TestEveryVersionRuns(t *testing.T) {
	p, err := ops.Parse("smoke", []byte(smoke))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range All() {
		tr := run.Run(v.Impl, p.Config(), p.Ops)
		if len(tr.Steps) != len(p.Ops) {
			t.Errorf("%s: %d steps for %d ops", v.Short, len(tr.Steps), len(p.Ops))
		}
		var fires []string
		for _, st := range tr.Steps {
			if st.Ended() {
				t.Errorf("%s: %s ended the run: %s%s%s", v.Short, st.Call, st.Err, st.Out.Throw, st.Out.Hang)
			}
			for _, f := range st.Out.Fires {
				fires = append(fires, f.What)
			}
		}
		if want := []string{"fire(a0)"}; !slices.Equal(fires, want) {
			t.Errorf("%s: fired %q, want %q", v.Short, fires, want)
		}
	}
}

// TestPairAcrossSeries runs the smoke program on the first and the last
// commit of the series through check.Pair, the path the tool takes for
// old and new: the two compare like any pair.
func TestPairAcrossSeries(t *testing.T) {
	p, err := ops.Parse("smoke", []byte(smoke))
	if err != nil {
		t.Fatal(err)
	}
	from, err := Lookup("b5a99eaa")
	if err != nil {
		t.Fatal(err)
	}
	to, err := Lookup("c6888d92")
	if err != nil {
		t.Fatal(err)
	}
	r := check.Pair(from.Impl, to.Impl, p)
	if r.Old.Impl != "old" || r.New.Impl != "c6888d92" {
		t.Errorf("traces of %q and %q, want old and c6888d92", r.Old.Impl, r.New.Impl)
	}
	t.Logf("b5a99eaa vs c6888d92 on the smoke program: %+v", r.Report)
}
