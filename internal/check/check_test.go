package check

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/versions"
)

// bug is a new version with one injected difference from call number at
// on: the kind of difference is what.
type bug struct {
	port.Impl
	what string
	at   int
}

func (b bug) Open(cfg port.Config) port.World { return &bugWorld{World: b.Impl.Open(cfg), bug: b} }

type bugWorld struct {
	port.World
	bug   bug
	calls int
}

func (w *bugWorld) on() bool { return w.calls > w.bug.at }

func (w *bugWorld) Do(c port.Call) (port.Outcome, error) {
	o, err := w.World.Do(c)
	w.calls++
	if w.calls-1 == w.bug.at {
		switch w.bug.what {
		case "pending":
			o.Pending = !o.Pending
		case "wake":
			o.Wakes = append(o.Wakes, 1)
		case "fire":
			o.Fires = append(o.Fires, port.Fire{What: "fire(a99)"})
		case "throw":
			o.Throw = "injected"
		}
	}
	return o, err
}

func (w *bugWorld) perturb(s *port.State) {
	if w.on() && w.bug.what == "state" {
		s.Clock++
	}
}

func (w *bugWorld) Snapshot() port.State {
	s := w.World.Snapshot()
	w.perturb(&s)
	return s
}

func (w *bugWorld) SnapshotInto(s *port.State) {
	w.World.SnapshotInto(s)
	w.perturb(s)
}

// Version moves with the injected change, as a real change of state would
// move the World's.
func (w *bugWorld) Version() port.Version {
	v := w.World.Version()
	if w.on() {
		v.Epoch += 1000 + w.calls
	}
	return v
}

func (w *bugWorld) Verify() []string {
	bad := w.World.Verify()
	if w.on() && w.bug.what == "invariant" {
		bad = append(bad, "injected")
	}
	return bad
}

// randomPrograms are fixed pseudo-random programs of about 12 ops.
func randomPrograms(n int) []ops.Program {
	rng := rand.New(rand.NewPCG(7, 8))
	var ps []ops.Program
	for range n {
		ps = append(ps, ops.Decode(ops.RandomBytes(rng, 12)))
	}
	return ps
}

// TestEqualAgreesWithProgram checks the contract between the lockstep hot
// path and the full comparison: Equal(p) is true exactly when Program(p)
// finds no divergence, on the real versions and on injected differences
// of every kind; and so is Locate's verdict.
func TestEqualAgreesWithProgram(t *testing.T) {
	progs := randomPrograms(60)
	impls := []port.Impl{New}
	for _, what := range []string{"pending", "wake", "fire", "throw", "state", "invariant"} {
		for _, at := range []int{0, 3, 7} {
			impls = append(impls, bug{Impl: New, what: what, at: at})
		}
	}
	diverged := 0
	for _, impl := range impls {
		name := "new"
		if b, ok := impl.(bug); ok {
			name = fmt.Sprintf("%s@%d", b.what, b.at)
		}
		for i, p := range progs {
			fast := EqualPair(Old, impl, p)
			full := Pair(Old, impl, p).Report.Equal()
			if fast != full {
				t.Errorf("%s, program %d: EqualPair = %v, Pair(...).Report.Equal() = %v\n%s", name, i, fast, full, p.Script())
			}
			if brief := Locate(Old, impl, p).Report.Equal(); brief != full {
				t.Errorf("%s, program %d: Locate(...).Report.Equal() = %v, Pair(...).Report.Equal() = %v\n%s", name, i, brief, full, p.Script())
			}
			if !full {
				diverged++
			}
			if name == "new" && !full {
				t.Errorf("program %d diverges on the real versions:\n%s", i, Pair(Old, New, p).Failure(""))
			}
		}
	}
	if diverged == 0 {
		t.Fatal("no injected difference was detected: the test checks nothing")
	}
}

// TestNoLockSitesSameOrder: a World opened with NoLockSites (as EqualPair
// opens them) records the same lock-order edges and cycles as one
// without, only without their Where, on both versions.
func TestNoLockSitesSameOrder(t *testing.T) {
	run := func(impl port.Impl, p ops.Program, noSites bool) ([]port.LockEdge, []string) {
		cfg := p.Config()
		cfg.NoLockSites = noSites
		w := impl.Open(cfg)
		defer w.Close()
		for _, c := range p.Ops {
			if _, err := w.Do(c); err != nil {
				break
			}
		}
		return w.LockOrder()
	}
	sites := 0
	for i, p := range randomPrograms(200) {
		for _, impl := range []port.Impl{Old, New} {
			edges, cycles := run(impl, p, false)
			lean, leanCycles := run(impl, p, true)
			for j := range edges {
				if edges[j].Where != "" {
					sites++
				}
				edges[j].Where = ""
			}
			if fmt.Sprint(edges) != fmt.Sprint(lean) || fmt.Sprint(cycles) != fmt.Sprint(leanCycles) {
				t.Errorf("%s, program %d: lock order %v %v, with NoLockSites %v %v", impl.Name(), i, edges, cycles, lean, leanCycles)
			}
		}
	}
	if sites == 0 {
		t.Fatal("no edge had a Where: the test compares nothing that NoLockSites drops")
	}
}

