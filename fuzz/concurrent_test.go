package fuzz

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// ConcCorpusDir holds the committed concurrent scripts, relative to this
// package.
const ConcCorpusDir = "../corpus/concurrent"

// concCorpusSeeds are the PCT seeds a corpus script without a schedule
// line is replayed under, each at depths 1..3.
const concCorpusSeeds = 12

// oldSchedules is how many PCT schedules, besides its own, the old version
// is tried under before a throw or invariant violation of the new version
// is called new: "the old version does not show it under SOME schedule"
// is approximated by these.
const oldSchedules = 12

// FuzzConcurrent decodes a concurrent program and a schedule from the same
// bytes (ops.DecodeConc, then sched.Bytes on the rest), runs the old and
// the new version on it, each under its own Bytes chooser over the same
// bytes (the interleavings differ where the versions take different
// steps), and fails when the new version:
//   - hangs (deadlock or livelock) in the setup or the threads; a call
//     past the step budget is a problem unless the old version's same
//     functions run past it too (a periodic timer pinned at maxWhen with
//     the clock there refires forever in both: shared);
//   - throws or crashes, unless the old version throws the same message
//     under its own schedule, the new version's schedule, one of
//     oldSchedules PCT schedules or one of maxLinearizations interleavings
//     of whole calls (a shared throw: an upstream property, such as a
//     when <= 0, or a startTimer of a timer another M just ran);
//   - breaks a heap invariant after the threads that the old version does
//     not break in one of those runs (shared ones are logged);
//   - takes locks against the declared rank order, or in a cycle;
//   - loses a timer (run.Lost): due, and never run by checkTimers; or
//     makes the lost-timer drain itself throw or hang where the old
//     version's drain does not (with the clock at maxWhen, a periodic
//     timer pinned there runs forever in both: shared).
//
// A failure prints the problems, the program as a concurrent script with
// the schedule line that replays the new version's run, and how to re-run
// it.
func FuzzConcurrent(f *testing.F) {
	files, err := readConcCorpus(ConcCorpusDir)
	if err != nil {
		f.Fatal(err)
	}
	for _, cf := range files {
		if cf.err != nil {
			f.Fatal(cf.err)
		}
		data, err := ops.EncodeConc(cf.p)
		if err != nil {
			f.Fatalf("%s: %v", cf.path, err)
		}
		f.Add(data)
		// A few preemptions early, in the middle and late.
		for _, at := range []int{3, 20, 60} {
			b := slices.Clone(data)
			b = append(b, make([]byte, at)...)
			b = append(b, sched.SwitchAt, 0, 0, 0, sched.SwitchAt)
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, rest := ops.DecodeConc(data)
		if err := p.Validate(); err != nil {
			t.Fatalf("DecodeConc returned an invalid program: %v\n%s", err, p.Script())
		}
		r := checkConc(p, func() sim.Chooser { return sched.NewBytes(rest) })
		if len(r.problems) > 0 {
			t.Fatal(r.failure("go test ./fuzz -run=FuzzConcurrent/<file named above>"))
		}
	})
}

// TestConcurrentCorpus replays every script under corpus/concurrent: with
// its schedule line if it has one, else under PCT seeds 0..11 at depths
// 1..3. Each run must show none of FuzzConcurrent's problems.
func TestConcurrentCorpus(t *testing.T) {
	files, err := readConcCorpus(ConcCorpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no concurrent corpus files under %s", ConcCorpusDir)
	}
	for _, cf := range files {
		name := filepath.Base(cf.path)
		t.Run(name, func(t *testing.T) {
			if cf.err != nil {
				t.Fatal(cf.err)
			}
			repro := fmt.Sprintf("go test ./fuzz -run='TestConcurrentCorpus/%s'", name)
			if cf.p.Schedule != nil {
				s := cf.p.Schedule
				r := checkConc(cf.p, func() sim.Chooser { return sched.Replay(s) })
				if len(r.problems) > 0 {
					t.Fatal(r.failure(repro))
				}
				return
			}
			for seed := range uint64(concCorpusSeeds) {
				depth := 1 + int(seed%3)
				r := checkConc(cf.p, func() sim.Chooser { return &sched.PCT{Seed: seed, Depth: depth} })
				if len(r.problems) > 0 {
					t.Fatalf("PCT seed %d depth %d:\n%s", seed, depth, r.failure(repro))
				}
			}
		})
	}
}

