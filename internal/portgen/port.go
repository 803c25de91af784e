package portgen

import (
	"bytes"
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// The first and last lines of the port notes, the block Port inserts.
const (
	notesBegin = "// --- timerdiff port notes ---"
	notesEnd   = "// --- end of timerdiff port notes ---"
)

// notes is the port notes block, the same in every port (so that diff
// oldimpl/time.go newimpl/time.go shows only the package clause and the
// commit's hunk). Port inserts it, and a blank line, after the file's
// copyright header; Unport removes both.
const notes = `// --- timerdiff port notes ---
//
// This is src/runtime/time.go of golang/go at the commit that
// upstreamCommit in name.go names (oldimpl: b5a99eaa94aa, the parent of
// the commit under test; newimpl: 2fb5ef889bf8, the commit under test),
// ported to run on timerdiff's simulated runtime. This block is the same
// in both ports, so that diff oldimpl/time.go newimpl/time.go shows only
// the package clause and the commit's hunk in modtimer.
// The only changes to the upstream text are mechanical, and
// internal/faithful's tests undo them and check that the result is
// upstream's file byte for byte (its git blob hash):
//   - the package clause: runtime -> this package;
//   - the imports internal/abi, runtime/internal/atomic and
//     runtime/internal/sys -> the simulated runtime's stand-ins of the
//     same names (internal/sim/...);
//   - "//go:" directives are turned into comments ("// go:"): go:linkname
//     would bind the real package time, and the others are only allowed
//     in package runtime;
//   - this block.
//
// Everything else time.go uses is supplied by runtime.go with upstream's
// name and meaning. Where the simulation differs from the runtime:
//   - raceenabled is false, so the race-detector blocks never run;
//   - gopark in timeSleep runs its unlock function (resetForSleep) at
//     once, on the same M and P, instead of after parking the goroutine;
//   - each goroutine's sleep timer exists from the start, so timeSleep's
//     new(timer) branch does not run (the World must know every timer's
//     status word to track it as a lock);
//   - f(arg, seq) is a function of the adapter that records the firing;
//   - lock, unlock, acquirem, releasem, osyield and every atomic operation
//     are scheduling points of the simulated runtime, and throw/badTimer
//     end the call with a recorded message instead of the process.
//
// --- end of timerdiff port notes ---
`

// importPaths maps upstream's import paths to the simulated runtime's
// stand-ins of the same names.
var importPaths = []struct{ upstream, port string }{
	{`"internal/abi"`, `"github.com/timerdiff/timerdiff/internal/sim/abi"`},
	{`"runtime/internal/atomic"`, `"github.com/timerdiff/timerdiff/internal/sim/atomic"`},
	{`"runtime/internal/sys"`, `"github.com/timerdiff/timerdiff/internal/sim/sys"`},
}

// Port makes the mechanical changes that turn upstream's
// src/runtime/time.go into a file of package pkg on the simulated
// runtime: the port notes after the copyright header, the package clause,
// the three import paths, and "//go:" directives turned into "// go:"
// comments. It fails if the result would not Unport back to upstream
// byte for byte.
func Port(upstream []byte, pkg string) ([]byte, error) {
	if !token.IsIdentifier(pkg) || pkg == "runtime" {
		return nil, fmt.Errorf("package name %q: want a Go identifier other than runtime", pkg)
	}
	lines := strings.SplitAfter(string(upstream), "\n")
	// The copyright header: comment lines, then a blank line.
	blank := slices.Index(lines, "\n")
	if blank < 1 || !strings.HasPrefix(lines[0], "// Copyright ") {
		return nil, fmt.Errorf("no copyright header (a first line \"// Copyright ...\" and a blank line after the header)")
	}
	for i, l := range lines[:blank] {
		if !strings.HasPrefix(l, "//") {
			return nil, fmt.Errorf("line %d, in the copyright header, is not a comment: %q", i+1, l)
		}
	}

	clause, found := "package runtime\n", false
	for i, l := range lines {
		switch {
		case l == clause && !found:
			lines[i] = "package " + pkg + "\n"
			found = true
		case strings.HasPrefix(l, "//go:"):
			lines[i] = "// go:" + strings.TrimPrefix(l, "//go:")
		}
		for _, ip := range importPaths {
			if strings.TrimSpace(l) == ip.upstream {
				lines[i] = strings.Replace(l, ip.upstream, ip.port, 1)
			}
		}
	}
	if !found {
		return nil, fmt.Errorf("no %q line", strings.TrimSpace(clause))
	}
	lines = slices.Insert(lines, blank+1, notes, "\n")
	port := []byte(strings.Join(lines, ""))

	back, err := Unport(port, pkg)
	if err != nil {
		return nil, fmt.Errorf("the port does not unport: %v", err)
	}
	if !bytes.Equal(back, upstream) {
		return nil, fmt.Errorf("the port does not unport to the same text: %s", firstDiff(back, upstream))
	}
	return port, nil
}

// Unport undoes Port: it removes the port notes and the blank line after
// them and turns the package clause, the import paths and the "// go:"
// comments back into upstream's. It fails if the notes block or the
// package clause is missing.
func Unport(port []byte, pkg string) ([]byte, error) {
	lines := strings.SplitAfter(string(port), "\n")
	begin, end := -1, -1
	for i, l := range lines {
		switch strings.TrimSuffix(l, "\n") {
		case notesBegin:
			if begin >= 0 {
				return nil, fmt.Errorf("two %q lines (%d and %d)", notesBegin, begin+1, i+1)
			}
			begin = i
		case notesEnd:
			if end >= 0 {
				return nil, fmt.Errorf("two %q lines (%d and %d)", notesEnd, end+1, i+1)
			}
			end = i
		}
	}
	if begin < 0 || end < begin {
		return nil, fmt.Errorf("no port notes block (%q .. %q)", notesBegin, notesEnd)
	}
	if end+1 >= len(lines) || lines[end+1] != "\n" {
		return nil, fmt.Errorf("line %d, after the port notes, is not blank", end+2)
	}
	lines = slices.Delete(lines, begin, end+2)

	clause, found := "package "+pkg+"\n", false
	for i, l := range lines {
		switch {
		case l == clause && !found:
			lines[i] = "package runtime\n"
			found = true
		case strings.HasPrefix(l, "// go:"):
			lines[i] = "//go:" + strings.TrimPrefix(l, "// go:")
		}
		for _, ip := range importPaths {
			if strings.TrimSpace(l) == ip.port {
				lines[i] = strings.Replace(l, ip.port, ip.upstream, 1)
			}
		}
	}
	if !found {
		return nil, fmt.Errorf("no %q line", strings.TrimSpace(clause))
	}
	return []byte(strings.Join(lines, "")), nil
}

// firstDiff describes the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := strings.SplitAfter(string(got), "\n"), strings.SplitAfter(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d is %q, want %q", i+1, a, b)
		}
	}
	return "no line differs"
}
