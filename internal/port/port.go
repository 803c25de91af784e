// Package port is the one small interface through which the rest of
// timerdiff drives a version of the runtime's timer code, and the values
// that cross it.
//
// Invariants:
//   - A World is fresh when opened: nothing leaks from an earlier World.
//   - Every call ends: a throw, a crash of the code under test or a hang
//     becomes part of the Outcome, never a panic of the caller. Bad input
//     (an unknown timer, a P that does not exist) is an error, and the
//     World is unchanged.
//   - After a call that threw, crashed or hung the World is dead (the real
//     process would be): further calls return ErrDead.
//   - Everything is deterministic: the same calls on a fresh World give
//     the same Outcomes and States.
package port

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/timerdiff/timerdiff/internal/sim"
)

// Limits on the size of a World.
const (
	MaxProcs  = 4  // Ps
	MaxTimers = 16 // timer slots t0..t15
	MaxGs     = 4  // goroutines g0..g3 that can call time.Sleep
)

// Impl is one version of the code under test.
type Impl interface {
	// Name is "old" or "new" for the pair under test, or the short commit
	// hash of another version of the series (internal/versions).
	Name() string
	// Open starts a fresh World. An Impl runs one World at a time (the
	// port's globals are per package): Open waits until the previous World
	// of the same Impl is closed. Worlds of different Impls run in parallel.
	Open(cfg Config) World
}

// Config sizes a World.
type Config struct {
	Procs      int   // Ps at the start (GOMAXPROCS), 1..MaxProcs
	Timers     int   // timer slots, 0..MaxTimers
	Clock      int64 // initial virtual time (nanotime), > 0
	StepBudget int   // scheduling points one call may take; 0: the default
	// NoLockSites leaves LockEdge.Where empty (sim.Config.NoSites): for
	// the lockstep judge, which reads only the edges' RankOK and the
	// cycles, and locates a failure on fresh Worlds without it.
	NoLockSites bool
	// Reuse lets the World take over the memory of the last World of the
	// same Impl opened with Reuse, once that one is closed, rewriting
	// every object as new: for a caller that keeps nothing of a World
	// after Close (the lockstep judge, a World per version per input).
	// The Fires and Wakes of an Outcome that Do returns are then valid
	// only until the next Do: their arrays take the next call's.
	Reuse bool
}

// DefaultConfig is the World every Program starts from unless it says
// otherwise.
var DefaultConfig = Config{Procs: 2, Timers: 4, Clock: 100}

// World is a running simulated runtime with one version's timer code.
type World interface {
	// Do makes one call, on behalf of a goroutine running on P c.On.
	Do(c Call) (Outcome, error)
	// Snapshot returns the observable state. It takes no scheduling points.
	Snapshot() State
	// SnapshotInto is Snapshot into dst, reusing its slices: for the
	// lockstep comparison, which must not allocate per call.
	SnapshotInto(dst *State)
	// Version changes whenever the observable state may have changed: a
	// caller holding a snapshot taken at an equal Version may reuse it.
	Version() Version
	// Verify checks the heap invariants (verifyTimerHeap's and the
	// counters') of every P whose timersLock is free, and returns one line
	// per violation.
	Verify() []string
	// LockOrder returns the lock-class pairs seen so far and the cycles
	// among them that the declared rank order does not allow.
	LockOrder() ([]LockEdge, []string)
	// Concurrent runs the threads at the same time, thread i on its own
	// M i, interleaved at the simulated runtime's scheduling points as ch
	// chooses. The API contract is the caller's to keep: no two threads
	// may call stop/reset/modtimer on one timer (timer functions run by
	// checkTimers count as the thread that called checkTimers).
	// Procresize, which needs the world stopped, is refused. With record
	// set, the outcome holds every M's events, for pictures.
	Concurrent(threads []Thread, ch sim.Chooser, record bool) (ConcOutcome, error)
	// Close ends the World and lets its Impl open another.
	Close()
}

// Version identifies a moment of a World's state (see World.Version).
type Version struct {
	Progress uint64 // writes to atomic words and unlocks: the code under test changes nothing without one
	Clock    int64
	Epoch    int // the adapter's own changes (starting a timer, procresize)
}

