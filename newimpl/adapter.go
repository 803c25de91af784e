// Code shared by oldimpl and newimpl: keep the two copies identical apart
// from the package clause (TestTwinsIdentical checks it).

package newimpl

// This file exposes the ported time.go through port.World: it builds the
// World, turns each port.Call into the runtime entry point that makes it
// (as proc.go and package time do at the commit), and reads the state.

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sim"
	"github.com/timerdiff/timerdiff/internal/sim/atomic"
)

// Impl is this version of the timer code.
var Impl port.Impl = impl{}

type impl struct{}

// running is held while a World of this package is open: the port's
// globals belong to one World at a time.
var running sync.Mutex

func (impl) Name() string { return implName }

var statusNames = []string{
	timerRemoved:  "timerRemoved",
	timerWaiting:  "timerWaiting",
	timerLocked:   "timerLocked",
	timerModified: "timerModified",
}

// adapter is the open World.
type adapter struct {
	cfg    port.Config
	m0     *m
	g0     *g       // the goroutine that makes every call but Sleep
	gs     []*g     // goroutines that sleep
	timers []*timer // slots t0..
	pds    []*mutex // the pollDesc lock netpoll holds around each slot's modtimer, made on first use
	all    []*timer // every timer: the slots, then the sleep timers; index = status Word.ID
	names  []string // by the same index

	// The last snapshot and verification, reused while the state has not
	// changed (most calls that return a value change nothing).
	epoch     int
	snap      *port.State
	snapKey   port.Version
	bad       []string
	verified  bool
	verifyKey port.Version
	calls     int
	dead      bool
	closed    bool
}

func (impl) Open(cfg port.Config) port.World {
	running.Lock()
	world = sim.NewWorld(sim.Config{
		StepBudget:    cfg.StepBudget,
		Clock:         cfg.Clock,
		LockedStatus:  timerLocked,
		RemovedStatus: timerRemoved,
		StatusNames:   statusNames,
		PortFile:      portFile,
	})
	allp, allPs, pidle = nil, nil, nil
	allpLock = mutex{sim.NewMutex("allpLock", sim.ClassAllp)}
	netpollInitLock = mutex{sim.NewMutex("netpollInitLock", sim.ClassNetpollInit)}
	netpollInited = atomic.Uint32{}
	netpollInited.Bind(world.NewWord("netpollInited", sim.KindPlain, ""))
	timerpMask = pMask{}
	timerpMask.bits.Bind(world.NewWord("timerpMask", sim.KindPlain, ""))

	a := &adapter{cfg: cfg}
	current = a
	a.m0 = newM(world.Cur())
	ms = []*m{a.m0}
	for i := 0; i < cfg.Procs; i++ {
		a.growP()
	}
	a.m0.p.set(allp[0])
	for i := 0; i < cfg.Timers; i++ {
		t := a.newTimer(port.TimerName(i))
		t.f = fireFunc
		t.arg = a.newFuncArg(port.Func{Kind: port.FuncFire, Arg: i})
		a.timers = append(a.timers, t)
	}
	// Each goroutine's sleep timer exists from the start (upstream makes
	// it on the first time.Sleep), so that the World can track its lock.
	for i := 0; i < port.MaxGs; i++ {
		a.gs = append(a.gs, &g{m: a.m0, goid: i, timer: a.newTimer(port.SleepTimerName(i))})
	}
	return a
}

func (a *adapter) Close() {
	if a.closed || current != a {
		panic(implName + "impl: Close of a closed World")
	}
	a.closed = true
	world, allp, allPs, ms, current = nil, nil, nil, nil, nil
	running.Unlock()
}

// statusWordNames maps a timer's name to its status word's, made once.
var statusWordNames = func() map[string]string {
	m := map[string]string{}
	for i := 0; i < port.MaxTimers; i++ {
		m[port.TimerName(i)] = port.TimerName(i) + ".status"
	}
	for i := 0; i < port.MaxGs; i++ {
		m[port.SleepTimerName(i)] = port.SleepTimerName(i) + ".status"
	}
	return m
}()

// pWordNames are the names of each P's lock and words, made once.
var pWordNames = func() (names [port.MaxProcs][5]string) {
	for id := range names {
		p := "P" + strconv.Itoa(id)
		names[id] = [5]string{p + ".timersLock", p + ".numTimers", p + ".deletedTimers", p + ".timer0When", p + ".timerModifiedEarliest"}
	}
	return
}()

