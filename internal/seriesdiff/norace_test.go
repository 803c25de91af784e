//go:build !race

package seriesdiff

const raceEnabled = false
