package bench

import (
	"github.com/timerdiff/timerdiff/internal/mutants"
	"github.com/timerdiff/timerdiff/internal/oracle"
)

// Case is one real Go timer bug: upstream's fix, the bug put back into
// 2fb5ef88's time.go (Edits, applied in order with go build -overlay;
// none for 2fb5ef88 itself), the fixed counterpart, a concurrent program
// on which the bug can show, and the oracle that must see its symptom.
type Case struct {
	Name  string // stable, the table's first column
	Issue string // golang/go issue
	Fix   string // upstream's fix: short hash, year, title
	// Edits turn newimpl/time.go (2fb5ef88) into the buggy version; nil
	// means the case is 2fb5ef88 as it is.
	Edits []mutants.Mutant
	// Fixed is the counterpart that must show nothing: a commit of the
	// timer-lock series by hash prefix (versions.Lookup).
	Fixed string
	// Program is a concurrent script (ops.ParseConc) without a schedule.
	Program string
	// Symptom is the oracle that must see the bug, and Match a substring
	// of the problem's text ("" for any problem of that kind).
	Symptom oracle.Kind
	Match   string
	// Why says how the bug shows on Program, and what the model needed.
	Why string
}

// Real reports whether the case is 2fb5ef88 itself.
func (c Case) Real() bool { return len(c.Edits) == 0 }

