package sim

import (
	"fmt"
	"slices"
	"strings"
)

// Class is a lock class in the lockdep sense: all locks of a class share
// one rank, and the order between classes is what is recorded.
type Class uint8

const (
	ClassAllp        Class = iota + 1 // allpLock (rank allp)
	ClassTimers                       // a P's timersLock (rank timers)
	ClassTimer                        // a timer's status word in timerLocked (rank timer)
	ClassNetpollInit                  // netpollInitLock (rank netpollInit)
	ClassPollDesc                     // a pollDesc's lock, held around netpoll's timer calls (rank pollDesc)
)

var classNames = [...]string{ClassAllp: "allp", ClassTimers: "timers", ClassTimer: "timer", ClassNetpollInit: "netpollInit", ClassPollDesc: "pollDesc"}

var allClasses = []Class{ClassAllp, ClassTimers, ClassTimer, ClassNetpollInit, ClassPollDesc}

func (c Class) String() string { return classNames[c] }

// Lock is a lock the World tracks: a runtime mutex, or the lock that a
// timer's status word forms while it is timerLocked.
type Lock struct {
	Name  string // "P0.timersLock", "t3"
	Class Class
	owner *M
	// Of the current hold: ranked says the runtime's static lock ranking
	// sees it (every mutex; a timer only inside acquireLockRank), noHeap
	// that it is a timer locked from timerRemoved, in no P's heap.
	ranked, noHeap bool
	// releases counts its releases (a cut M blocked on it waits for
	// one: SpinCutter).
	releases uint64
}

// Owner returns the M holding l, or nil.
func (l *Lock) Owner() *M { return l.owner }

// Mutex is the runtime's mutex (lock/unlock).
type Mutex struct {
	Lock
}

// NewMutex returns an unlocked mutex of the given class.
func NewMutex(name string, class Class) Mutex {
	return Mutex{Lock{Name: name, Class: class}}
}

// LockMutex is the runtime's lock(l). A mutex held by another M makes the
// scheduler run other Ms until it is free; one held by this M, or by an M
// that can never run again, is a Hang.
func (w *World) LockMutex(l *Mutex) {
	if w.events != nil {
		w.record("lock(" + l.Name + ")")
	}
	w.Step()
	w.touch(&l.Lock, true)
	for l.owner != nil {
		if l.owner == w.cur {
			panic(w.hang(HangDeadlock, fmt.Sprintf("lock(%s): already held by this M (M%d)", l.Name, w.cur.ID)))
		}
		w.sched.Block(w, w.cur, &l.Lock)
	}
	l.ranked, l.noHeap = true, false
	w.acquire(&l.Lock)
}

// UnlockMutex is the runtime's unlock(l).
func (w *World) UnlockMutex(l *Mutex) {
	if w.events != nil {
		w.record("unlock(" + l.Name + ")")
	}
	w.Step()
	if l.owner == nil {
		w.Throw("unlock of unlocked lock")
	}
	w.release(&l.Lock)
	if w.OnUnlock != nil {
		// The checks say what they read (Touch), or call Shared.
		w.OnUnlock(&l.Lock)
	}
}

func (w *World) acquire(l *Lock) {
	m := w.cur
	for _, h := range m.held {
		w.order.record(h, l, m.call, &w.cfg)
	}
	if w.events != nil && l.noHeap {
		w.record("(" + l.Name + " is in no heap)")
	}
	l.owner = m
	m.held = append(m.held, l)
	w.touch(l, true)
	if w.events != nil {
		w.record("acquired " + l.Name)
	}
}

func (w *World) release(l *Lock) {
	m := l.owner
	if m == nil {
		return
	}
	if i := slices.Index(m.held, l); i >= 0 {
		m.held = slices.Delete(m.held, i, i+1)
	}
	l.owner = nil
	l.releases++
	w.progress++
	w.touch(l, true)
	if w.track != nil {
		w.track.cur(w).BumpsProgress = true
	}
	if w.events != nil {
		w.record("released " + l.Name)
	}
}

// rankOrder is the runtime's declared lock order among these classes at
// the commits under test, as the transitive closure of mklockrank.go's
// "pollDesc, ... < SCHED < sched; sched < allg, allp; allp, wakeableSleep
// < timers; timers < netpollInit; timers < timer;" with "timers" in
// cyclicRanks (adoptTimers holds two Ps' timersLock).
// rankOrder[a][b] means b may be acquired while a is held.
var rankOrder = map[Class]map[Class]bool{
	ClassPollDesc:    {ClassAllp: true, ClassTimers: true, ClassTimer: true, ClassNetpollInit: true},
	ClassAllp:        {ClassTimers: true, ClassTimer: true, ClassNetpollInit: true},
	ClassTimers:      {ClassTimers: true, ClassTimer: true, ClassNetpollInit: true},
	ClassTimer:       {},
	ClassNetpollInit: {},
}

// rankAllows reports whether the declared order allows acquiring a lock of
// class to while holding one of class from.
func rankAllows(from, to Class) bool { return rankOrder[from][to] }

