//go:build race

package seriesdiff

// raceEnabled restricts the golden test to two pairs under the race
// detector, which slows every run down about fourfold here (44 s for
// every pair).
const raceEnabled = true
