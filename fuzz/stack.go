package fuzz

// growStack grows the calling goroutine's stack to 16 KB in one step,
// while it is shallow. The engine runs every input on a new goroutine,
// whose stack starts at 2 KB, and a lockstep run of both versions then
// grew it several times, each time deep in the ports, where copying the
// stack means walking every frame's tables (runtime.newstack was 5% of
// the sequential target's profile under go test -fuzz). The frame below
// makes newstack pick 16 KB at once. (This file must not name the
// targets: lf_prune in oss-fuzz/steps.sh drops the files that do
// without defining one.)
//
//go:noinline
func growStack(b byte) byte {
	var pad [12 << 10]byte
	pad[int(b)%len(pad)] = b
	return pad[len(pad)-1-int(b)%len(pad)]
}
