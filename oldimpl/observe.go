// Code shared by oldimpl and newimpl: keep the two copies identical apart
// from the package clause (TestTwinsIdentical checks it).

package oldimpl

// This file reads the observable state of the open World without taking
// scheduling points: the snapshot, the heap invariants and the lock order.

import (
	"fmt"
	"strings"

	"github.com/timerdiff/timerdiff/internal/port"
)

func (a *adapter) Version() port.Version {
	return port.Version{Progress: world.Progress(), Clock: world.Now(), Epoch: a.epoch}
}

func (a *adapter) Snapshot() port.State {
	if k := a.Version(); a.snap != nil && a.snapKey == k {
		return *a.snap
	}
	var s port.State
	a.SnapshotInto(&s)
	a.snap, a.snapKey = &s, a.Version()
	return s
}

// maskNames[n][bits] is the TimerpMask string of n Ps.
var maskNames = func() [port.MaxProcs + 1][1 << port.MaxProcs]string {
	var names [port.MaxProcs + 1][1 << port.MaxProcs]string
	for n := range names {
		for bits := range names[n] {
			b := make([]byte, n)
			for i := range b {
				b[i] = '0' + byte(bits>>i&1)
			}
			names[n][bits] = string(b)
		}
	}
	return names
}()

func (a *adapter) SnapshotInto(s *port.State) {
	s.Clock = world.Now()
	s.NetpollInited = netpollInited.Raw() != 0
	n := len(allp)
	s.TimerpMask = maskNames[n][timerpMask.bits.Raw()&(1<<n-1)]
	s.Idle = s.Idle[:0]
	for _, id := range pidle {
		s.Idle = append(s.Idle, int(id))
	}
	if len(s.Idle) == 0 {
		s.Idle = nil // as a fresh Snapshot has it
	}
	s.Procs = resize(s.Procs, n)
	for i, pp := range allp {
		ps := &s.Procs[i]
		heap := ps.Heap[:0]
		for _, t := range pp.timers {
			heap = append(heap, port.HeapEntry{Timer: a.name(t), When: t.when})
		}
		*ps = port.ProcState{
			ID:                    int(pp.id),
			NumTimers:             pp.numTimers.Raw(),
			DeletedTimers:         pp.deletedTimers.Raw(),
			Timer0When:            pp.timer0When.Raw(),
			TimerModifiedEarliest: pp.timerModifiedEarliest.Raw(),
			Heap:                  heap,
			TimersLocked:          pp.timersLock.Owner() != nil,
		}
	}
	s.Timers = resize(s.Timers, len(a.all))
	for i, t := range a.all {
		s.Timers[i] = a.timerState(t)
	}
	// The threads' Ms; the scheduler Ms that preemptions started are
	// gone once they have run (their runs are in ConcOutcome.Sched).
	s.Ms = s.Ms[:0]
	for _, mp := range ms {
		if mp.sm.Sched {
			continue
		}
		p := -1
		if pp := mp.p.ptr(); pp != nil {
			p = int(pp.id)
		}
		s.Ms = append(s.Ms, port.MState{ID: mp.sm.ID, P: p, Locks: mp.locks, Held: mp.sm.Held()})
	}
}

// resize returns s with length n, reusing its array when it is big enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// name names a timer ("t3", "g1.timer").
func (a *adapter) name(t *timer) string { return a.names[t.status.Word().ID] }

var goroutineReadyNames = func() []string {
	var names []string
	for i := 0; i < port.MaxGs; i++ {
		names = append(names, fmt.Sprintf("goroutineReady(g%d)", i))
	}
	return names
}()

func (a *adapter) timerState(t *timer) port.TimerState {
	ts := port.TimerState{
		Name:     a.name(t),
		Status:   world.StatusName(t.status.Raw()),
		When:     t.when,
		Nextwhen: t.nextwhen,
		Period:   t.period,
		P:        int(t.pp) - 1,
		Seq:      t.seq,
	}
	switch arg := t.arg.(type) {
	case *funcArg:
		if k := funcKind(t.f); k >= 0 {
			ts.F = arg.name(port.FuncKind(k))
		} else {
			ts.F = "?"
		}
	case *g:
		ts.F = goroutineReadyNames[arg.goid]
	}
	return ts
}

// Verify checks, for every live P whose timersLock is free, what
// verifyTimerHeap checks (4-ary heap order by when; numTimers equals the
// heap length) and what the counters promise: timer0When is the head's
// when (0 when empty); deletedTimers counts the heap's stopped timers
// (timerModified with nextwhen 0); every heap timer points back at its P
// and is waiting or modified. Across the World, a timer is in at most one
// heap, and a timer that is waiting or modified is in the heap t.pp names.
func (a *adapter) Verify() []string {
	if k := a.Version(); a.verified && a.verifyKey == k {
		return a.bad
	}
	a.bad = a.verify()
	a.verified, a.verifyKey = true, a.Version()
	return a.bad
}

