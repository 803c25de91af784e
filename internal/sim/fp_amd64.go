package sim

import "unsafe"

// framePointer returns the frame pointer of its caller's frame: on amd64
// every Go function with a frame saves its caller's frame pointer at
// [BP] and has its return address at [BP+8] (what the runtime's own
// frame-pointer unwinding reads, for the execution tracer).
func framePointer() unsafe.Pointer
