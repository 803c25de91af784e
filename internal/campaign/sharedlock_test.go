package campaign

import (
	"io"
	"testing"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/versions"
)

// 51df232b and b5a99eaa both hold the timer (CAS-locked in modtimer)
// while taking timersLock: compare flags the new version's violation, and
// SharedLockOrder sees the old version show it too; b5a99eaa -> 2fb5ef88
// drops it, which is no divergence at all.
func TestSharedLockOrder(t *testing.T) {
	p, err := ops.Parse("x.ops", []byte("procs 1\ntimers 1\nP0: t0.startTimer(when=120, period=0, f=fire(a0), seq=0)\n"))
	if err != nil {
		t.Fatal(err)
	}
	v := func(h string) versions.Version {
		x, err := versions.Lookup(h)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	r := check.Pair(v("51df232b").Impl, v("b5a99eaa").Impl, p)
	if r.Report.Equal() || !SharedLockOrder(r) {
		t.Errorf("51df232b -> b5a99eaa: equal %t, shared lock order %t; want a lock-order divergence both show", r.Report.Equal(), SharedLockOrder(r))
	}
	r = check.Pair(v("2fb5ef88").Impl, v("b5a99eaa").Impl, p)
	if SharedLockOrder(r) {
		t.Errorf("2fb5ef88 -> b5a99eaa (the inversion put back): SharedLockOrder; want a lock order the old version does not show")
	}
	// A campaign with SharedLockOrder runs past such programs.
	out, err := RunOutcome(Options{Seed: 1, Count: 200, Old: v("51df232b").Impl, New: v("b5a99eaa").Impl,
		Stdout: io.Discard, Stderr: io.Discard, SharedLockOrder: true})
	if err != nil {
		t.Fatal(err)
	}
	if out.Programs != 200 || out.Divergence != nil {
		t.Errorf("campaign 51df232b -> b5a99eaa: %d programs, divergence %v; want 200, none", out.Programs, out.Divergence != nil)
	}
}
