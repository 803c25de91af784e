package fuzz

import "testing"

// FuzzFloor decodes nothing and runs nothing: the fuzzing engine's fixed
// cost per input in this package's test binary, which links and
// instruments what FuzzDiff and FuzzConcurrent run. The engine snapshots
// and diffs every coverage counter of the binary after each input, so
// this target is slower than an empty one in a module of its own, and no
// target of this binary can run faster than it (fuzz/oss-fuzz/speed.sh
// measures both).
func FuzzFloor(f *testing.F) {
	f.Add([]byte("0"))
	f.Fuzz(func(t *testing.T, data []byte) {})
}
