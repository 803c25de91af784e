package corpus

import (
	"bytes"
	"math/rand/v2"
	"testing"

	gofuzz "github.com/AdaLogics/go-fuzz-headers"
)

// TestRawBytesIsGetBytes: RawBytes reads a raw libFuzzer input as
// go-118-fuzz-build's shim does, with go-fuzz-headers' GetBytes, on
// every length up to 40 and on lengths that equal, exceed or wrap the
// bytes left.
func TestRawBytesIsGetBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	check := func(src []byte) {
		want, werr := gofuzz.NewConsumer(src).GetBytes()
		got, gerr := RawBytes("in", src)
		if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
			t.Errorf("% x: RawBytes = % x, %v; GetBytes = % x, %v", src, got, gerr, want, werr)
		}
	}
	for n := range 41 {
		for range 50 {
			src := make([]byte, n)
			for i := range src {
				src[i] = byte(rng.Uint32())
			}
			check(src)
			if n >= 4 {
				for _, l := range []int{0, n - 4, n - 3, 2 * (n - 4), 30} {
					src[0], src[1], src[2], src[3] = 0, 0, byte(l>>8), byte(l)
					check(src)
				}
				src[0] = 0xff // a length beyond any input
				check(src)
			}
		}
	}
}

// TestRawIsGetBytesInverse: GetBytes on Raw(data) gives data back, at
// lengths whose big-endian prefix uses one to three bytes.
func TestRawIsGetBytesInverse(t *testing.T) {
	for _, n := range []int{0, 1, 5, 255, 256, 1000, 70000} {
		data := bytes.Repeat([]byte{byte(n), 7}, n)[:n]
		got, err := gofuzz.NewConsumer(Raw(data)).GetBytes()
		if n == 0 {
			// GetBytes fails on no bytes after the length.
			if err == nil {
				t.Errorf("GetBytes(Raw(empty)) = % x, want an error", got)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%d bytes: GetBytes(Raw(data)) = %d bytes, %v; want the data", n, len(got), err)
		}
	}
}
