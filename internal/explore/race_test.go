//go:build race

package explore

// raceEnabled makes the tests explore less under the race detector, which
// slows every run down about tenfold.
const raceEnabled = true