func (a *adapter) newTimer(name string) *timer {
	t := new(timer)
	t.status.Bind(world.NewWord(statusWordNames[name], sim.KindTimerStatus, name))
	a.all = append(a.all, t)
	a.names = append(a.names, name)
	return t
}

// growP adds the next P to allp, reusing a destroyed one as procresize
// does, with its timer mask bit set (it is running).
func (a *adapter) growP() {
	id := len(allp)
	if id == len(allPs) {
		pp := &p{id: int32(id)}
		names := &pWordNames[id]
		pp.timersLock = mutex{sim.NewMutex(names[0], sim.ClassTimers)}
		pp.numTimers.Bind(world.NewWord(names[1], sim.KindPlain, ""))
		pp.deletedTimers.Bind(world.NewWord(names[2], sim.KindPlain, ""))
		pp.timer0When.Bind(world.NewWord(names[3], sim.KindPlain, ""))
		pp.timerModifiedEarliest.Bind(world.NewWord(names[4], sim.KindPlain, ""))
		allPs = append(allPs, pp)
	}
	allp = append(allp, allPs[id])
	timerpMask.bits.SetRaw(timerpMask.bits.Raw() | 1<<id)
}

// funcArg is the arg of every timer function the adapter installs: its
// tag, target and when. The function itself (f) says what to do, so a
// version that installs the wrong f shows it.
type funcArg struct {
	a     *adapter
	f     port.Func
	names [3]string // name(k), made on first use
}

func (a *adapter) newFuncArg(f port.Func) *funcArg { return &funcArg{a: a, f: f} }

// name is the Func's String() as a function of kind k would run it.
func (fa *funcArg) name(k port.FuncKind) string {
	if fa.names[k] == "" {
		g := fa.f
		g.Kind = k
		fa.names[k] = g.String()
	}
	return fa.names[k]
}

// timerFuncs are the timer functions, by port.FuncKind.
var timerFuncs = [...]func(any, uintptr){
	port.FuncFire:  fireFunc,
	port.FuncStop:  stopFunc,
	port.FuncReset: resetFunc,
}

func fireFunc(arg any, seq uintptr)  { runTimerFunc(port.FuncFire, arg, seq) }
func stopFunc(arg any, seq uintptr)  { runTimerFunc(port.FuncStop, arg, seq) }
func resetFunc(arg any, seq uintptr) { runTimerFunc(port.FuncReset, arg, seq) }

// funcKind says which timer function f is; -1 if none of them.
func funcKind(f func(any, uintptr)) int {
	if f == nil {
		return -1
	}
	p := reflect.ValueOf(f).Pointer()
	for k, tf := range timerFuncs {
		if reflect.ValueOf(tf).Pointer() == p {
			return k
		}
	}
	return -1
}

// runTimerFunc records the firing and then does what the function of
// kind k does, on the M running the timer.
func runTimerFunc(k port.FuncKind, arg any, seq uintptr) {
	fa := arg.(*funcArg)
	a := fa.a
	mp := getg().m
	i := len(mp.fires)
	mp.fires = append(mp.fires, port.Fire{What: fa.name(k), Seq: seq, Now: nanotime(), P: int(mp.p.ptr().id)})
	switch k {
	case port.FuncStop:
		pending := stopTimer(a.timers[fa.f.Target])
		mp.fires[i].Then = "stopTimer(" + port.TimerName(fa.f.Target) + ") -> pending=" + strconv.FormatBool(pending)
	case port.FuncReset:
		when := fa.f.When
		if now := nanotime(); when <= now {
			// The real clock has moved past the now that checkTimers
			// read by the time a timer function runs; the virtual one
			// has not. A reset into the past would run again in the
			// same checkTimers loop forever, so it lands just after now.
			when = now + 1
		}
		pending := resetTimer(a.timers[fa.f.Target], when)
		mp.fires[i].Then = fmt.Sprintf("resetTimer(%s, %d) -> pending=%t", port.TimerName(fa.f.Target), when, pending)
	}
}

// current is the open adapter.
var current *adapter

// onGoready records goroutineReady's goready.
func onGoready(gp *g) {
	mp := getg().m
	mp.fires = append(mp.fires, port.Fire{
		What: "goready(g" + strconv.Itoa(gp.goid) + ")",
		Now:  nanotime(),
		P:    int(mp.p.ptr().id),
	})
}