// LockEdge is one ordered pair of lock classes that an M held at once:
// it held a lock of class From when it acquired one of class To.
type LockEdge struct {
	From, To         Class
	FromLock, ToLock string // the first pair of locks seen in this order
	Call             int    // the call in which it was first seen
	Where            string // for rank violations: the functions acquiring To, innermost first
	RankOK           bool   // the declared rank order allows it
	// Ranked: in some occurrence both locks were ones the runtime's
	// static lock ranking sees (a timer only inside acquireLockRank), so
	// a staticlockranking build at that commit would check the pair.
	Ranked bool
	// NoHeap: in every occurrence the held lock was a timer locked from
	// timerRemoved, in no P's heap. No M holding a timersLock waits for
	// such a timer (runtimer, adjusttimers, cleantimers and moveTimers
	// lock only timers they find in a heap), so the edge cannot close a
	// deadlock with the timers -> timer order.
	NoHeap bool
}

func (e LockEdge) String() string {
	ok := "allowed"
	switch {
	case !e.RankOK && e.Ranked:
		ok = "rank violation (staticlockranking would report it)"
	case !e.RankOK:
		ok = "rank violation (of mklockrank's order; not one staticlockranking checks)"
	}
	return fmt.Sprintf("%s -> %s (%s then %s, call %d, in %s): %s",
		e.From, e.To, e.FromLock, e.ToLock, e.Call, e.Where, ok)
}

// lockOrder is the lockdep-style graph of lock classes.
type lockOrder struct {
	edges []LockEdge // in order of first appearance
}

func (o *lockOrder) record(held, l *Lock, call int, cfg *Config) {
	ranked := held.ranked && l.ranked
	for i := range o.edges {
		if e := &o.edges[i]; e.From == held.Class && e.To == l.Class {
			e.Ranked = e.Ranked || ranked
			e.NoHeap = e.NoHeap && held.noHeap
			return
		}
	}
	e := LockEdge{
		From: held.Class, To: l.Class,
		FromLock: held.Name, ToLock: l.Name,
		Call: call, RankOK: rankAllows(held.Class, l.Class),
		Ranked: ranked, NoHeap: held.noHeap,
	}
	if !e.RankOK && !cfg.NoSites {
		// Unwinding the stack costs more than the rest of a call, so
		// only the edges that get reported as problems say where.
		e.Where = Where(cfg.PortFile)
	}
	o.edges = append(o.edges, e)
}

// LockOrder returns every ordered pair of lock classes seen so far, in order
// of first appearance.
func (w *World) LockOrder() []LockEdge {
	if len(w.order.edges) == 0 {
		return nil // as before any edge
	}
	return slices.Clone(w.order.edges)
}

// LockCycles returns the cycles in the class graph that the declared rank
// order does not allow, each as the classes on it ("timer -> timers ->
// timer"), without the edges that cannot wait (LockEdge.NoHeap): such a
// cycle means two Ms can wait on each other, a potential deadlock, even
// if no run here deadlocked. Each cycle is reported once, starting at its
// smallest class. ClassCycles returns them all, NoHeap edges included.
func (w *World) LockCycles() []string { return w.order.cycles(false) }

// LockOrderOK reports whether the declared rank order allows every edge
// of LockOrder and LockCycles finds no cycle: the lockstep judge's
// verdict on the lock order, without copying the edges.
func (w *World) LockOrderOK() bool {
	for i := range w.order.edges {
		if !w.order.edges[i].RankOK {
			return false
		}
	}
	return len(w.order.cycles(false)) == 0
}

// ClassCycles returns every cycle of the class graph the declared order
// does not allow, including those through NoHeap edges, which are
// inversions of the order but not potential deadlocks.
func (w *World) ClassCycles() []string { return w.order.cycles(true) }

func (o *lockOrder) cycles(all bool) []string {
	// next[c] lists the classes after c, in edge order: at most one edge
	// per pair, so a row of len(classNames) holds them (no allocation:
	// the lockstep judge asks after every program).
	var next [len(classNames)][]Class
	var buf [len(classNames)][len(classNames)]Class
	for _, e := range o.edges {
		if e.From == e.To && rankAllows(e.From, e.To) {
			continue // a declared self-cycle (timers)
		}
		if e.NoHeap && !all {
			continue
		}
		if next[e.From] == nil {
			next[e.From] = buf[e.From][:0]
		}
		next[e.From] = append(next[e.From], e.To)
	}
	var cycles []string
	var path []Class
	var walk func(start, c Class)
	walk = func(start, c Class) {
		path = append(path, c)
		for _, n := range next[c] {
			switch {
			case n == start:
				names := make([]string, 0, len(path)+1)
				for _, p := range path {
					names = append(names, p.String())
				}
				cycles = append(cycles, strings.Join(append(names, start.String()), " -> "))
			case n > start && !slices.Contains(path, n):
				walk(start, n)
			}
		}
		path = path[:len(path)-1]
	}
	for _, c := range allClasses {
		walk(c, c)
	}
	return cycles
}
