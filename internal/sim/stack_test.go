package sim

import (
	"runtime"
	"testing"
)

// stackVia recurses depth times through stackA or stackB (by the bits of
// path), then compares callers with runtime.Callers at the bottom: both
// skip the bottom frame, whose PC differs between the two calls.
//
//go:noinline
func stackVia(depth int, path uint) (got, want [16]uintptr) {
	if depth > 0 {
		if path&1 == 0 {
			return stackA(depth-1, path>>1)
		}
		return stackB(depth-1, path>>1)
	}
	callers(2, &got)
	runtime.Callers(2, want[:])
	return got, want
}

//go:noinline
func stackA(depth int, path uint) ([16]uintptr, [16]uintptr) { return stackVia(depth, path) }

// stackB is inlined into stackVia: the same physical frame, one more
// logical one.
func stackB(depth int, path uint) ([16]uintptr, [16]uintptr) { return stackVia(depth, path) }

// TestCallersCached: callers returns what runtime.Callers does, on
// stacks shallower and deeper than its key, with inlined frames, the
// second time from the cache.
func TestCallersCached(t *testing.T) {
	for round := range 2 {
		for depth := range 40 {
			for _, path := range []uint{0, 1, 0b0101, 0b1010, 1<<depth - 1} {
				got, want := stackVia(depth, path)
				if got != want {
					t.Fatalf("round %d, depth %d, path %b: callers = %x, runtime.Callers = %x", round, depth, path, got, want)
				}
			}
		}
	}
	if framePointer() != nil && len(fpCache.m) == 0 {
		t.Error("the frame pointers were read, but nothing was cached")
	}
}
