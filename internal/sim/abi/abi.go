// Package abi stands in for internal/abi in the ported timer code. The
// ports use it only inside `if raceenabled` blocks, which never run in the
// simulation (raceenabled is false); it exists so those blocks compile
// unchanged.
package abi

// FuncPCABIInternal returns 0: there are no real PCs in the simulation.
func FuncPCABIInternal(f any) uintptr { return 0 }