// TestReuseSameWorld: a World opened with Reuse, taking over the memory
// of one that ran another program (of other sizes), behaves as a fresh
// one: the same outcomes, snapshots, verifications and lock order after
// every call, on both versions.
func TestReuseSameWorld(t *testing.T) {
	// dirty is SnapshotInto's buffer, as EqualPair's pool hands it on:
	// left with every program's last state. Into it each snapshot must
	// be what one into a zero State is (fmt prints nil and empty alike).
	var dirty port.State
	trace := func(impl port.Impl, p ops.Program, reuse bool) string {
		cfg := p.Config()
		cfg.Reuse = reuse
		w := impl.Open(cfg)
		defer w.Close()
		var b strings.Builder
		for i, c := range p.Ops {
			o, err := w.Do(c)
			// No fires or wakes are nil ones, as a fresh World's are
			// (a World with Reuse appends them to the last call's arrays).
			if o.Fires != nil && len(o.Fires) == 0 || o.Wakes != nil && len(o.Wakes) == 0 {
				t.Fatalf("%s, op %d of %s: empty, not nil: fires %#v, wakes %#v", impl.Name(), i, p.Script(), o.Fires, o.Wakes)
			}
			s := w.Snapshot()
			fmt.Fprintf(&b, "%+v %v\n%+v\n%q\n", o, err, s, w.Verify())
			var fresh port.State
			w.SnapshotInto(&fresh)
			w.SnapshotInto(&dirty)
			if got, want := fmt.Sprintf("%+v", dirty), fmt.Sprintf("%+v", fresh); got != want {
				t.Fatalf("%s, op %d of %s: SnapshotInto a used buffer:\n%s\nSnapshot:\n%s", impl.Name(), i, p.Script(), got, want)
			}
			if err != nil {
				break
			}
		}
		edges, cycles := w.LockOrder()
		fmt.Fprintf(&b, "%+v %q\n", edges, cycles)
		return b.String()
	}
	progs := randomPrograms(120)
	for _, impl := range []port.Impl{Old, New} {
		for i, p := range progs {
			want := trace(impl, p, false)
			if got := trace(impl, p, true); got != want {
				t.Fatalf("%s, program %d: with Reuse (after program %d):\n%s\nfresh:\n%s", impl.Name(), i, i-1, got, want)
			}
		}
	}
}

// TestSnapshotFollowsM0: a call that changes nothing but the P it runs
// on moves Version, so the cached Snapshot shows M0 on its new P, as
// SnapshotInto does, in every version.
func TestSnapshotFollowsM0(t *testing.T) {
	for _, v := range versions.All() {
		cfg := port.DefaultConfig
		cfg.Procs, cfg.Timers = 2, 1
		w := v.Impl.Open(cfg)
		var got []int
		for _, on := range []int{0, 1, 1, 0} {
			before := w.Version()
			if _, err := w.Do(port.Call{Kind: port.NobarrierWakeTime, P: 0, On: on}); err != nil {
				t.Fatalf("%s: %v", v.Short, err)
			}
			s := w.Snapshot()
			var fresh port.State
			w.SnapshotInto(&fresh)
			if s.Ms[0].P != fresh.Ms[0].P {
				t.Errorf("%s: after a call on P%d, Snapshot has M0 on P%d, SnapshotInto on P%d (Version %+v, before %+v)",
					v.Short, on, s.Ms[0].P, fresh.Ms[0].P, w.Version(), before)
			}
			got = append(got, s.Ms[0].P)
		}
		w.Close()
		if want := []int{0, 1, 1, 0}; !slices.Equal(got, want) {
			t.Errorf("%s: M0 on %v, want %v", v.Short, got, want)
		}
	}
}

// TestSnapshotFuncNames: a snapshot names each timer's function by the
// kind the version installed (funcKind) and its arg, in every version:
// each kind by both calls that install one.
func TestSnapshotFuncNames(t *testing.T) {
	for _, v := range versions.All() {
		for _, kind := range []port.Kind{port.StartTimer, port.Modtimer} {
			for k := port.FuncFire; k <= port.FuncDeadline; k++ {
				f := port.Func{Kind: k, Arg: 5, Target: 1}
				if k == port.FuncReset {
					f.When = 77
				}
				cfg := port.DefaultConfig
				cfg.Procs, cfg.Timers = 1, 2
				w := v.Impl.Open(cfg)
				_, err := w.Do(port.Call{Kind: kind, T: 0, When: 1000, F: f, Seq: 3})
				s := w.Snapshot()
				w.Close()
				if err != nil {
					t.Fatalf("%s: %v %v: %v", v.Short, kind, f, err)
				}
				if got := s.Timers[0].F; got != f.String() {
					t.Errorf("%s: after %v with %v, the snapshot names t0's function %q", v.Short, kind, f, got)
				}
			}
		}
	}
}

// TestLockOrderOK: the ports' LockOrderOK, which EqualPair asks, is
// lockOrderAllowed's verdict from LockOrder, after every call of random
// programs, in all seven versions, both verdicts seen.
func TestLockOrderOK(t *testing.T) {
	seen := map[bool]int{}
	for _, v := range versions.All() {
		for i, p := range randomPrograms(150) {
			w := v.Impl.Open(p.Config())
			lo, ok := w.(lockOrderOK)
			if !ok {
				w.Close()
				t.Fatalf("%s: no LockOrderOK", v.Short)
			}
			for j, c := range p.Ops {
				_, err := w.Do(c)
				want := lockOrderAllowed(w)
				if got := lo.LockOrderOK(); got != want {
					t.Errorf("%s, program %d, op %d: LockOrderOK() = %v, from LockOrder %v\n%s", v.Short, i, j, got, want, p.Script())
				}
				seen[want]++
				if err != nil {
					break
				}
			}
			w.Close()
		}
	}
	if seen[true] == 0 || seen[false] == 0 {
		t.Fatalf("verdicts seen: %v; the test needs both", seen)
	}
	t.Logf("verdicts seen: %v", seen)
}
