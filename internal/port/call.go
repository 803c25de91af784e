package port

import "fmt"

// String prints c as a line of Go, the canonical syntax of a script op
// (see package ops):
//
//	P0: t3.startTimer(when=150, period=0, f=fire(a3), seq=0)
//	P1: t1.stopTimer()
//	P0: t0.resetTimer(when=110)
//	P0: t2.modTimer(when=5, period=3)
//	P1: t3.modtimer(when=5, period=0, f=reset(a3, t1, 40), seq=2)
//	P0: g1.sleep(ns=5)
//	P1: checkTimers(P1)
//	P0: procresize(3)
//	pidleput(P1)
//	pidleget(P1)
//	timeSleepUntil()
//	nobarrierWakeTime(P0)
//	advance(30)
//
// The prefix "Pn: " is the P the calling goroutine runs on (c.On); the
// last five kinds are not made by a goroutine on a P and print none.
// Fields that c.Kind does not use are not printed.
func (c Call) String() string {
	on := fmt.Sprintf("P%d: ", c.On)
	t := TimerName(c.T)
	switch c.Kind {
	case StartTimer:
		return fmt.Sprintf("%s%s.startTimer(when=%d, period=%d, f=%v, seq=%d)", on, t, c.When, c.Period, c.F, c.Seq)
	case StopTimer:
		return fmt.Sprintf("%s%s.stopTimer()", on, t)
	case ResetTimer:
		return fmt.Sprintf("%s%s.resetTimer(when=%d)", on, t, c.When)
	case ModTimer:
		return fmt.Sprintf("%s%s.modTimer(when=%d, period=%d)", on, t, c.When, c.Period)
	case Modtimer:
		return fmt.Sprintf("%s%s.modtimer(when=%d, period=%d, f=%v, seq=%d)", on, t, c.When, c.Period, c.F, c.Seq)
	case Sleep:
		return fmt.Sprintf("%sg%d.sleep(ns=%d)", on, c.G, c.When)
	case CheckTimers:
		return fmt.Sprintf("%scheckTimers(P%d)", on, c.P)
	case Procresize:
		return fmt.Sprintf("%sprocresize(%d)", on, c.N)
	case Pidleput:
		return fmt.Sprintf("pidleput(P%d)", c.P)
	case Pidleget:
		return fmt.Sprintf("pidleget(P%d)", c.P)
	case TimeSleepUntil:
		return "timeSleepUntil()"
	case NobarrierWakeTime:
		return fmt.Sprintf("nobarrierWakeTime(P%d)", c.P)
	case Advance:
		return fmt.Sprintf("advance(%d)", c.When)
	}
	return fmt.Sprintf("%s%v()", on, c.Kind)
}
