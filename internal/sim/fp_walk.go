//go:build amd64 && !gofuzz_libfuzzer

package sim

import "unsafe"

// framePointer returns the frame pointer of its caller's frame: on amd64
// every Go function with a frame saves its caller's frame pointer at
// [BP] and has its return address at [BP+8] (what the runtime's own
// frame-pointer unwinding reads, for the execution tracer), and a
// goroutine's outermost frame has a nil one.
//
// Not in libFuzzer builds (go-118-fuzz-build's gofuzz_libfuzzer tag):
// there the fuzz target runs in a cgo callback, and the chain goes on
// into C frames, which need not keep frame pointers (the runtime's
// tracer does not walk them either when cgo is on the stack).
func framePointer() unsafe.Pointer