func (a *adapter) check(c port.Call) error {
	n := len(allp)
	inP := func(what string, v int) error {
		if v < 0 || v >= n {
			return fmt.Errorf("%s: P%d does not exist (%d Ps)", what, v, n)
		}
		return nil
	}
	inT := func(what string, v int) error {
		if v < 0 || v >= len(a.timers) {
			return fmt.Errorf("%s: timer t%d does not exist (%d timers)", what, v, len(a.timers))
		}
		return nil
	}
	if err := inP("on", c.On); err != nil {
		return err
	}
	if c.Kind != port.Pidleput && c.Kind != port.Pidleget && c.Kind != port.NobarrierWakeTime &&
		c.Kind != port.TimeSleepUntil && c.Kind != port.Advance && isIdle(allp[c.On]) {
		return fmt.Errorf("%v: P%d is idle: no code runs on an idle P", c.Kind, c.On)
	}
	switch c.Kind {
	case port.StartTimer, port.Modtimer:
		if err := inT(c.Kind.String(), c.T); err != nil {
			return err
		}
		if c.F.Kind != port.FuncFire {
			return inT(c.F.String(), c.F.Target)
		}
	case port.StopTimer, port.ResetTimer, port.ModTimer:
		return inT(c.Kind.String(), c.T)
	case port.Sleep:
		if c.G < 0 || c.G >= len(a.gs) {
			return fmt.Errorf("sleep: goroutine g%d does not exist (%d goroutines)", c.G, len(a.gs))
		}
	case port.Pidleput:
		if err := inP(c.Kind.String(), c.P); err != nil {
			return err
		}
		if isIdle(allp[c.P]) {
			return fmt.Errorf("pidleput: P%d is already idle", c.P)
		}
	case port.Pidleget:
		if err := inP(c.Kind.String(), c.P); err != nil {
			return err
		}
		if len(pidle) == 0 || int(pidle[len(pidle)-1]) != c.P {
			return fmt.Errorf("pidleget: P%d is not the head of the idle list %v", c.P, pidle)
		}
	case port.CheckTimers, port.NobarrierWakeTime:
		return inP(c.Kind.String(), c.P)
	case port.Procresize:
		if c.N < 1 || c.N > port.MaxProcs {
			return fmt.Errorf("procresize: %d Ps is outside 1..%d", c.N, port.MaxProcs)
		}
	case port.TimeSleepUntil:
	case port.Advance:
		if c.When < 0 {
			return fmt.Errorf("advance: %d: the clock does not go back", c.When)
		}
		if c.When > maxWhen-1-world.Now() {
			// At now == maxWhen a periodic timer saturated at maxWhen is
			// due forever; the real clock never gets there.
			return fmt.Errorf("advance: %d: the clock (%d) stays below maxWhen", c.When, world.Now())
		}
	default:
		return fmt.Errorf("unknown call kind %d", c.Kind)
	}
	return nil
}

func (a *adapter) Do(c port.Call) (o port.Outcome, err error) {
	if a.closed {
		return o, errors.New(implName + "impl: call on a closed World")
	}
	if a.dead {
		return o, port.ErrDead
	}
	if err := a.check(c); err != nil {
		return o, err
	}
	a.m0.p.set(allp[c.On])
	o = a.call(a.m0, a.calls, c)
	a.calls++
	return o, nil
}

// call makes call number i on M mp, which must be running, and turns a
// throw, crash or hang into the outcome.
func (a *adapter) call(mp *m, i int, c port.Call) (o port.Outcome) {
	world.BeginCall(i)
	mp.curg = mp.g0
	if userCall(c.Kind) {
		mp.curg = mp.user
	}
	defer func() {
		mp.curg = mp.g0
		if r := recover(); r != nil {
			if sim.IsAbort(r) {
				// Another M threw or hung: the process is gone.
				o.Cut = true
				return
			}
			a.dead = true
			switch x := r.(type) {
			case *sim.Throw:
				o.Throw, o.Where = x.Msg, x.Where
			case *sim.Hang:
				o.Hang, o.Where = x.Kind.String()+": "+x.What, x.Where
			case runtime.Error:
				// The real runtime would crash here too.
				o.Throw, o.Where = "panic: "+x.Error(), sim.Where(portFile)
			default:
				panic(r)
			}
		}
		o.Steps = world.Steps()
		o.Fires, mp.fires = mp.fires, nil
		o.Wakes = world.TakeWakes()
	}()
	a.do(mp, c, &o)
	return o
}

