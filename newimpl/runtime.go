// Code shared by oldimpl and newimpl: keep the two copies identical apart
// from the package clause (TestTwinsIdentical checks it).

package newimpl

// This file is the glue between the ported time.go and the simulated
// runtime: everything time.go uses from the rest of the runtime, with the
// same name and meaning, so that time.go reads like upstream.

import (
	"unsafe"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/internal/sim/atomic"
)

// world is the World this package runs. A port package runs one World at
// a time (see Impl.Open); its globals below are that World's.
var world *sim.World

// Runtime globals used by time.go, reset for every World.
var (
	allp          []*p // the live Ps, by id
	allpLock      mutex
	timerpMask    pMask
	netpollInited atomic.Uint32
)

// allPs holds every P ever created, by id, like allp[:cap(allp)] upstream:
// procresize reuses a destroyed P when it grows again. puintptr indexes it.
var allPs []*p

// ms holds the port's m for each simulated M, by sim.M.ID.
var ms []*m

// p is the part of runtime.p that time.go uses.
type p struct {
	id int32

	// Lock for timers. We normally access the timers while running
	// on this P, but the scheduler can also do it from a different P.
	timersLock mutex

	// Actions to take at some time. This is used to implement the
	// standard library's time package.
	// Must hold timersLock to access.
	timers []*timer

	// Number of timers in P's heap.
	numTimers atomic.Uint32

	// Number of timerDeleted timers in P's heap.
	deletedTimers atomic.Uint32

	// The when field of the first entry on the timer heap.
	// This is 0 if the timer heap is empty.
	timer0When atomic.Int64

	// The earliest known nextwhen field of a timer with
	// timerModifiedEarlier status. Because the timer may have been
	// modified again, there need not be any timer with this value.
	// This is 0 if there are no timerModifiedEarlier timers.
	timerModifiedEarliest atomic.Int64

	// Race context used while executing timer functions.
	timerRaceCtx uintptr
}

// m is the part of runtime.m that time.go uses.
type m struct {
	p     puintptr // attached p for executing go code (nil if not executing go code)
	locks int32
	curg  *g // current running goroutine: g0 in the scheduler, user for the time package's calls
	g0    *g // the scheduling stack: checkTimers, pidleput, resetForSleep after park_m
	user  *g // the user goroutine that makes this M's calls into package time
	sm    *sim.M
	fires []port.Fire // timer functions run by this M in its current call
}

func newM(sm *sim.M) *m {
	mp := &m{sm: sm}
	mp.g0 = &g{m: mp, goid: -1}
	mp.user = &g{m: mp, goid: 1000 + sm.ID}
	mp.curg = mp.g0
	return mp
}

// g is the part of runtime.g that time.go uses.
type g struct {
	m           *m     // current m
	timer       *timer // cached timer for time.Sleep
	preemptStop bool   // transition to _Gpreempted on preemption; otherwise, just deschedule
	racectx     uintptr
	goid        int
}

// puintptr is a P reference that, like upstream's, compares with 0. Here
// it is the P's id plus one, an index into allPs, so no Go pointer hides
// in an integer.
type puintptr uintptr

func (pp puintptr) ptr() *p {
	if pp == 0 {
		return nil
	}
	return allPs[pp-1]
}

func (pp *puintptr) set(p *p) {
	if p == nil {
		*pp = 0
		return
	}
	*pp = puintptr(p.id + 1)
}

// mutex is the runtime's mutex, tracked by the World for lock order and
// deadlock.
type mutex struct {
	sim.Mutex
}

// lock is not nosplit: its prologue is a safe point where a user
// goroutine with m.locks == 0 may be preempted (newstack), before it
// takes the lock; lock2 then counts the lock in m.locks.
func lock(l *mutex) {
	if mp := ms[world.Cur().ID]; mp.curg != mp.g0 {
		world.MarkSafe("lock")
	}
	world.LockMutex(&l.Mutex)
}

func unlock(l *mutex) { world.UnlockMutex(&l.Mutex) }

// getg returns the goroutine the running M executes.
func getg() *g { return ms[world.Cur().ID].curg }

func acquirem() *m {
	world.Prim("acquirem")
	gp := getg()
	gp.m.locks++
	return gp.m
}

func releasem(mp *m) {
	world.Prim("releasem")
	mp.locks--
}

func osyield() { world.Osyield() }

func nanotime() int64 { return world.Now() }

func throw(s string) { world.Throw(s) }

// wakeNetPoller records the call; in the runtime it wakes a thread
// sleeping in the network poller so it notices a timer due at when, or,
// with none there, calls wakep to start a spinning M on an idle P. That
// matters to timers only for an idle P nobody would notice
// (rescueIdleHead).
func wakeNetPoller(when int64) {
	world.WakeNetPoller(when)
	rescueIdleHead()
}

// netpollInitLock guards the one-time poller initialization, as upstream.
var netpollInitLock mutex

func netpollGenericInit() {
	if netpollInited.Load() == 0 {
		lock(&netpollInitLock)
		if netpollInited.Load() == 0 {
			netpollInited.Store(1)
		}
		unlock(&netpollInitLock)
	}
}

// Lock ranking: the World records lock order from the locks themselves
// (including the timer status word, which the old modtimer takes without
// acquireLockRank). These tell it which timer locks a staticlockranking
// build would see: those taken between acquireLockRank(lockRankTimer)
// and releaseLockRank.
type lockRank int

const lockRankTimer lockRank = 1

func acquireLockRank(rank lockRank) { world.RankTimer(true) }
func releaseLockRank(rank lockRank) { world.RankTimer(false) }

// pMask is an atomic bitstring with one bit per P (timerpMask).
type pMask struct {
	bits atomic.Uint32
}

// read returns true if P id's bit is set.
func (pm *pMask) read(id uint32) bool {
	return pm.bits.Load()&(uint32(1)<<id) != 0
}

// set sets P id's bit.
func (pm *pMask) set(id int32) {
	for {
		old := pm.bits.Load()
		if pm.bits.CompareAndSwap(old, old|uint32(1)<<id) {
			return
		}
	}
}

// clear clears P id's bit.
func (pm *pMask) clear(id int32) {
	for {
		old := pm.bits.Load()
		if pm.bits.CompareAndSwap(old, old&^(uint32(1)<<id)) {
			return
		}
	}
}

// Parking. timeSleep parks its goroutine with gopark; park_m, on g0, on
// the same M and P, drops the goroutine and runs its unlock function
// (resetForSleep), which cannot be preempted there.
type waitReason uint8
type traceBlockReason uint8

const (
	waitReasonSleep waitReason       = 19
	traceBlockSleep traceBlockReason = 6
)

func gopark(unlockf func(*g, unsafe.Pointer) bool, lock unsafe.Pointer, reason waitReason, traceReason traceBlockReason, traceskip int) {
	gp := getg()
	mp := gp.m
	mp.curg = mp.g0 // mcall(park_m); dropg
	unlockf(gp, lock)
}

// goready records that the timer made goroutine gp runnable.
func goready(gp *g, traceskip int) { onGoready(gp) }

// The race detector is off in the simulation; these keep time.go's
// `if raceenabled` blocks compiling unchanged.
const raceenabled = false

func racerelease(addr unsafe.Pointer)                     {}
func racegostart(pc uintptr) uintptr                      { return 0 }
func raceacquirectx(racectx uintptr, addr unsafe.Pointer) {}
