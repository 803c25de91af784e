// Package sys stands in for runtime/internal/sys in the ported timer code,
// for the same reason as package abi: the race-detector blocks that use it
// must compile unchanged, though they never run.
package sys

// PCQuantum is the minimal distance between instructions on amd64.
const PCQuantum = 1