// ErrDead is returned by calls after one that threw, crashed or hung.
var ErrDead = errors.New("world is dead: an earlier call threw, crashed or hung")

// Kind is an entry point of the runtime that reaches time.go.
type Kind uint8

const (
	StartTimer        Kind = iota + 1 // time.NewTimer: set when/period/f/arg/seq, then startTimer
	StopTimer                         // time.Timer.Stop: stopTimer -> deltimer
	ResetTimer                        // time.Timer.Reset: resetTimer -> resettimer -> modtimer
	ModTimer                          // time.Ticker.Reset: modTimer -> modtimer with the timer's f/arg/seq
	Modtimer                          // netpoll: modtimer with a new f/arg/seq
	Sleep                             // time.Sleep on goroutine G: timeSleep, gopark, resetForSleep
	CheckTimers                       // schedule/findRunnable on P On (P == On), or stealWork from P (P != On)
	Procresize                        // GOMAXPROCS(N): destroyed Ps' timers adopted by the caller's P
	Pidleput                          // P goes idle: updateTimerPMask
	Pidleget                          // P leaves idle: timerpMask.set
	TimeSleepUntil                    // sysmon
	NobarrierWakeTime                 // dropping P: nobarrierWakeTime(P)
	Advance                           // the virtual clock moves forward by D
)

