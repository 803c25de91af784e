package sim

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/timerdiff/timerdiff/internal/sim/atomic"
)

// M is a simulated machine thread. The port's own m type points to one.
type M struct {
	ID          int
	held        []*Lock      // in acquisition order
	heldBuf     [4]*Lock     // held's first array: most calls hold a lock or two
	lastLoad    *atomic.Word // for saying what an osyield waits for
	loadSeen    uint64       // World.progress at that load
	loadChanges uint64       // lastLoad.Changes at that load
	loadStep    int          // the index in Steps.Done that the step of that load has (tracked runs)
	// retry is, under a SpinCutter, the word a compare-and-swap of the
	// M failed on after loading it, until the M's next primitive
	// other than acquirem and releasem; retryChanges is its Changes at
	// the load.
	retry        *atomic.Word
	retryChanges uint64
	call         int     // index of the call it runs, for lock-order sites
	steps        int     // scheduling points taken by that call
	wakes        []int64 // its wakeNetPoller calls not yet taken
	sharedCall   bool    // every step of this call is global (World.SharedCall)

	// Safe points (see World.SafePoint): safe names the one the M is at
	// during its Step, markSafe the one its next Step will be.
	safe, markSafe string
	// rankedTimer counts the M's acquireLockRank(lockRankTimer) calls not
	// yet released: a timer lock taken meanwhile is one that the runtime's
	// static lock ranking sees.
	rankedTimer int

	// Used by Conc.
	resume    func() (struct{}, bool) // runs the M until it gives the token away (Conc.Run)
	stop      func()                  // releases its coroutine once it has ended
	yield     func(struct{}) bool     // gives the token back to Conc.Run
	finished  bool
	started   bool   // it has had the token once
	blockedOn *Lock  // waiting in lock for this lock
	spinning  bool   // waiting in osyield
	spinSeen  uint64 // World.progress when it started spinning
	// spinWord, when not nil, is the word a spinning M waits on (its
	// last load's), and spinChanges that word's Changes at the load.
	spinWord    *atomic.Word
	spinChanges uint64
	// cut: the M spins under a SpinCutter and never runs again in the
	// run (it waits on spinWord as it was at spinChanges).
	cut bool
	// cutReleases is, for a cut M blocked on a lock, the lock's
	// releases when it blocked.
	cutReleases uint64
	waitFor     *M   // a preempted goroutine: it resumes once this M (its M's scheduler) has finished
	Sched       bool // a scheduler M that Conc.Spawn started, not a thread's
	moved       Site // the safe point of its goroutine's last move to another P in this run
}

// Moved returns the safe point at which the goroutine on m was last
// preempted and resumed on another P during the current concurrent run
// (see Site: the ported call whose prologue it was, or the safe point's
// name between calls), or the zero Site if it was not.
func (m *M) Moved() Site { return m.moved }

// SafePoint returns the safe point the M is at during its current Step,
// or "" (see World.SafePoint).
func (m *M) SafePoint() string { return m.safe }

// Started reports whether the M has run at all in its concurrent run,
// Finished whether it has ended.
func (m *M) Started() bool  { return m.started }
func (m *M) Finished() bool { return m.finished }

// Holding reports whether m holds any lock (a mutex or a timer's).
func (m *M) Holding() bool { return len(m.held) > 0 }

// HoldingMutex reports whether m holds a runtime mutex (lock counts it in
// m.locks upstream). A timer's lock is a CAS of its status word, which
// does not count in m.locks: only the acquirem around it keeps its holder
// from being preempted.
func (m *M) HoldingMutex() bool {
	for _, l := range m.held {
		if l.Class != ClassTimer {
			return true
		}
	}
	return false
}

// Held returns the names of the locks m holds, in acquisition order.
func (m *M) Held() []string {
	var names []string
	for _, l := range m.held {
		names = append(names, l.Name)
	}
	return names
}

// Scheduler decides what happens at the World's scheduling points.
type Scheduler interface {
	// Step is called before every primitive of m.
	Step(w *World, m *M)
	// Spin is called when m calls osyield: it waits for another M.
	Spin(w *World, m *M, what string)
	// Block is called when m wants l, which another M holds. It returns
	// when m may try again.
	Block(w *World, m *M, l *Lock)
}