// Cases is the bench.
var Cases = []Case{
	{
		Name:  "38070-lock-without-acquirem",
		Issue: "#38070",
		Fix:   `e8be350d (2020) "runtime: prevent preemption while timer is in timerModifying"`,
		Edits: []mutants.Mutant{
			{
				Name:        "bench/38070/lock",
				Description: "t.lock takes the timer without acquirem",
				Old:         "\t\t// Prevent preemption while the timer is locked.\n\t\t// This could lead to a self-deadlock. See #38070.\n\t\tmp := acquirem()\n\t\tif t.status.CompareAndSwap(status, timerLocked) {\n\t\t\treturn status, mp\n\t\t}\n\t\treleasem(mp)\n",
				New:         "\t\tmp := getg().m\n\t\tif t.status.CompareAndSwap(status, timerLocked) {\n\t\t\treturn status, mp\n\t\t}\n",
			},
			{
				Name:        "bench/38070/unlock",
				Description: "t.unlock without releasem",
				Old:         "\tt.status.Store(status)\n\treleasem(mp)\n",
				New:         "\tt.status.Store(status)\n",
			},
		},
		Fixed: "2fb5ef88",
		// One P: with another, its M would find the preempted goroutine
		// on the global run queue once its own work is done and run it,
		// which the model does not do (a goroutine resumes only on its
		// own P or the idle head); the runtime hangs for good only when
		// no other M can take it.
		Program: `procs 1
timers 1
P0: t0.startTimer(when=101, period=0, f=fire(a0), seq=0)
advance(5)
thread P0:
    P0: t0.stopTimer()
`,
		Symptom: oracle.Hang,
		Match:   "livelock",
		Why: "deltimer locks t0 (timerLocked) with m.locks == 0 and is preempted at t.unlock's prologue; " +
			"its M runs the scheduler on the same P (checkTimers(P0, 0)), whose adjusttimers (forced: the stopped " +
			"timer is already counted in deletedTimers) or runtimer finds t0 locked and spins on it in osyield, while " +
			"the goroutine that would unlock it waits for that scheduler: a livelock",
	},
	{
		Name:    "44868-2fb5ef88-idle-p",
		Issue:   "#44868",
		Fix:     `aa26687e (2021) "runtime, time: disable preemption in addtimer"; for this CL, c6888d92 (2024)`,
		Fixed:   "c6888d92",
		Program: idleProgram,
		Symptom: oracle.IdleAdd,
		Why: "the real 2fb5ef88: modtimer's removed path releasem's in t.unlock, reads its P and is preempted at " +
			"lock(&pp.timersLock)'s prologue; the goroutine resumes on the idle head, its old P goes idle with its " +
			"timerpMask bit clear, and doaddtimer puts t0 in that idle P's heap",
	},
	{
		Name:  "44868-pp-before-unlock",
		Issue: "#44868",
		Fix:   `aa26687e (2021) "runtime, time: disable preemption in addtimer"; for this CL, c6888d92 (2024)`,
		Edits: []mutants.Mutant{{
			Name:        "bench/44868/pp-before-unlock",
			Description: "modtimer's removed path reads pp before t.unlock, but t.unlock still releasem's before lock(&pp.timersLock)",
			Old:         "\t\tt.when = when\n\t\tt.unlock(timerWaiting, mp)\n\n\t\tpp := getg().m.p.ptr()\n\t\tlock(&pp.timersLock)\n",
			New:         "\t\tt.when = when\n\t\tpp := getg().m.p.ptr()\n\t\tt.unlock(timerWaiting, mp)\n\n\t\tlock(&pp.timersLock)\n",
		}},
		Fixed:   "c6888d92",
		Program: idleProgram,
		Symptom: oracle.IdleAdd,
		Why: "half of c6888d92 (pp read before t.unlock) without the other half (releasem after unlock(&pp.timersLock)): " +
			"the safe point at lock's prologue still comes with m.locks == 0 and a P read before the preemption",
	},
	{
		Name:  "51654-stale-modified-earliest",
		Issue: "#51654",
		Fix:   `c006b7ac (2022) "runtime: clear timerModifiedEarliest when last timer is deleted"`,
		Edits: []mutants.Mutant{{
			Name:        "bench/51654/dodeltimer0",
			Description: "dodeltimer0 does not clear timerModifiedEarliest when it removes the last timer",
			Old:         "\tn := pp.numTimers.Add(-1)\n\tif n == 0 {\n\t\t// If there are no timers, then clearly none are modified.\n\t\tpp.timerModifiedEarliest.Store(0)\n\t}\n",
			New:         "\tpp.numTimers.Add(-1)\n",
		}},
		Fixed: "2fb5ef88",
		Program: `procs 2
timers 4
P0: t0.startTimer(when=150, period=0, f=fire(a0), seq=0)
P0: t1.startTimer(when=300, period=0, f=fire(a1), seq=0)
P0: t2.startTimer(when=155, period=0, f=fire(a2), seq=0)
P0: t3.startTimer(when=158, period=0, f=fire(a3), seq=0)
P0: t1.resetTimer(when=200)
P0: t1.stopTimer()
advance(60)
thread P0:
    P0: checkTimers(P0)
thread P1:
    P1: checkTimers(P0)
`,
		Symptom: oracle.Heap,
		Match:   "timerModifiedEarliest",
		Why: "t1 is reset earlier (timerModifiedEarliest=200), then stopped; at now=160 adjusttimers has nothing " +
			"to do yet (200 > 160, one stopped timer of four), and runtimer runs t0, t2, t3 and removes the stopped t1 " +
			"with dodeltimer0: the heap is empty but timerModifiedEarliest stays 200, so nobarrierWakeTime and " +
			"timeSleepUntil report a wake-up for no timer (upstream: Ms woken for it, forever). The model has no " +
			"spinning M's findRunnable loop, so the oracle is the invariant the runtime relies on: numTimers == 0 " +
			"implies timerModifiedEarliest == 0",
	},
	{
		Name:  "35532-timer-func-under-timerslock",
		Issue: "#35532",
		Fix:   `2d8c1995 (2019) "runtime: release timersLock while running timer"`,
		Edits: []mutants.Mutant{{
			Name:        "bench/35532/runOneTimer",
			Description: "runOneTimer calls the timer function with timersLock held",
			Old:         "\tunlock(&pp.timersLock)\n\n\tf(arg, seq)\n\n\tlock(&pp.timersLock)\n",
			New:         "\tf(arg, seq)\n",
		}},
		Fixed: "2fb5ef88",
		Program: `procs 2
timers 2
P0: t0.modtimer(when=101, period=0, f=deadline(a0), seq=1)
advance(5)
thread P0:
    P0: t1.modtimer(when=110, period=0, f=deadline(a1), seq=1)
thread P1:
    P1: checkTimers(P0)
`,
		Symptom: oracle.LockOrder,
		Match:   "cycle",
		Why: "netpoll's modtimer holds pd.lock and, adding a removed timer, takes the P's timersLock " +
			"(pollDesc -> timers); with the bug, runtimer runs t0's deadline function, which takes its pd.lock " +
			"like netpolldeadlineimpl, under timersLock (timers -> pollDesc): a cycle two Ms can deadlock on",
	},
}

// idleProgram is corpus/findings/modtimer_adds_to_idle_p.ops without its
// schedule.
const idleProgram = `procs 3
timers 1
thread P0:
    P0: t0.startTimer(when=101, period=0, f=fire(a0), seq=0)
    advance(5)
thread P1:
    P1: checkTimers(P1)
`
