package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	gofuzz "github.com/AdaLogics/go-fuzz-headers"

	"github.com/timerdiff/timerdiff/internal/corpus"
)

// Each written seed, read back the way go-118-fuzz-build's shim reads a
// []byte argument, is exactly one of the native seeds, and every native
// seed is written.
func TestSeedsRoundTrip(t *testing.T) {
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), tg.name+"_seed_corpus")
			n, err := write("../../../corpus", dir, tg.seeds)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := tg.seeds("../../../corpus")
			if n != len(want) || n == 0 {
				t.Fatalf("wrote %d seeds, want %d", n, len(want))
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*"))
			got := map[string]bool{}
			for _, f := range files {
				raw, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				b, err := gofuzz.NewConsumer(raw).GetBytes()
				if err != nil {
					t.Fatalf("%s: GetBytes: %v", f, err)
				}
				got[string(b)] = true
			}
			if _, err := os.Stat(dir + ".zip"); err != nil {
				t.Error(err)
			}
			for _, w := range want {
				if !got[string(w)] {
					t.Errorf("native seed %x missing from the libFuzzer seeds", w)
				}
			}
		})
	}
}

func TestRaw(t *testing.T) {
	for _, data := range [][]byte{{1}, bytes.Repeat([]byte{0xff}, 300)} {
		b, err := gofuzz.NewConsumer(corpus.Raw(data)).GetBytes()
		if err != nil || !bytes.Equal(b, data) {
			t.Errorf("corpus.Raw(%x) reads back as %x, %v", data, b, err)
		}
	}
}
