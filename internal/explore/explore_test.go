package explore

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

func read(t testing.TB, name string) ops.ConcProgram {
	t.Helper()
	p, _, err := ops.ReadConcFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func explorep(t testing.TB, impl port.Impl, p ops.ConcProgram, opt Options) *Result {
	t.Helper()
	r, err := Explore(impl, p.Config(), p.Ops, p.Threads, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func keys(r *Result) []string {
	var ks []string
	for i := range r.Outcomes {
		ks = append(ks, r.Outcomes[i].Outcome.Key())
	}
	return ks
}

// smallBound is the bound of the tests that run whole searches: 1 under
// the race detector, 2 otherwise.
func smallBound() int {
	if raceEnabled {
		return 1
	}
	return 2
}

// With bound 0 and threads that never wait for each other, the only
// choices are free ones: which M starts, and the forced switch when it
// ends. Two schedules.
func TestBoundZero(t *testing.T) {
	p := read(t, "removed_vs_steal.ops")
	for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
		r := explorep(t, impl, p, Options{Bound: 0})
		if r.Schedules != 2 || !r.Complete {
			t.Errorf("%s: bound 0: %d schedules (complete %t), want 2 (complete)", impl.Name(), r.Schedules, r.Complete)
		}
	}
}

// The bound is kept: every witness has at most Bound preemptions, and a
// larger bound reaches a superset of the outcomes.
func TestBoundMonotone(t *testing.T) {
	p := read(t, "modified_vs_steal.ops")
	var prev []string
	for b := 0; b <= smallBound(); b++ {
		r := explorep(t, newimpl.Impl, p, Options{Bound: b})
		for _, o := range r.Outcomes {
			if o.Preemptions > b {
				t.Errorf("bound %d: witness %s has %d preemptions", b, o.Witness.Line(), o.Preemptions)
			}
		}
		ks := keys(r)
		for _, k := range prev {
			if !slices.Contains(ks, k) {
				t.Errorf("bound %d lost an outcome of bound %d:\n%s", b, b-1, k)
			}
		}
		prev = ks
	}
}

// A bounded search has no reduction unless asked for (Options.BoundedSleep,
// package doc rule 3): the same outcomes and findings with and without
// NoReduction, in the same schedules.
func TestReductionSound(t *testing.T) {
	for _, name := range []string{"removed_vs_steal.ops", "removed_vs_pmask.ops", "sleep.ops"} {
		p := read(t, name)
		for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
			opt := Options{Bound: smallBound()}
			red := explorep(t, impl, p, opt)
			opt.NoReduction = true
			full := explorep(t, impl, p, opt)
			if d := cmp.Diff(keys(full), keys(red)); d != "" {
				t.Errorf("%s %s: outcomes without -want and with +got the reduction:\n%s", name, impl.Name(), d)
			}
			what := func(r *Result) (w []string) {
				for _, f := range r.Findings {
					w = append(w, string(f.Kind)+": "+f.Text)
				}
				return w
			}
			if d := cmp.Diff(what(full), what(red)); d != "" {
				t.Errorf("%s %s: findings without -want and with +got the reduction:\n%s", name, impl.Name(), d)
			}
			if red.Pruned != 0 || red.Slept != 0 || red.Schedules != full.Schedules {
				t.Errorf("%s %s: a bounded search pruned %d points, %d asleep, %d schedules vs %d without", name, impl.Name(), red.Pruned, red.Slept, red.Schedules, full.Schedules)
			}
		}
	}
}

// Every witness replays to its outcome, and two searches give the same
// Result.
func TestDeterministicAndReplayable(t *testing.T) {
	p := read(t, "removed_vs_deltimer.ops")
	opt := Options{Bound: 1}
	a := explorep(t, newimpl.Impl, p, opt)
	b := explorep(t, newimpl.Impl, p, opt)
	if d := cmp.Diff(a, b); d != "" {
		t.Fatalf("two searches differ (-first +second):\n%s", d)
	}
	for _, o := range a.Outcomes {
		tr, err := Replay(newimpl.Impl, p.Config(), p.Ops, p.Threads, o.Witness, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := abstract(&tr); got.Key() != o.Outcome.Key() {
			t.Errorf("Replay(%s) reached\n%s\nwant\n%s", o.Witness.Line(), got.Key(), o.Outcome.Key())
		}
	}
	if _, err := Replay(newimpl.Impl, p.Config(), p.Ops, p.Threads, sched.Schedule{5}, false); err == nil {
		t.Errorf("Replay of a schedule naming M5 succeeded")
	}
}

func TestMax(t *testing.T) {
	p := read(t, "bench.ops")
	r := explorep(t, newimpl.Impl, p, Options{Bound: 2, Max: 10})
	if r.Schedules != 10 || r.Complete {
		t.Fatalf("Max 10: %d schedules, complete %t; want 10, false", r.Schedules, r.Complete)
	}
	rep := Compare(r, r)
	if v := rep.Verdict(); v != "unknown" {
		t.Errorf("Verdict of an incomplete search = %q, want unknown", v)
	}
}

func TestRefused(t *testing.T) {
	threads := []port.Thread{{P: 7, Calls: []port.Call{{Kind: port.CheckTimers, On: 7, P: 0}}}}
	_, err := Explore(newimpl.Impl, port.DefaultConfig, nil, threads, Options{Bound: 1})
	if err == nil || !strings.Contains(err.Error(), "P7") {
		t.Errorf("Explore with a thread on P7 = %v, want an error naming P7", err)
	}
}

// The programs that stress the commit's change: the removed path of the
// new modtimer (t.unlock before lock(timersLock), doaddtimer after) against
// steals, deltimer of other timers and updateTimerPMask. The versions reach
// the same outcomes; the old one alone takes the timer -> timers order
// that the commit removes.
func TestCommitPrograms(t *testing.T) {
	for _, name := range []string{"removed_vs_steal.ops", "removed_vs_deltimer.ops", "removed_vs_pmask.ops", "modified_vs_steal.ops", "sleep.ops"} {
		t.Run(strings.TrimSuffix(name, ".ops"), func(t *testing.T) {
			r, err := Pair(oldimpl.Impl, newimpl.Impl, read(t, name), Options{Bound: smallBound()})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Equal() || !r.Decided() {
				t.Fatalf("verdict %s, want equal:\n%s", r.Verdict(), r)
			}
			if len(r.Lost) > 0 {
				t.Errorf("%d lost behaviours, want 0:\n%s", len(r.Lost), r)
			}
			inversion := false
			for _, f := range r.Known {
				inversion = inversion || f.Kind == oracle.LockOrder && f.Class == "timer -> timers"
			}
			if !inversion {
				t.Errorf("the old version's timer -> timers inversion is not among the known defects:\n%s", r)
			}
		})
	}
}

// The search reaches the windows the commit changes: in the new version
// a steal runs while t0 is unlocked (timerWaiting) but not yet in P0's
// heap; in the old version a steal finds t0 in the heap still timerLocked
// and spins on it.
func TestCommitWindowsReached(t *testing.T) {
	p := read(t, "removed_vs_steal.ops")
	p.Threads[0].Calls = p.Threads[0].Calls[:1]
	p.Threads[1].Calls = p.Threads[1].Calls[:1]
	window := map[string]int{}
	for _, impl := range []port.Impl{oldimpl.Impl, newimpl.Impl} {
		_, err := explore(impl, p.Config(), p.Ops, p.Threads, Options{Bound: smallBound()}, func(tr *run.ConcTrace) {
			unlocked := false
			for _, e := range tr.Events {
				switch {
				case e.M == 0 && e.What == "t0.status.Store":
					unlocked = true // new: t.unlock(timerWaiting, mp)
				case e.M == 0 && e.What == "lock(P0.timersLock)":
					unlocked = false
				case e.M == 1 && unlocked && impl.Name() == "new",
					e.What == "switch M1 -> M0 (spinning)" && slices.Contains(e.Held, "P0.timersLock") && impl.Name() == "old":
					window[impl.Name()]++
					return
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if window["old"] == 0 || window["new"] == 0 {
		t.Errorf("schedules in the window: %v, want some for old and new", window)
	}
}

// Outside the API contract (two threads modify t0) the new version's
// window shows: deltimer finds t0 timerWaiting with no P and dereferences
// nil, where the old version spins until modtimer is done. This pins that
// the explorer sees the window and reports the divergence; ops.Validate
// refuses such programs, so Explore is called directly.
func TestOutOfContractDeltimerInRemovedWindow(t *testing.T) {
	cfg := port.Config{Procs: 2, Timers: 1, Clock: 100}
	threads := []port.Thread{
		{P: 0, Calls: []port.Call{{Kind: port.StartTimer, On: 0, T: 0, When: 150}}},
		{P: 1, Calls: []port.Call{{Kind: port.StopTimer, On: 1, T: 0}}},
	}
	old, err := Explore(oldimpl.Impl, cfg, nil, threads, Options{Bound: 1})
	if err != nil {
		t.Fatal(err)
	}
	nw, err := Explore(newimpl.Impl, cfg, nil, threads, Options{Bound: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := Compare(old, nw)
	if len(r.Divergences) != 1 {
		t.Fatalf("%d divergences, want 1:\n%s", len(r.Divergences), r)
	}
	d := r.Divergences[0]
	if got := d.New.Outcome.Threads[1][0].Throw; !strings.Contains(got, "nil pointer dereference") {
		t.Errorf("the new-only outcome's stopTimer throws %q, want a nil pointer dereference", got)
	}
	if !strings.Contains(d.Diff, "-") || !strings.Contains(d.Diff, "+") {
		t.Errorf("diff has no -old/+new lines:\n%s", d.Diff)
	}
	if r.Verdict() != "diverged" || !strings.Contains(r.String(), d.New.Witness.Line()) {
		t.Errorf("report does not show the witness %s:\n%s", d.New.Witness.Line(), r)
	}
}

// Compare's classification, on hand-made Results.
func TestCompareClassifies(t *testing.T) {
	out := func(s string) Reached {
		return Reached{Outcome: Outcome{Setup: []CallOutcome{{Call: port.Call{Kind: port.Advance}, Result: s}}}, Count: 1}
	}
	old := &Result{Impl: "old", Complete: true,
		Outcomes: []Reached{out("a"), out("b")},
		Findings: []Finding{{Problem: oracle.Problem{Kind: oracle.LockOrder, Class: "timer -> timers", Text: "timer -> timers"}}, {Problem: oracle.Problem{Kind: oracle.Heap, Class: "shared bad", Text: "shared bad"}}},
	}
	nw := &Result{Impl: "new", Complete: true,
		Outcomes: []Reached{out("a"), out("c")},
		Findings: []Finding{{Problem: oracle.Problem{Kind: oracle.Heap, Class: "shared bad", Text: "shared bad"}}, {Problem: oracle.Problem{Kind: oracle.Throw, Class: "new throw", Text: "new throw"}}, {Problem: oracle.Problem{Kind: oracle.Hang, Class: "deadlock", Text: "deadlock"}}},
	}
	r := Compare(old, nw)
	if len(r.Divergences) != 1 || r.Divergences[0].New.Outcome.Setup[0].Result != "c" {
		t.Errorf("divergences %+v, want the outcome c", r.Divergences)
	}
	if len(r.Lost) != 1 || r.Lost[0].Outcome.Setup[0].Result != "b" {
		t.Errorf("lost %+v, want the outcome b", r.Lost)
	}
	var probs, shared, known []string
	for _, f := range r.Problems {
		probs = append(probs, f.Text)
	}
	for _, f := range r.Shared {
		shared = append(shared, f.Text)
	}
	for _, f := range r.Known {
		known = append(known, f.Text)
	}
	if d := cmp.Diff([]string{"new throw", "deadlock"}, probs); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"shared bad"}, shared); d != "" {
		t.Errorf("shared (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"timer -> timers"}, known); d != "" {
		t.Errorf("known (-want +got):\n%s", d)
	}
	if r.Equal() || r.Verdict() != "diverged" {
		t.Errorf("Equal() = %t, Verdict() = %q; want false, diverged", r.Equal(), r.Verdict())
	}
}

func TestPairRefusesInvalid(t *testing.T) {
	p := read(t, "removed_vs_steal.ops")
	p.Threads[1].Calls = append(p.Threads[1].Calls, port.Call{Kind: port.StopTimer, On: 1, T: 0}) // t0 belongs to thread 0
	if _, err := Pair(oldimpl.Impl, newimpl.Impl, p, Options{Bound: 0}); err == nil {
		t.Errorf("Pair of a program breaking the API contract succeeded")
	}
}

// Each schedule is run once: no two runs make the same choices.
func TestEachScheduleOnce(t *testing.T) {
	p := read(t, "removed_vs_pmask.ops")
	for _, reduce := range []bool{false, true} {
		seen := map[string]bool{}
		r, err := explore(newimpl.Impl, p.Config(), p.Ops, p.Threads, Options{Bound: smallBound(), NoReduction: !reduce}, func(tr *run.ConcTrace) {
			s := sched.Schedule(tr.Choices).String()
			if seen[s] {
				t.Errorf("reduction %t: schedule %s run twice", reduce, s)
			}
			seen[s] = true
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != r.Schedules {
			t.Errorf("reduction %t: %d distinct schedules, Result says %d", reduce, len(seen), r.Schedules)
		}
	}
}

// Pair refuses a program that breaks the API contract, unless
// Options.BreakContract: then the new version reaches the nil-P crash in
// deltimer (TestOutOfContractDeltimerInRemovedWindow) and the old does not.
func TestPairBreakContract(t *testing.T) {
	p := ops.ConcProgram{Program: ops.Program{Procs: 2, Timers: 1}, Threads: []port.Thread{
		{P: 0, Calls: []port.Call{{Kind: port.StartTimer, On: 0, T: 0, When: 150}}},
		{P: 1, Calls: []port.Call{{Kind: port.StopTimer, On: 1, T: 0}}},
	}}
	if _, err := Pair(oldimpl.Impl, newimpl.Impl, p, Options{Bound: 1}); err == nil || !strings.Contains(err.Error(), "API contract") {
		t.Fatalf("Pair(out of contract) error = %v, want the API contract", err)
	}
	r, err := Pair(oldimpl.Impl, newimpl.Impl, p, Options{Bound: 1, BreakContract: true})
	if err != nil {
		t.Fatal(err)
	}
	nilDeref := func(f Finding) bool {
		return f.Kind == oracle.Throw && strings.Contains(f.Text, "nil pointer dereference") && strings.Contains(f.Text, "in deltimer")
	}
	if !slices.ContainsFunc(r.Problems, nilDeref) || slices.ContainsFunc(r.Old.Findings, nilDeref) {
		t.Errorf("BreakContract: want a nil-pointer throw in deltimer among the new version's problems and not among the old one's findings:\n%s", r)
	}
}

// ByCause groups findings by signature, sums their schedules and keeps
// the shortest witness; the report prints one line per cause, then each
// finding's text with its numbers.
func TestByCause(t *testing.T) {
	add := sim.Site{Func: "modtimer", File: "newimpl/time.go", Line: 369, Call: "doaddtimer"}
	idle := oracle.Signature{Kind: oracle.IdleAdd, Where: add}
	throw := oracle.Signature{Kind: oracle.Throw, What: "x"}
	fs := []Finding{
		{Problem: oracle.Problem{Kind: oracle.IdleAdd, Text: "t0 in the heap of idle P0", Sig: idle}, Witness: sched.Schedule{0, 0, 1, 1}, Count: 5},
		{Problem: oracle.Problem{Kind: oracle.Throw, Text: "throw x", Sig: throw}, Witness: sched.Schedule{1}, Count: 1},
		{Problem: oracle.Problem{Kind: oracle.IdleAdd, Text: "t0, t1 in the heap of idle P2", Sig: idle}, Witness: sched.Schedule{0, 1}, Count: 2},
	}
	got := ByCause(fs)
	if len(got) != 2 || got[0].Sig != idle || got[1].Sig != throw {
		t.Fatalf("ByCause = %+v, want the idle adds, then the throw", got)
	}
	if g := got[0]; len(g.Findings) != 2 || g.Count != 7 || g.Smallest.Line() != (sched.Schedule{0, 1}).Line() {
		t.Errorf("idle group: %d findings, %d schedules, smallest %s; want 2, 7, %s", len(g.Findings), g.Count, g.Smallest.Line(), sched.Schedule{0, 1}.Line())
	}
	r := &Report{Old: &Result{Impl: "old", Complete: true}, New: &Result{Impl: "new", Complete: true}, Problems: fs}
	want := "PROBLEM (new version): timer on idle P at modtimer -> doaddtimer (newimpl/time.go:369): 7 schedules; smallest: " + sched.Schedule{0, 1}.Line() + "\n" +
		"    t0 in the heap of idle P0 (5 schedules; first: " + sched.Schedule{0, 0, 1, 1}.Line() + ")\n" +
		"    t0, t1 in the heap of idle P2 (2 schedules; first: " + sched.Schedule{0, 1}.Line() + ")\n"
	if !strings.Contains(r.String(), want) {
		t.Errorf("report lacks\n%s\n%s", want, r)
	}
}