// TestConcurrentProblems checks that the judge sees what it must: a
// shared throw is not a problem, a lost timer is.
func TestConcurrentProblems(t *testing.T) {
	parse := func(src string) ops.ConcProgram {
		t.Helper()
		p, err := ops.ParseConc("x.ops", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Both versions throw "timer when must be positive": shared.
	p := parse("procs 2\ntimers 2\nthread P0:\n  P0: t0.resetTimer(when=0)\nthread P1:\n  P1: checkTimers(P0)\n")
	r := checkConc(p, func() sim.Chooser { return sched.NewBytes(nil) })
	if len(r.problems) != 0 || len(r.shared) != 1 || !strings.Contains(r.shared[0], "timer when must be positive") {
		t.Errorf("shared throw: problems %q, shared %q; want no problem and one shared throw", r.problems, r.shared)
	}
	// A clean run has nothing to say.
	p = parse("procs 2\ntimers 2\nthread P0:\n  P0: t0.resetTimer(when=101)\n  advance(5)\nthread P1:\n  P1: checkTimers(P0)\n")
	r = checkConc(p, func() sim.Chooser { return sched.NewBytes([]byte{0, 0, sched.SwitchAt, 0, sched.SwitchAt}) })
	if len(r.problems) != 0 || len(r.shared) != 0 {
		t.Errorf("clean: problems %q, shared %q; want none", r.problems, r.shared)
	}
	// A periodic timer pinned at maxWhen with the clock at maxWhen would
	// refire forever in both versions; programs keep the clock below
	// maxWhen (the runtime's "never"), so such a program is refused.
	_, err := ops.ParseConc("x.ops", []byte(`procs 2
timers 1
P0: t0.modTimer(when=100, period=4611686018427387903)
P0: t0.resetTimer(when=100)
advance(4611686018427387904)
thread P0:
    advance(4611686018427387803)
thread P1:
    P1: checkTimers(P0)
`))
	if err == nil || !strings.Contains(err.Error(), "past maxWhen-1") {
		t.Errorf("clock to maxWhen: ParseConc error = %v, want one saying past maxWhen-1", err)
	}
	// newProblems sees lost timers, hangs and lock-order cycles.
	tr := run.ConcTrace{Lost: []string{"t0 (timerWaiting, when=105 <= now=110) never fired"}, LockCycles: []string{"timer -> timers -> timer"}}
	tr.Threads = [][]run.Step{{{Call: port.Call{Kind: port.StopTimer}, Out: port.Outcome{Hang: "deadlock: x"}}}}
	got := strings.Join(newProblems(&tr), "\n")
	for _, want := range []string{"hang", "lost timer", "lock-order cycle"} {
		if !strings.Contains(got, want) {
			t.Errorf("newProblems = %q, want it to mention %q", got, want)
		}
	}
}

// concResult is the verdict on one concurrent program.
type concResult struct {
	p        ops.ConcProgram
	old, new run.ConcTrace
	problems []string // the new version's, that fail the run
	shared   []string // what the old version shows too (upstream properties)
}

// checkConc runs p on the old and the new version, each under a fresh
// chooser from ch, and judges the new version.
func checkConc(p ops.ConcProgram, ch func() sim.Chooser) *concResult {
	r := &concResult{p: p}
	cfg := p.Config()
	r.old = run.RunConcurrent(check.Old, cfg, p.Ops, p.Threads, ch(), false)
	r.new = run.RunConcurrent(check.New, cfg, p.Ops, p.Threads, ch(), false)
	r.problems = newProblems(&r.new)

	// Throws and invariant violations are problems only if the old version
	// does not show them too under some schedule.
	throw := throwOf(&r.new)
	budget := budgetHangOf(&r.new)
	bad := r.new.Bad
	var drain []string // the lost-timer drain itself threw or hung
	for _, l := range r.new.Lost {
		if strings.HasPrefix(l, "drain:") {
			drain = append(drain, l)
		}
	}
	if throw == "" && budget == nil && len(bad) == 0 && len(drain) == 0 {
		return r
	}
	// The old version's runs, made only as far as needed: its own, then
	// the new version's schedule, then PCT schedules.
	olds := []*run.ConcTrace{&r.old}
	oldShows := func(pred func(o *run.ConcTrace) bool) bool {
		for i := 0; ; i++ {
			if i == len(olds) {
				if i > 1+oldSchedules {
					return false
				}
				var ch sim.Chooser = sched.Replay(r.new.Choices)
				if i > 1 {
					seed := uint64(i - 2)
					ch = &sched.PCT{Seed: seed, Depth: 1 + int(seed%3)}
				}
				tr := run.RunConcurrent(check.Old, cfg, p.Ops, p.Threads, ch, false)
				olds = append(olds, &tr)
			}
			if pred(olds[i]) {
				return true
			}
		}
	}
	// The old version's sequential runs of the calls interleaved whole
	// (each call atomic), as far as needed.
	lins := linearizations(p.Threads, maxLinearizations)
	var serial []run.Trace
	serialShows := func(pred func(tr *run.Trace) bool) bool {
		for i := range lins {
			if i == len(serial) {
				serial = append(serial, run.Run(check.Old, cfg, append(slices.Clone(p.Ops), lins[i]...)))
			}
			if pred(&serial[i]) {
				return true
			}
		}
		return false
	}
	if throw != "" {
		msg := fmt.Sprintf("throw %q", throw)
		if oldShows(func(o *run.ConcTrace) bool { return throwOf(o) == throw }) || serialShows(func(tr *run.Trace) bool {
			return slices.ContainsFunc(tr.Steps, func(s run.Step) bool { return s.Out.Throw == throw })
		}) {
			r.shared = append(r.shared, msg+" (the old version throws it too)")
		} else {
			r.problems = append(r.problems, msg+" that the old version does not show under its own, the new version's, "+fmt.Sprint(oldSchedules)+" PCT schedules or whole-call interleavings")
		}
	}
	if budget != nil {
		// A call that runs past the step budget in both versions, in the
		// same functions, is an upstream loop (a periodic timer pinned at
		// maxWhen with the clock there refires forever), not a hang of
		// the new version's locking.
		msg := fmt.Sprintf("hang: %v -> %s", budget.Call, budget.Out.Result(budget.Call.Kind))
		if oldShows(func(o *run.ConcTrace) bool {
			h := budgetHangOf(o)
			return h != nil && h.Out.Where == budget.Out.Where
		}) {
			r.shared = append(r.shared, msg+" (the old version too)")
		} else {
			r.problems = append(r.problems, msg)
		}
	}
	for _, b := range bad {
		if oldShows(func(o *run.ConcTrace) bool {
			return slices.ContainsFunc(o.Bad, func(ob string) bool { return sameClass(ob, b) })
		}) || serialShows(func(tr *run.Trace) bool {
			if len(tr.Steps) == 0 {
				return false
			}
			last := tr.Steps[len(tr.Steps)-1]
			return slices.ContainsFunc(last.Bad, func(ob string) bool { return sameClass(ob, b) })
		}) {
			r.shared = append(r.shared, "invariant: "+b+" (the old version breaks it too)")
		} else {
			r.problems = append(r.problems, "invariant after the threads: "+b)
		}
	}
	// A drain that hangs or throws in both versions is an upstream
	// property (a periodic timer pinned at maxWhen with the clock there
	// runs forever), not a lost timer.
	for _, d := range drain {
		if oldShows(func(o *run.ConcTrace) bool {
			return slices.ContainsFunc(o.Lost, func(ol string) bool { return sameClass(ol, d) })
		}) {
			r.shared = append(r.shared, "lost-timer "+d+" (the old version's drain does it too)")
		} else {
			r.problems = append(r.problems, "lost-timer "+d)
		}
	}
	return r
}

// maxLinearizations bounds the call-level interleavings of the old
// version tried before a throw or invariant violation is called new.
const maxLinearizations = 256

// linearizations returns up to max interleavings of the threads' calls,
// each call whole (as a sequential program runs them: calls not made on
// a P get On 0), in lexicographic order of thread index.
func linearizations(threads []port.Thread, max int) [][]port.Call {
	var out [][]port.Call
	next := make([]int, len(threads))
	var seq []port.Call
	var walk func()
	walk = func() {
		if len(out) >= max {
			return
		}
		done := true
		for i, th := range threads {
			if next[i] == len(th.Calls) {
				continue
			}
			done = false
			c := th.Calls[next[i]]
			if c.Kind == port.Pidleput || c.Kind == port.Pidleget || c.Kind == port.NobarrierWakeTime ||
				c.Kind == port.TimeSleepUntil || c.Kind == port.Advance {
				c.On = 0
			}
			seq = append(seq, c)
			next[i]++
			walk()
			next[i]--
			seq = seq[:len(seq)-1]
		}
		if done {
			out = append(out, slices.Clone(seq))
		}
	}
	walk()
	return out
}

// sameClass reports whether two invariant violations are the same but
// for their numbers: under different interleavings the counts differ
// ("P0 numTimers=2 but the heap holds 0" and "... numTimers=3 ... 1").
func sameClass(a, b string) bool {
	return digits.ReplaceAllString(a, "N") == digits.ReplaceAllString(b, "N")
}

var digits = regexp.MustCompile(`-?[0-9]+`)

// newProblems lists what the new version must never do, whatever the old
// one does: refuse the program, hang, take locks out of order, lose a
// timer.
func newProblems(tr *run.ConcTrace) []string {
	var out []string
	if tr.Err != "" {
		out = append(out, "the adapter refused the threads (a tester bug): "+tr.Err)
	}
	each := func(f func(where string, s *run.Step)) {
		for i := range tr.Setup {
			f(fmt.Sprintf("setup op %d", i), &tr.Setup[i])
		}
		for i, th := range tr.Threads {
			for k := range th {
				f(fmt.Sprintf("M%d call %d", i, k), &th[k])
			}
		}
	}
	each(func(where string, s *run.Step) {
		if s.Out.Hang != "" && !strings.HasPrefix(s.Out.Hang, "step budget") {
			out = append(out, fmt.Sprintf("hang at %s: %v -> %s", where, s.Call, s.Out.Result(s.Call.Kind)))
		}
		if s.Err != "" {
			out = append(out, fmt.Sprintf("the adapter refused %s (a tester bug): %v: %s", where, s.Call, s.Err))
		}
	})
	for _, e := range tr.LockEdges {
		if !e.RankOK {
			out = append(out, "lock rank violation: "+e.String())
		}
	}
	for _, c := range tr.LockCycles {
		out = append(out, "lock-order cycle: "+c)
	}
	for _, l := range tr.Lost {
		if !strings.HasPrefix(l, "drain:") {
			out = append(out, "lost timer: "+l)
		}
	}
	return out
}

// budgetHangOf returns the step that ran past the step budget, or nil.
func budgetHangOf(tr *run.ConcTrace) *run.Step {
	for i := range tr.Setup {
		if strings.HasPrefix(tr.Setup[i].Out.Hang, "step budget") {
			return &tr.Setup[i]
		}
	}
	for _, th := range tr.Threads {
		for k := range th {
			if strings.HasPrefix(th[k].Out.Hang, "step budget") {
				return &th[k]
			}
		}
	}
	return nil
}

// throwOf returns the first throw or crash message of a run, or "".
func throwOf(tr *run.ConcTrace) string {
	for _, s := range tr.Setup {
		if s.Out.Throw != "" {
			return s.Out.Throw
		}
	}
	for _, th := range tr.Threads {
		for _, s := range th {
			if s.Out.Throw != "" {
				return s.Out.Throw
			}
		}
	}
	return ""
}

// failure explains a failing result: the problems, the program with the
// schedule that replays the new version's run, both runs, and repro.
func (r *concResult) failure(repro string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "the new version:\n")
	for _, p := range r.problems {
		fmt.Fprintf(&b, "  %s\n", p)
	}
	for _, s := range r.shared {
		fmt.Fprintf(&b, "  (shared) %s\n", s)
	}
	q := r.p
	q.Schedule = sched.Schedule(r.new.Choices)
	if q.Schedule == nil {
		q.Schedule = sched.Schedule{}
	}
	fmt.Fprintf(&b, "program, with the new version's schedule (%d preemptions):\n%s", r.new.Preemptions, q.Script())
	fmt.Fprintf(&b, "new:\n%s", traceText(&r.new))
	fmt.Fprintf(&b, "old (its own schedule: %v):\n%s", sched.Schedule(r.old.Choices), traceText(&r.old))
	fmt.Fprintf(&b, "To re-run: %s\n", repro)
	fmt.Fprintf(&b, "Or save the program above as corpus/concurrent/NAME.ops and run: go test ./fuzz -run='TestConcurrentCorpus/NAME.ops'\n")
	return b.String()
}

// maxFiresShown bounds the fires printed per call.
const maxFiresShown = 8

// traceText prints a run's calls with their results, one per line.
func traceText(tr *run.ConcTrace) string {
	var b strings.Builder
	line := func(who string, s *run.Step) {
		fmt.Fprintf(&b, "  %s%v -> %s", who, s.Call, s.Out.Result(s.Call.Kind))
		for i, f := range s.Out.Fires {
			if i == maxFiresShown {
				fmt.Fprintf(&b, " [... %d more]", len(s.Out.Fires)-i)
				break
			}
			fmt.Fprintf(&b, " [%v]", f)
		}
		if s.Out.Cut {
			b.WriteString(" (cut)")
		}
		if s.Err != "" {
			b.WriteString(" error: " + s.Err)
		}
		b.WriteByte('\n')
	}
	for i := range tr.Setup {
		line("", &tr.Setup[i])
	}
	for i, th := range tr.Threads {
		for k := range th {
			line(fmt.Sprintf("M%d ", i), &th[k])
		}
	}
	for _, l := range tr.Lost {
		fmt.Fprintf(&b, "  lost: %s\n", l)
	}
	for _, l := range tr.Bad {
		fmt.Fprintf(&b, "  invariant: %s\n", l)
	}
	return b.String()
}

// concFile is one script of the concurrent corpus.
type concFile struct {
	path string
	p    ops.ConcProgram
	err  error
}

// readConcCorpus reads every *.ops file directly in dir, sorted by name.
func readConcCorpus(dir string) ([]concFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".ops") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var files []concFile
	for _, n := range names {
		path := filepath.Join(dir, n)
		p, _, err := ops.ReadConcFile(path)
		files = append(files, concFile{path: path, p: p, err: err})
	}
	return files, nil
}
