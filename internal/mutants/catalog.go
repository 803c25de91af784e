package mutants

// Catalog is the hand-written list of mistakes a reviewer of CL 564125
// would worry about, in modtimer, deltimer, timer.lock/unlock and the heap
// functions. Each Old is an exact snippet of newimpl/time.go that occurs
// exactly once (TestCatalogApplies checks it).
var Catalog = []Mutant{
	// modtimer: the pending formula and deletedTimers.
	{
		Name:        "cat/modtimer/pending-no-nextwhen-check",
		Description: "modtimer: pending = status is timerWaiting or timerModified, without the nextwhen != 0 check",
		Old:         "pending := status == timerWaiting || status == timerModified && t.nextwhen != 0",
		New:         "pending := status == timerWaiting || status == timerModified",
	},
	{
		Name:        "cat/modtimer/pending-precedence",
		Description: "modtimer: pending = (waiting || modified) && nextwhen != 0 (&& and || grouped the wrong way)",
		Old:         "pending := status == timerWaiting || status == timerModified && t.nextwhen != 0",
		New:         "pending := (status == timerWaiting || status == timerModified) && t.nextwhen != 0",
	},
	{
		Name:        "cat/modtimer/pending-nextwhen-inverted",
		Description: "modtimer: pending tests nextwhen == 0 instead of nextwhen != 0",
		Old:         "pending := status == timerWaiting || status == timerModified && t.nextwhen != 0",
		New:         "pending := status == timerWaiting || status == timerModified && t.nextwhen == 0",
	},
	{
		Name:        "cat/modtimer/deleted-missing",
		Description: "modtimer: re-arming a stopped timer does not decrement deletedTimers",
		Old:         "\tif !pending {\n\t\tt.pp.ptr().deletedTimers.Add(-1)\n\t}\n",
		New:         "",
	},
	{
		Name:        "cat/modtimer/deleted-wrong-sign",
		Description: "modtimer: re-arming a stopped timer increments deletedTimers instead of decrementing it",
		Old:         "t.pp.ptr().deletedTimers.Add(-1)",
		New:         "t.pp.ptr().deletedTimers.Add(1)",
	},
	{
		Name:        "cat/modtimer/deleted-unconditional",
		Description: "modtimer: decrements deletedTimers for every timer in a heap, pending or not",
		Old:         "\tif !pending {\n\t\tt.pp.ptr().deletedTimers.Add(-1)\n\t}\n",
		New:         "\tt.pp.ptr().deletedTimers.Add(-1)\n",
	},
	{
		Name:        "cat/modtimer/deleted-doubled",
		Description: "modtimer: re-arming a stopped timer decrements deletedTimers twice",
		Old:         "\tif !pending {\n\t\tt.pp.ptr().deletedTimers.Add(-1)\n\t}\n",
		New:         "\tif !pending {\n\t\tt.pp.ptr().deletedTimers.Add(-1)\n\t\tt.pp.ptr().deletedTimers.Add(-1)\n\t}\n",
	},
	// modtimer: the statuses it unlocks with.
	{
		Name:        "cat/modtimer/unlock-waiting-not-modified",
		Description: "modtimer: a timer in a heap is unlocked as timerWaiting instead of timerModified (nextwhen never applied)",
		Old:         "\tt.unlock(timerModified, mp)\n\n\t// If the new status is earlier",
		New:         "\tt.unlock(timerWaiting, mp)\n\n\t// If the new status is earlier",
	},
	{
		Name:        "cat/modtimer/removed-unlock-modified",
		Description: "modtimer: a removed timer is unlocked as timerModified instead of timerWaiting before doaddtimer",
		Old:         "\t\tt.unlock(timerWaiting, mp)\n",
		New:         "\t\tt.unlock(timerModified, mp)\n",
	},
	{
		Name:        "cat/modtimer/removed-unlock-missing",
		Description: "modtimer: the removed path never unlocks the timer (it stays timerLocked: the next op on it hangs)",
		Old:         "\t\tt.unlock(timerWaiting, mp)\n",
		New:         "",
	},
	{
		Name:        "cat/modtimer/removed-unlock-after-add",
		Description: "modtimer: the removed path unlocks the timer after doaddtimer, holding it across timersLock (the old lock inversion)",
		Old:         "\t\tt.unlock(timerWaiting, mp)\n\n\t\tpp := getg().m.p.ptr()\n\t\tlock(&pp.timersLock)\n\t\tdoaddtimer(pp, t)\n\t\tunlock(&pp.timersLock)\n",
		New:         "\n\t\tpp := getg().m.p.ptr()\n\t\tlock(&pp.timersLock)\n\t\tdoaddtimer(pp, t)\n\t\tunlock(&pp.timersLock)\n\t\tt.unlock(timerWaiting, mp)\n",
	},
	{
		Name:        "cat/modtimer/unlock-before-nextwhen",
		Description: "modtimer: unlocks (timerModified) before writing nextwhen and timerModifiedEarliest",
		Old:         "\tt.nextwhen = when\n\tearlier := when < t.when\n\tif earlier {\n\t\tupdateTimerModifiedEarliest(t.pp.ptr(), when)\n\t}\n\n\tt.unlock(timerModified, mp)\n",
		New:         "\tt.unlock(timerModified, mp)\n\tt.nextwhen = when\n\tearlier := when < t.when\n\tif earlier {\n\t\tupdateTimerModifiedEarliest(t.pp.ptr(), when)\n\t}\n\n",
	},
	// modtimer: when, nextwhen, earlier and the poller.
	{
		Name:        "cat/modtimer/removed-wake-missing",
		Description: "modtimer: adding a removed timer to the heap does not call wakeNetPoller",
		Old:         "\t\twakeNetPoller(when)\n\t\treturn false\n",
		New:         "\t\treturn false\n",
	},
	{
		Name:        "cat/modtimer/modified-wake-missing",
		Description: "modtimer: moving a timer in a heap earlier does not call wakeNetPoller",
		Old:         "\tif earlier {\n\t\twakeNetPoller(when)\n\t}\n",
		New:         "",
	},
	{
		Name:        "cat/modtimer/wake-wrong-arg",
		Description: "modtimer: wakes the poller for the timer's old when (t.when) instead of the new one",
		Old:         "\tif earlier {\n\t\twakeNetPoller(when)\n\t}\n",
		New:         "\tif earlier {\n\t\twakeNetPoller(t.when)\n\t}\n",
	},
	{
		Name:        "cat/modtimer/wake-unconditional",
		Description: "modtimer: wakes the poller even when the new when is not earlier",
		Old:         "\tif earlier {\n\t\twakeNetPoller(when)\n\t}\n",
		New:         "\twakeNetPoller(when)\n",
	},
	{
		Name:        "cat/modtimer/earlier-after-nextwhen",
		Description: "modtimer: earlier is computed against nextwhen after writing it (always false)",
		Old:         "earlier := when < t.when",
		New:         "earlier := when < t.nextwhen",
	},
	{
		Name:        "cat/modtimer/earlier-le",
		Description: "modtimer: earlier uses <= (an unchanged when counts as earlier)",
		Old:         "earlier := when < t.when",
		New:         "earlier := when <= t.when",
	},
	{
		Name:        "cat/modtimer/modified-earliest-skipped",
		Description: "modtimer: moving a timer earlier does not call updateTimerModifiedEarliest",
		Old:         "\tif earlier {\n\t\tupdateTimerModifiedEarliest(t.pp.ptr(), when)\n\t}\n",
		New:         "",
	},
	{
		Name:        "cat/modtimer/nextwhen-not-set",
		Description: "modtimer: a timer in a heap gets no new nextwhen",
		Old:         "\tt.nextwhen = when\n\tearlier",
		New:         "\tearlier",
	},
	{
		Name:        "cat/modtimer/removed-when-not-set",
		Description: "modtimer: a removed timer is added to the heap with its stale when",
		Old:         "\t\tt.when = when\n\t\tt.unlock(timerWaiting, mp)\n",
		New:         "\t\tt.unlock(timerWaiting, mp)\n",
	},
	{
		Name:        "cat/modtimer/addtimer-on-t-pp",
		Description: "modtimer: adds a removed timer to t.pp's heap instead of the current P's",
		Old:         "\t\tpp := getg().m.p.ptr()\n",
		New:         "\t\tpp := t.pp.ptr()\n",
	},
	{
		Name:        "cat/modtimer/removed-return-true",
		Description: "modtimer: reports pending=true for a timer that was removed",
		Old:         "\t\twakeNetPoller(when)\n\t\treturn false\n",
		New:         "\t\twakeNetPoller(when)\n\t\treturn true\n",
	},
	{
		Name:        "cat/modtimer/seq-not-set",
		Description: "modtimer: does not store the new seq",
		Old:         "\tt.seq = seq\n",
		New:         "",
	},
	{
		Name:        "cat/modtimer/period-after-removed-path",
		Description: "modtimer: sets period/f/arg/seq only for timers already in a heap, not for removed ones",
		Old:         "\tt.period = period\n\tt.f = f\n\tt.arg = arg\n\tt.seq = seq\n\n\tif status == timerRemoved {\n",
		New:         "\tif status != timerRemoved {\n\t\tt.period = period\n\t\tt.f = f\n\t\tt.arg = arg\n\t\tt.seq = seq\n\t}\n\n\tif status == timerRemoved {\n",
	},
	// deltimer.
	{
		Name:        "cat/deltimer/nextwhen-not-cleared",
		Description: "deltimer: does not clear nextwhen (the stopped timer is re-armed at its old nextwhen)",
		Old:         "\t\tt.nextwhen = 0\n\t\tt.unlock(timerModified, mp)\n",
		New:         "\t\tt.unlock(timerModified, mp)\n",
	},
	{
		Name:        "cat/deltimer/pending-no-nextwhen-check",
		Description: "deltimer: a stopped timer (timerModified, nextwhen 0) counts as pending again",
		Old:         "if status == timerWaiting || (status == timerModified && t.nextwhen != 0) {",
		New:         "if status == timerWaiting || status == timerModified {",
	},
	{
		Name:        "cat/deltimer/unlock-waiting",
		Description: "deltimer: unlocks a stopped timer as timerWaiting instead of timerModified (it still fires)",
		Old:         "\t\tt.unlock(timerModified, mp)\n\t\treturn true\n",
		New:         "\t\tt.unlock(timerWaiting, mp)\n\t\treturn true\n",
	},
	{
		Name:        "cat/deltimer/deleted-wrong-sign",
		Description: "deltimer: decrements deletedTimers instead of incrementing it",
		Old:         "t.pp.ptr().deletedTimers.Add(1)",
		New:         "t.pp.ptr().deletedTimers.Add(-1)",
	},
	{
		Name:        "cat/deltimer/deleted-doubled",
		Description: "deltimer: increments deletedTimers twice",
		Old:         "t.pp.ptr().deletedTimers.Add(1)",
		New:         "t.pp.ptr().deletedTimers.Add(2)",
	},
	{
		Name:        "cat/deltimer/return-false",
		Description: "deltimer: reports false when it stopped a pending timer",
		Old:         "\t\tt.unlock(timerModified, mp)\n\t\treturn true\n",
		New:         "\t\tt.unlock(timerModified, mp)\n\t\treturn false\n",
	},
	{
		Name:        "cat/deltimer/unlock-missing",
		Description: "deltimer: a timer already run or stopped is left timerLocked",
		Old:         "\t// Timer already run or deleted.\n\tt.unlock(status, mp)\n",
		New:         "\t// Timer already run or deleted.\n",
	},
	// timer.lock / timer.unlock.
	{
		Name:        "cat/lock/cas-does-not-lock",
		Description: "timer.lock: the CAS writes the old status back instead of timerLocked",
		Old:         "if t.status.CompareAndSwap(status, timerLocked) {",
		New:         "if t.status.CompareAndSwap(status, status) {",
	},
	{
		Name:        "cat/lock/no-osyield",
		Description: "timer.lock: spins on timerLocked without osyield",
		Old:         "\t\tif status == timerLocked {\n\t\t\tosyield()\n\t\t\tcontinue\n",
		New:         "\t\tif status == timerLocked {\n\t\t\tcontinue\n",
		Equivalent:  "with one M, lock never finds timerLocked: every path that locks a timer unlocks it before returning or calling f; with several Ms the spin still ends once the M holding the timer runs (real Ms are OS threads; the simulation hands the token on after sim.FairSlice steps without progress), so only timing differs, which no observation includes",
	},
	{
		Name:        "cat/unlock/no-releasem",
		Description: "timer.unlock: does not releasem (the M's locks count leaks)",
		Old:         "\tt.status.Store(status)\n\treleasem(mp)\n",
		New:         "\tt.status.Store(status)\n",
	},
	{
		Name:        "cat/unlock/no-locked-check",
		Description: "timer.unlock: accepts timerLocked as the new status",
		Old:         "\tif status == timerLocked {\n\t\tbadTimer()\n\t}\n\tt.status.Store(status)\n",
		New:         "\tt.status.Store(status)\n",
		Equivalent:  "no caller passes timerLocked: deltimer passes the status lock returned (never timerLocked, lock spins while it is) and modtimer passes constants",
	},
	{
		Name:        "cat/unlock/no-release-rank",
		Description: "timer.unlock: does not releaseLockRank(lockRankTimer)",
		Old:         "\treleaseLockRank(lockRankTimer)\n\tif t.status.Load() != timerLocked {",
		New:         "\tif t.status.Load() != timerLocked {",
		Equivalent:  "acquireLockRank/releaseLockRank are no-ops in the shim, as in a runtime built without staticlockranking; lock order is recorded from the status CAS instead",
	},
	// The heap.
	{
		Name:        "cat/heap/siftup-parent",
		Description: "siftupTimer: parent of i computed as i/4 instead of (i-1)/4",
		Old:         "p := (i - 1) / 4 // parent",
		New:         "p := i / 4 // parent",
	},
	{
		Name:        "cat/heap/siftup-ties-move-up",
		Description: "siftupTimer: moves a timer above a parent with the same when (>= became >)",
		Old:         "\t\tif when >= t[p].when {\n",
		New:         "\t\tif when > t[p].when {\n",
	},
	{
		Name:        "cat/heap/siftdown-left-child",
		Description: "siftdownTimer: left child at 4i+2 instead of 4i+1",
		Old:         "c := i*4 + 1 // left child",
		New:         "c := i*4 + 2 // left child",
	},
	{
		Name:        "cat/heap/siftdown-last-child",
		Description: "siftdownTimer: never looks at the fourth child",
		Old:         "if c3+1 < n && t[c3+1].when < w3 {",
		New:         "if c3+1 < n-1 && t[c3+1].when < w3 {",
	},
	{
		Name:        "cat/heap/siftdown-ties-move-down",
		Description: "siftdownTimer: moves a timer below a child with the same when (>= became >)",
		Old:         "\t\tif w >= when {\n",
		New:         "\t\tif w > when {\n",
	},
	{
		Name:        "cat/heap/dodeltimer0-no-siftdown",
		Description: "dodeltimer0: moves the last timer to the top without sifting it down",
		Old:         "\tif last > 0 {\n\t\tsiftdownTimer(pp.timers, 0)\n\t}\n",
		New:         "",
	},
}