func (a *adapter) do(mp *m, c port.Call, o *port.Outcome) {
	switch c.Kind {
	case port.StartTimer:
		a.epoch++
		// time.NewTimer fills in a new timer, then starts it. A slot
		// whose timer is still in use stands for a timer that was
		// started before (a copied time.Timer): its fields are left
		// alone, and startTimer throws.
		t := a.timers[c.T]
		if t.status.Raw() == timerRemoved {
			t.when = c.When
			t.period = c.Period
			t.f = timerFuncs[c.F.Kind]
			t.arg = a.newFuncArg(c.F)
			t.seq = c.Seq
		}
		startTimer(t)
	case port.StopTimer:
		o.Pending = stopTimer(a.timers[c.T])
	case port.ResetTimer:
		o.Pending = resetTimer(a.timers[c.T], c.When)
	case port.ModTimer:
		modTimer(a.timers[c.T], c.When, c.Period)
	case port.Modtimer:
		// poll_runtime_pollSetDeadline holds pd.lock around it.
		pd := a.pdLock(c.T)
		lock(pd)
		o.Pending = modtimer(a.timers[c.T], c.When, c.Period, timerFuncs[c.F.Kind], a.newFuncArg(c.F), c.Seq)
		unlock(pd)
	case port.Sleep:
		gp := a.gs[c.G]
		gp.m, mp.curg = mp, gp
		timeSleep(c.When)
		mp.curg = mp.g0
	case port.CheckTimers:
		if c.P == c.On {
			// schedule and findRunnable: checkTimers(pp, 0) on the P the
			// M holds (a thread's goroutine may have moved since).
			o.Rnow, o.PollUntil, o.Ran = checkTimers(mp.p.ptr(), 0)
			return
		}
		// stealWork: never its own P, and only Ps whose timerpMask bit
		// is set, with the now it read earlier.
		pp := allp[c.P]
		if pp == mp.p.ptr() || !timerpMask.read(uint32(c.P)) {
			o.Skipped = true
			return
		}
		o.Rnow, o.PollUntil, o.Ran = checkTimers(pp, nanotime())
	case port.Procresize:
		a.epoch++
		a.procresize(mp, c.N)
	case port.Pidleput:
		pidleput(allp[c.P])
	case port.Pidleget:
		pidleget()
	case port.TimeSleepUntil:
		o.When = timeSleepUntil()
	case port.NobarrierWakeTime:
		o.When = nobarrierWakeTime(allp[c.P])
	case port.Advance:
		world.Advance(c.When)
	}
}

// pdLock returns the lock of the pollDesc whose timer is slot t.
func (a *adapter) pdLock(t int) *mutex {
	for len(a.pds) <= t {
		a.pds = append(a.pds, nil)
	}
	if a.pds[t] == nil {
		a.pds[t] = &mutex{sim.NewMutex(pdLockNames[t], sim.ClassPollDesc)}
	}
	return a.pds[t]
}

// pdLockNames names each slot's pollDesc lock, made once.
var pdLockNames = func() (names [port.MaxTimers]string) {
	for i := range names {
		names[i] = "pd(" + port.TimerName(i) + ").lock"
	}
	return
}()

// procresize is the timer part of proc.go's procresize(nprocs), run with
// the world stopped: new Ps are initialized; the caller keeps its P if it
// survives, else takes allp[0]; each destroyed P's timers are adopted by
// the caller's P (p.destroy -> adoptTimers); allp is trimmed under
// allpLock. The Ps that procresize would then put idle are left running.
func (a *adapter) procresize(mp *m, nprocs int) {
	for len(allp) < nprocs {
		a.growP()
	}
	// Destroyed Ps leave the idle list; a caller whose P is destroyed
	// takes allp[0], which is then no longer idle.
	pidle = slices.DeleteFunc(pidle, func(id int32) bool { return int(id) >= nprocs })
	if int(mp.p.ptr().id) >= nprocs {
		mp.p.set(allp[0])
		if isIdle(allp[0]) {
			pidle = slices.DeleteFunc(pidle, func(id int32) bool { return id == 0 })
			timerpMask.set(0)
		}
	}
	for i := nprocs; i < len(allp); i++ {
		adoptTimers(allp[i])
	}
	if len(allp) != nprocs {
		lock(&allpLock)
		for i := nprocs; i < len(allp); i++ {
			timerpMask.bits.SetRaw(timerpMask.bits.Raw() &^ (1 << i))
		}
		allp = allp[:nprocs]
		unlock(&allpLock)
	}
}
