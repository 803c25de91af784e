package sim

import (
	"runtime"
	"sync"
	"unsafe"
)

// callers fills pcs as runtime.Callers(skip, pcs[:]) would if called
// where callers is called: the logical stack that Where, Here and the
// throw's where name. A stack walk with runtime.Callers costs several
// microseconds (each frame's PC tables are read), and the same stacks
// recur in every run, so where the frame pointers can be read (amd64)
// the walk is made once per physical stack: the return PCs read off the
// frame-pointer chain are the key of a process-wide cache of the result.
//
// The key determines the result: runtime.Callers reads only the return
// PCs of the physical frames (it expands the inlined frames of each from
// its PC), and callers' own PC at that call is always the same. The key
// holds fpFrames physical frames, at least as many as the logical frames
// the result can reach (skip + len(pcs), each physical frame being one or
// more logical ones), or the whole chain if it is shorter.
//
//go:noinline
func callers(skip int, pcs *[16]uintptr) {
	fp := framePointer() // this frame's; nil where it cannot be read
	if fp == nil || skip+len(pcs) >= fpFrames {
		runtime.Callers(skip+1, pcs[:])
		return
	}
	k := fpKey{skip: skip}
	for i := range k.pcs {
		if fp == nil {
			break
		}
		k.pcs[i] = *(*uintptr)(unsafe.Add(fp, unsafe.Sizeof(uintptr(0)))) // the return address into the caller
		fp = *(*unsafe.Pointer)(fp)                                       // the caller's saved frame pointer
	}
	fpCache.RLock()
	v, ok := fpCache.m[k]
	fpCache.RUnlock()
	if ok {
		*pcs = v
		return
	}
	runtime.Callers(skip+1, pcs[:])
	fpCache.Lock()
	fpCache.m[k] = *pcs
	fpCache.Unlock()
}

// fpFrames is how many physical frames a fpKey holds.
const fpFrames = 24

type fpKey struct {
	skip int
	pcs  [fpFrames]uintptr
}

// fpCache maps a physical stack to its runtime.Callers. Not a sync.Map,
// for the reason whereCache gives.
var fpCache = struct {
	sync.RWMutex
	m map[fpKey][16]uintptr
}{m: map[fpKey][16]uintptr{}}