func (a *adapter) verify() []string {
	var bad []string
	badf := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	// where[i] is 1 + the id of the P whose heap holds timer i, by Word.ID.
	where := make([]int, len(a.all))
	locked := make([]bool, len(a.all))
	for _, pp := range allp {
		if pp.timersLock.Owner() != nil {
			for _, t := range pp.timers {
				locked[t.status.Word().ID] = true
			}
			continue
		}
		name := pp.timersLock.Name[:strings.IndexByte(pp.timersLock.Name, '.')] // "P0"
		deleted := 0
		for i, t := range pp.timers {
			id := t.status.Word().ID
			if where[id] != 0 {
				badf("%s is in the heaps of both P%d and %s", a.name(t), where[id]-1, name)
			}
			where[id] = int(pp.id) + 1
			if i > 0 {
				if p := (i - 1) / 4; t.when < pp.timers[p].when {
					badf("%s heap order: [%d] %s when=%d < parent [%d] %s when=%d",
						name, i, a.name(t), t.when, p, a.name(pp.timers[p]), pp.timers[p].when)
				}
			}
			if t.pp.ptr() != pp {
				badf("%s heap holds %s whose pp is P%d", name, a.name(t), int(t.pp)-1)
			}
			switch st := t.status.Raw(); st {
			case timerModified:
				if t.nextwhen == 0 {
					deleted++
				}
			case timerWaiting, timerLocked:
			default:
				badf("%s heap holds %s with status %s", name, a.name(t), world.StatusName(st))
			}
		}
		if n := pp.numTimers.Raw(); int(n) != len(pp.timers) {
			badf("%s numTimers=%d but the heap holds %d", name, n, len(pp.timers))
		}
		if d := pp.deletedTimers.Raw(); int(d) != deleted {
			badf("%s deletedTimers=%d but the heap holds %d stopped timers", name, d, deleted)
		}
		want := int64(0)
		if len(pp.timers) > 0 {
			want = pp.timers[0].when
		}
		if w := pp.timer0When.Raw(); w != want {
			badf("%s timer0When=%d but the heap head's when is %d", name, w, want)
		}
	}
	for _, t := range a.all {
		st := t.status.Raw()
		if st != timerWaiting && st != timerModified || locked[t.status.Word().ID] {
			continue
		}
		pp := t.pp.ptr()
		switch id := where[t.status.Word().ID] - 1; {
		case pp == nil:
			badf("%s is %s but in no P's heap (pp is nil)", a.name(t), world.StatusName(st))
		case id < 0:
			badf("%s is %s with pp P%d but in no heap", a.name(t), world.StatusName(st), pp.id)
		case id != int(pp.id):
			badf("%s has pp P%d but is in the heap of P%d", a.name(t), pp.id, id)
		}
	}
	return bad
}

func (a *adapter) LockOrder() ([]port.LockEdge, []string) {
	var edges []port.LockEdge
	for _, e := range world.LockOrder() {
		edges = append(edges, port.LockEdge{
			From: e.From.String(), To: e.To.String(),
			FromLock: e.FromLock, ToLock: e.ToLock,
			Call: e.Call, Where: e.Where, RankOK: e.RankOK,
			Ranked: e.Ranked, NoHeap: e.NoHeap,
		})
	}
	return edges, world.LockCycles()
}

// heapOrder checks what holds of pp's heap whenever its timersLock is
// free, even in the middle of other Ms' calls: the 4-ary order by when,
// every entry's pp, and timer0When. (The counters are updated outside
// timersLock, so they are checked only between calls, by Verify.)
func (a *adapter) heapOrder(pp *p) []string {
	var bad []string
	name := pp.timersLock.Name[:strings.IndexByte(pp.timersLock.Name, '.')] // "P0"
	for i, t := range pp.timers {
		if i > 0 {
			if p := (i - 1) / 4; t.when < pp.timers[p].when {
				bad = append(bad, fmt.Sprintf("%s heap order: [%d] %s when=%d < parent [%d] %s when=%d",
					name, i, a.name(t), t.when, p, a.name(pp.timers[p]), pp.timers[p].when))
			}
		}
		if t.pp.ptr() != pp {
			bad = append(bad, fmt.Sprintf("%s heap holds %s whose pp is P%d", name, a.name(t), int(t.pp)-1))
		}
	}
	want := int64(0)
	if len(pp.timers) > 0 {
		want = pp.timers[0].when
	}
	if w := pp.timer0When.Raw(); w != want {
		bad = append(bad, fmt.Sprintf("%s timer0When=%d but the heap head's when is %d", name, w, want))
	}
	return bad
}