// Sequential runs one M and nothing else: an M that waits for another M
// waits forever, so Spin and Block end the call with a Hang.
type Sequential struct{}

func (Sequential) Step(w *World, m *M) {}

func (Sequential) Spin(w *World, m *M, what string) {
	panic(w.hang(HangSpin, what+"; no other M can run"))
}

func (Sequential) Block(w *World, m *M, l *Lock) {
	panic(w.hang(HangDeadlock, fmt.Sprintf("lock(%s): held by M%d, which cannot run", l.Name, l.owner.ID)))
}

// HangKind says how a call failed to finish.
type HangKind uint8

const (
	HangSpin     HangKind = iota + 1 // spinning in osyield with no M able to change what it waits for
	HangDeadlock                     // blocked in lock with no M able to release it
	HangBudget                       // more scheduling points than the step budget
)

var hangNames = [...]string{HangSpin: "livelock", HangDeadlock: "deadlock", HangBudget: "step budget"}

func (k HangKind) String() string { return hangNames[k] }

// Hang ends a call that cannot finish. It is raised with panic and turned
// into an observation by the port's adapter.
type Hang struct {
	Kind  HangKind
	What  string // what it waited for
	Where string // the ported functions on the stack, innermost first
	Site  Site   // the innermost of them, with its line and call
	M     int
	Steps int
}

func (h *Hang) Error() string {
	return fmt.Sprintf("%s in %s: %s", h.Kind, h.Where, h.What)
}

func (w *World) hang(kind HangKind, what string) *Hang {
	w.Shared()
	where, site := w.where()
	return &Hang{Kind: kind, What: what, Where: where, Site: site, M: w.cur.ID, Steps: w.cur.steps}
}

// Throw is the runtime's throw (and badTimer): the process would die with
// this message. Raised with panic and turned into an observation by the
// adapter.
type Throw struct {
	Msg   string
	Where string
	Site  Site // the ported call of throw (or of badTimer)
}

func (t *Throw) Error() string { return fmt.Sprintf("throw %q in %s", t.Msg, t.Where) }

// Where names the functions of the ported time.go on the current stack,
// innermost first: "modtimer < resettimer < resetTimer". The names of a
// stack are cached by its PCs: lock-order sites recur in every run.
func Where(portFile string) string {
	var key whereKey
	key.file = portFile
	callers(2, &key.pcs)
	return cachedWhere(key)
}

// cachedWhere returns whereNames(key), cached.
func cachedWhere(key whereKey) string {
	whereCache.RLock()
	s, ok := whereCache.m[key]
	whereCache.RUnlock()
	if ok {
		return s
	}
	s = whereNames(key)
	whereCache.Lock()
	whereCache.m[key] = s
	whereCache.Unlock()
	return s
}

// where is Where and Here("badTimer") of one stack walk: for a throw or
// a hang, whose site is the ported call that threw or waited.
func (w *World) where() (string, Site) {
	var key whereKey
	key.file = w.cfg.PortFile
	callers(3, &key.pcs)
	return cachedWhere(key), siteOf(key, throwHelpers)
}

var throwHelpers = []string{"badTimer"}

type whereKey struct {
	file string
	pcs  [16]uintptr // enough to reach the ported functions from the primitive
}

// whereCache maps a whereKey to its names. Not a sync.Map: with one
// declared here, the native fuzzing engine saw new coverage after nearly
// every input of an empty target linking this package (fuzz/doc.go).
var whereCache = struct {
	sync.RWMutex
	m map[whereKey]string
}{m: map[whereKey]string{}}

func whereNames(key whereKey) string {
	n := 0
	for n < len(key.pcs) && key.pcs[n] != 0 {
		n++
	}
	frames := runtime.CallersFrames(key.pcs[:n])
	var names []string
	for {
		f, more := frames.Next()
		if key.file != "" && strings.HasSuffix(f.File, key.file) {
			name := f.Function
			if i := strings.LastIndex(name, "."); i >= 0 {
				name = name[i+1:]
			}
			if len(names) == 0 || names[len(names)-1] != name {
				names = append(names, name)
			}
		}
		if !more {
			break
		}
	}
	if len(names) == 0 {
		return "?"
	}
	return strings.Join(names, " < ")
}