var kindNames = [...]string{
	StartTimer: "startTimer", StopTimer: "stopTimer", ResetTimer: "resetTimer",
	ModTimer: "modTimer", Modtimer: "modtimer", Sleep: "sleep",
	CheckTimers: "checkTimers", Procresize: "procresize", Pidleput: "pidleput",
	Pidleget: "pidleget", TimeSleepUntil: "timeSleepUntil",
	NobarrierWakeTime: "nobarrierWakeTime", Advance: "advance",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Call is one call into the runtime. Which fields matter depends on Kind.
type Call struct {
	Kind   Kind
	On     int     // the P the calling goroutine runs on
	T      int     // timer slot
	G      int     // goroutine (Sleep)
	P      int     // target P (CheckTimers, Pidleput, Pidleget, NobarrierWakeTime)
	N      int     // GOMAXPROCS (Procresize)
	When   int64   // when (StartTimer, ResetTimer, ModTimer, Modtimer); ns (Sleep); d (Advance)
	Period int64   // StartTimer, ModTimer, Modtimer
	F      Func    // StartTimer, Modtimer
	Seq    uintptr // StartTimer, Modtimer
}

// FuncKind is what a timer function does when it fires.
type FuncKind uint8

const (
	FuncFire  FuncKind = iota // record the firing
	FuncStop                  // record, then stopTimer(t[Target])
	FuncReset                 // record, then resetTimer(t[Target], max(When, now+1)): see below
	// FuncDeadline is netpoll's deadline function (netpollReadDeadline
	// and its kin): netpolldeadlineimpl locks the pollDesc whose timer
	// fired (pd.lock, rank pollDesc), clears the deadline, unlocks it and
	// readies the waiters. Only netpoll's modtimer installs it, on the
	// timer of its own pollDesc; it touches no timer.
	FuncDeadline

// A reset function asked for a when at or before the current time uses
// now+1 instead: in the runtime the clock has moved on by the time a timer
// function runs, but the virtual clock stands still during a call, and a
// timer re-armed into the past would run again in the same checkTimers
// loop forever.
)

// Func is a timer function with its argument. Arg is a tag that the
// firing reports, so a firing says whose function ran.
type Func struct {
	Kind   FuncKind
	Arg    int
	Target int
	When   int64
}

func (f Func) String() string {
	// The names without a when, for the args the fuzz decoder makes
	// (0..62), are made once: every World names its timers' functions.
	if 0 <= f.Arg && f.Arg < len(funcNames) && 0 <= f.Target && f.Target < MaxTimers {
		switch f.Kind {
		case FuncFire, FuncDeadline, FuncStop:
			return funcNames[f.Arg][f.Kind][f.Target]
		}
	}
	return f.format()
}

// funcNames[arg][kind][target] is Func.format of the kinds without a
// when (a fire or deadline function's target is not in its name).
var funcNames = func() (names [64][FuncDeadline + 1][MaxTimers]string) {
	for a := range names {
		for _, k := range []FuncKind{FuncFire, FuncStop, FuncDeadline} {
			for t := range names[a][k] {
				if k != FuncStop && t > 0 {
					names[a][k][t] = names[a][k][0] // one string
					continue
				}
				names[a][k][t] = Func{Kind: k, Arg: a, Target: t}.format()
			}
		}
	}
	return
}()

// format is String, made anew.
func (f Func) format() string {
	// Concatenated, not fmt: every World names its timers' functions.
	a := strconv.Itoa(f.Arg)
	switch f.Kind {
	case FuncStop:
		return "stop(a" + a + ", t" + strconv.Itoa(f.Target) + ")"
	case FuncReset:
		return "reset(a" + a + ", t" + strconv.Itoa(f.Target) + ", " + strconv.FormatInt(f.When, 10) + ")"
	case FuncDeadline:
		return "deadline(a" + a + ")"
	}
	return "fire(a" + a + ")"
}

// Outcome is what one call did. Fields not produced by the call's Kind are
// zero.
type Outcome struct {
	Pending   bool         // stopTimer, resetTimer, modtimer: the result
	Rnow      int64        // checkTimers
	PollUntil int64        // checkTimers
	Ran       bool         // checkTimers
	Skipped   bool         // checkTimers from another P: timerpMask said no timers
	When      int64        // timeSleepUntil, nobarrierWakeTime
	Fires     []Fire       // timer functions run during the call, in order
	Wakes     []int64      // wakeNetPoller(when) calls, in order
	Throw     string       // throw or badTimer message; or a crash ("panic: ...")
	Hang      string       // why the call could not finish
	HangKind  sim.HangKind // with Hang: deadlock, livelock or step budget
	Where     string       // for Throw and Hang: the ported functions, innermost first
	Cause     Cause        // for Throw and Hang: the ported call that threw or waited, and the move before it (not compared: lines differ between ports)
	Steps     int          // scheduling points taken (not compared: a cost, not a behaviour)
	Cut       bool         // concurrent runs: another M threw or hung before this call ended
}

// Fire is one timer function run.
type Fire struct {
	What string  // the function: "fire(a3)", "stop(a1, t2)", "goready(g1)"
	Seq  uintptr // seq passed to it
	Now  int64   // virtual time when it ran
	P    int     // the P of the M running it
	Then string  // what a stop or reset function did: "pending=true"
}

func (f Fire) String() string {
	s := fmt.Sprintf("%s seq=%d now=%d on P%d", f.What, f.Seq, f.Now, f.P)
	if f.Then != "" {
		s += " -> " + f.Then
	}
	return s
}

// State is the observable state of a World between calls.
type State struct {
	Clock         int64
	Procs         []ProcState  // the live Ps (allp), by id
	Timers        []TimerState // the slots t0.., then the goroutines' sleep timers
	Ms            []MState
	TimerpMask    string // one character per live P: '1' set, '0' clear
	Idle          []int  // the idle list (sched.pidle) by P id, the head (the next pidleget's) last
	NetpollInited bool
}

// ProcState is one P's timer fields.
type ProcState struct {
	ID                    int
	NumTimers             uint32
	DeletedTimers         uint32
	Timer0When            int64
	TimerModifiedEarliest int64
	Heap                  []HeapEntry // pp.timers in slice order
	TimersLocked          bool
}

// HeapEntry is one element of a P's timer heap.
type HeapEntry struct {
	Timer string // "t3", "g1.timer"
	When  int64
}

// TimerState is one timer's fields.
type TimerState struct {
	Name     string
	Status   string // "timerWaiting", ...
	When     int64
	Nextwhen int64
	Period   int64
	P        int // the P whose heap holds it (t.pp), -1 if none
	F        string
	Seq      uintptr
}

// MState is one M.
type MState struct {
	ID    int
	P     int   // m.p, -1 if none
	Locks int32 // m.locks (acquirem depth)
	Held  []string
}

// LockEdge is one ordered pair of lock classes held at once.
type LockEdge struct {
	From, To         string // classes: "allp", "timers", "timer"
	FromLock, ToLock string
	Call             int
	Where            string
	RankOK           bool // mklockrank's declared order allows it
	Ranked           bool // both locks were ones a staticlockranking build checks (see sim.LockEdge)
	NoHeap           bool // the held lock was a timer in no heap every time: the edge cannot close a deadlock
}

func (e LockEdge) String() string {
	verdict := "allowed by lock rank"
	switch {
	case !e.RankOK && e.Ranked:
		verdict = "RANK VIOLATION (staticlockranking would report it)"
	case !e.RankOK:
		verdict = "RANK VIOLATION of mklockrank's order (staticlockranking does not check it: the timer lock is taken without acquireLockRank)"
	}
	in := ""
	if e.Where != "" {
		in = " in " + e.Where
	}
	// Concatenated, not fmt: the oracle prints every violating edge of
	// every schedule of a search.
	return e.From + " -> " + e.To + ": " + e.FromLock + " held while acquiring " + e.ToLock + in +
		" (call " + strconv.Itoa(e.Call) + "): " + verdict
}

// The names of timers, made once: every World uses them.
var timerNames, sleepTimerNames = func() (t [MaxTimers]string, g [MaxGs]string) {
	for i := range t {
		t[i] = "t" + strconv.Itoa(i)
	}
	for i := range g {
		g[i] = "g" + strconv.Itoa(i) + ".timer"
	}
	return
}()

// TimerName names timer slot i.
func TimerName(i int) string {
	if i >= 0 && i < MaxTimers {
		return timerNames[i]
	}
	return "t" + strconv.Itoa(i)
}

// PName names P p as state dumps show it: "P3", or "nil" for no P (-1).
func PName(p int) string {
	if p < 0 {
		return "nil"
	}
	return fmt.Sprintf("P%d", p)
}

// SleepTimerName names goroutine g's sleep timer.
func SleepTimerName(g int) string {
	if g >= 0 && g < MaxGs {
		return sleepTimerNames[g]
	}
	return "g" + strconv.Itoa(g) + ".timer"
}

// Result prints an Outcome's results for the call kind, as "pending=true".
func (o Outcome) Result(k Kind) string {
	if o.Throw == "" && o.Hang == "" {
		// The common case, made for every call of every schedule of a
		// search: one part, without fmt.
		switch k {
		case StopTimer, ResetTimer, Modtimer:
			if o.Pending {
				return "pending=true"
			}
			return "pending=false"
		case CheckTimers:
			if o.Skipped {
				return "skipped (timerpMask clear)"
			}
			var buf [80]byte
			b := append(buf[:0], "rnow="...)
			b = strconv.AppendInt(b, o.Rnow, 10)
			b = append(b, " pollUntil="...)
			b = strconv.AppendInt(b, o.PollUntil, 10)
			b = append(b, " ran="...)
			b = strconv.AppendBool(b, o.Ran)
			return string(b)
		case TimeSleepUntil, NobarrierWakeTime:
			return strconv.FormatInt(o.When, 10)
		}
		return ""
	}
	var parts []string
	switch k {
	case StopTimer, ResetTimer, Modtimer:
		parts = append(parts, "pending="+strconv.FormatBool(o.Pending))
	case CheckTimers:
		if o.Skipped {
			parts = append(parts, "skipped (timerpMask clear)")
		} else {
			parts = append(parts, fmt.Sprintf("rnow=%d pollUntil=%d ran=%t", o.Rnow, o.PollUntil, o.Ran))
		}
	case TimeSleepUntil, NobarrierWakeTime:
		parts = append(parts, fmt.Sprintf("%d", o.When))
	}
	if o.Throw != "" {
		parts = append(parts, fmt.Sprintf("throw(%q) in %s", o.Throw, o.Where))
	}
	if o.Hang != "" {
		parts = append(parts, fmt.Sprintf("HANG in %s: %s", o.Where, o.Hang))
	}
	return strings.Join(parts, " ")
}

// Thread is the calls one M makes, in order, while it holds P. Every
// call's On is P.
type Thread struct {
	P     int
	Calls []Call
}

// ConcOutcome is what a concurrent run did.
type ConcOutcome struct {
	// Outcomes holds, per thread, the outcome of each call it started;
	// a run that ended in a throw or hang leaves the other threads' last
	// calls Cut and their later calls not started.
	Outcomes [][]Outcome
	// Choices is the schedule: at each point where several Ms could run,
	// the ID of the one that ran (M i runs thread i).
	Choices     []int // sim.MigrateMark+p entries: the running goroutine moved to P p
	Preemptions int
	Migrations  int         // goroutines preempted and resumed on another P
	Events      []sim.Event // with record: every primitive and switch, in order
	// MidRun lists the heap invariant violations seen when a P's
	// timersLock was released during the run (heap order, t.pp,
	// timer0When, timers on an idle P whose mask bit is clear), each
	// once.
	MidRun []string
	// IdleAdds lists, each once, the timers seen (whenever a timersLock
	// was released) in the heap of an idle P whose timerpMask bit is
	// clear.
	IdleAdds []string
	// IdleAddAt holds, for each of IdleAdds, the index in Events of the
	// last event before it was seen (the release of the timersLock whose
	// unlock made the check), or -1 when the run was not recorded.
	IdleAddAt []int
	// DeadAdds lists, each once, the timers seen in the heap of a P that
	// procresize destroyed: no M will ever look at them.
	DeadAdds []string
	// MidRunCause, IdleAddCause and DeadAddCause hold, for each line of
	// MidRun, IdleAdds and DeadAdds, what caused it (Cause): for a heap
	// check, the unlock at which it failed; for a timer on an idle or
	// destroyed P, the add that put it there.
	MidRunCause, IdleAddCause, DeadAddCause []Cause
	// BadAdds lists the timers added during the run to the heap of a P
	// whose timerpMask bit was clear (an idle P) or that procresize had
	// destroyed, each with the add's Cause, in order.
	BadAdds []BadAdd
	// Sched lists the scheduler runs on Ps whose goroutine was
	// preempted, in the order the preemptions happened.
	Sched []SchedRun
}

// SchedRun is what the scheduler did on a P whose goroutine was
// preempted at a safe point (gopreempt_m -> schedule -> findRunnable),
// on a scheduler M of its own.
type SchedRun struct {
	M        int       // the scheduler M
	Of       int       // the M whose goroutine was preempted
	P        int       // the P it ran on
	Moved    bool      // the goroutine resumed on another P, so this one went idle
	Resize   int       // not 0: the world was stopped while the goroutine was, and this M ran procresize(Resize)
	Calls    []Call    // findRunnable's checkTimers; pidleput if Moved
	Outcomes []Outcome // of the calls it made
}

// Cause is where a problem of a concurrent run arose in a port's time.go,
// captured from the stack of the M that made it when it happened: the
// site that broke the invariant, and, for a timer added to a P the
// goroutine no longer held, the safe point at which it had last been
// preempted and resumed on another P (a move). A throw, hang or failed
// heap check has no Move: the goroutine's moves are not what it is
// about, and they would split one cause into many. Either may be zero.
type Cause struct {
	Where sim.Site
	Move  sim.Site
}

// BadAdd is a timer added to the heap of P, an idle P with its
// timerpMask bit clear or one that procresize destroyed.
type BadAdd struct {
	Timer string
	P     int
	Cause Cause
}

// IdleAddText is the sentence for timers found in the heap of idle P p
// whose timerpMask bit is clear: the ports' check during a run and
// run.IdleAdds after it say the same.
func IdleAddText(timers string, p int) string {
	return fmt.Sprintf("%s in the heap of idle P%d, whose timerpMask bit is clear (updateTimerPMask: an idle P cannot add new timers while idle)", timers, p)
}
