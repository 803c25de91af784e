//go:build !amd64

package sim

import "unsafe"

// framePointer: not read on this architecture; callers walks the stack
// with runtime.Callers every time.
func framePointer() unsafe.Pointer { return nil }
