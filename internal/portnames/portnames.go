// Package portnames holds the names the generated ports give their
// timers' words, Ps' words and locks, timer masks and goroutine
// functions: the same strings in every port, so made once here rather
// than by each of the seven ports' package inits. (The native fuzzing
// engine diffs every coverage counter of the test binary after each
// input; code repeated in every port counts seven times.)
package portnames

import (
	"strconv"

	"github.com/timerdiff/timerdiff/internal/port"
)

// Mask is the TimerpMask string of n Ps (0..port.MaxProcs) whose bits
// are bits: one character per P, '1' set.
func Mask(n int, bits uint32) string { return maskNames[n][bits&(1<<n-1)] }

// maskNames[n][bits] is Mask(n, bits).
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

// GoroutineReady names the timer function of goroutine g's sleep timer
// (0 <= g < port.MaxGs).
func GoroutineReady(g int) string { return goroutineReadyNames[g] }

var goroutineReadyNames = func() (names [port.MaxGs]string) {
	for i := range names {
		names[i] = "goroutineReady(g" + strconv.Itoa(i) + ")"
	}
	return
}()

// StatusWord names a timer's status word, by the timer's name ("t3",
// "g1.timer"); "" for any other name.
func StatusWord(timer string) string { return statusWordNames[timer] }

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

// PWords are the names of P id's timersLock, numTimers, deletedTimers,
// timer0When and timerModifiedEarliest (0 <= id < port.MaxProcs).
func PWords(id int) *[5]string { return &pWordNames[id] }

var pWordNames = func() (names [port.MaxProcs][5]string) {
	for id := range names {
		p := "P" + strconv.Itoa(id)
		names[id] = [5]string{p + ".timersLock", p + ".numTimers", p + ".deletedTimers", p + ".timer0When", p + ".timerModifiedEarliest"}
	}
	return
}()

// PollDescLock names the lock of the pollDesc whose timer is slot t
// (0 <= t < port.MaxTimers).
func PollDescLock(t int) string { return pdLockNames[t] }

var pdLockNames = func() (names [port.MaxTimers]string) {
	for i := range names {
		names[i] = "pd(" + port.TimerName(i) + ").lock"
	}
	return
}()
