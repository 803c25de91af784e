package ops

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	gofuzz "github.com/AdaLogics/go-fuzz-headers"
)

// TestByteReaderIsConsumer: Decode reads its bytes with byteReader where
// it used go-fuzz-headers' GetByte and GetNBytes, so every committed
// FuzzDiff input must still decode to the same program. byteReader
// gives the same bytes, and fails where the consumer fails; what is
// consumed after a failure does not matter, since Decode stops there.
func TestByteReaderIsConsumer(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for range 2000 {
		data := make([]byte, rng.IntN(40))
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		c, r := gofuzz.NewConsumer(data), &byteReader{data: data}
		for {
			n := []int{1, 8, RecordSize}[rng.IntN(3)]
			var want []byte
			var err error
			if n == 1 {
				var b byte
				b, err = c.GetByte()
				want = []byte{b}
			} else {
				want, err = c.GetNBytes(n)
			}
			got, ok := r.next(n)
			if ok != (err == nil) || ok && !bytes.Equal(got, want) {
				t.Fatalf("% x: reading %d bytes: byteReader % x, %v; consumer % x, %v", data, n, got, ok, want, err)
			}
			if !ok {
				break
			}
		}
	}
}

// TestLE64IsBinary: lit and the encoders read and write literals with le64
// and appendLE64 where they used encoding/binary's little-endian
// Uint64 and AppendUint64; the bytes must be the same.
func TestLE64IsBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for range 2000 {
		v := rng.Uint64() >> rng.IntN(64)
		prefix := make([]byte, rng.IntN(3))
		got, want := appendLE64(prefix, v), binary.LittleEndian.AppendUint64(prefix, v)
		if !bytes.Equal(got, want) {
			t.Fatalf("appendLE64(%x) = % x, want % x", v, got, want)
		}
		if g := le64(want[len(prefix):]); g != v {
			t.Fatalf("le64(% x) = %x, want %x", want[len(prefix):], g, v)
		}
	}
}
