package sim

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
)

// Site is a place in a port's time.go: the function, its line there, and
// the call it was making at that line (the function one frame in, in
// any file: "doaddtimer", "lock", "throw"). Lines differ between ports;
// the function and the call are what the same code is called in every
// port (Func and Call, see Ident).
type Site struct {
	Func string // the ported function: "modtimer"
	File string // the port's time.go: "newimpl/time.go" (Config.PortFile)
	Line int
	Call string // the callee at Line; for a safe point with no ported frame on the stack, its name ("between calls")
}

// IsZero reports whether s names no place.
func (s Site) IsZero() bool { return s == Site{} }

// Ident is the site's identity across ports and runs: the function and
// the call, without the file and line ("modtimer -> doaddtimer").
func (s Site) Ident() string {
	switch {
	case s.IsZero():
		return ""
	case s.Func == "":
		return s.Call
	case s.Call == "":
		return s.Func
	}
	return s.Func + " -> " + s.Call
}

// String names the site for people: "modtimer -> doaddtimer
// (newimpl/time.go:369)", or for a safe point not called from time.go
// `safe point "between calls" (outside time.go)`.
func (s Site) String() string {
	if s.Func == "" {
		return fmt.Sprintf("safe point %q (outside time.go)", s.Call)
	}
	return fmt.Sprintf("%s (%s:%d)", s.Ident(), s.File, s.Line)
}

// Here returns the site of the running M's stack in the port's time.go:
// the innermost ported frame whose function is not one of skip (helpers
// such as doaddtimer, whose caller is the site), and the call it makes.
// It is the zero Site when no ported frame is on the stack. It costs a
// stack walk: call it only when something has gone wrong, not per step.
func (w *World) Here(skip ...string) Site {
	var key whereKey
	key.file = w.cfg.PortFile
	callers(2, &key.pcs)
	return siteOf(key, skip)
}

type siteKey struct {
	whereKey
	skip string
}

// siteCache maps a siteKey to its Site. Not a sync.Map, for the reason
// whereCache gives (fuzz/doc.go).
var siteCache = struct {
	sync.RWMutex
	m map[siteKey]Site
}{m: map[siteKey]Site{}}

func siteOf(key whereKey, skip []string) Site {
	sk := siteKey{key, strings.Join(skip, ",")}
	siteCache.RLock()
	s, ok := siteCache.m[sk]
	siteCache.RUnlock()
	if ok {
		return s
	}
	return newSite(key, skip, sk)
}

// newSite is siteOf's work on a miss of the cache, apart: the frames it
// reads make key escape to the heap, which in siteOf would cost an
// allocation on every call, hit or miss (every throw asks).
func newSite(key whereKey, skip []string, sk siteKey) (s Site) {
	n := 0
	for n < len(key.pcs) && key.pcs[n] != 0 {
		n++
	}
	frames := runtime.CallersFrames(key.pcs[:n])
	inner := ""
	for {
		f, more := frames.Next()
		name := shortName(f.Function)
		if key.file != "" && strings.HasSuffix(f.File, key.file) && !contains(skip, name) {
			s = Site{Func: name, File: key.file, Line: f.Line, Call: inner}
			break
		}
		inner = name
		if !more {
			break
		}
	}
	siteCache.Lock()
	siteCache.m[sk] = s
	siteCache.Unlock()
	return s
}

// shortName is a function's name without its package path and receiver:
// "github.com/.../newimpl.(*timer).unlock" -> "unlock".
func shortName(fn string) string {
	if i := strings.LastIndex(fn, "."); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
