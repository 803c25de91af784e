//go:build !amd64 || gofuzz_libfuzzer

package sim

import "unsafe"

// framePointer: not read on this architecture, nor in libFuzzer builds
// (see fp_walk.go); callers walks the stack with runtime.Callers every
// time.
func framePointer() unsafe.Pointer { return nil }
