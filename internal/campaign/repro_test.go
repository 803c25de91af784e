package campaign

import (
	"testing"

	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/port"
)

// The re-run lines carry the overlay, the pair, the seed, the count with
// no concurrent share, and a corpus other than the default.
func TestReproLines(t *testing.T) {
	defer func(o string) { port.Overlay = o }(port.Overlay)
	for _, tc := range []struct {
		overlay, pair, dir string
		run, replay        string
	}{
		{"", "", corpus.Root,
			"go run ./cmd/difftest run -seed 3 -count 7 -conc 0",
			"go run ./cmd/difftest replay"},
		{"cmd/difftest/testdata/session/ov.json", " -new c6888d92", "",
			`go run -overlay cmd/difftest/testdata/session/ov.json ./cmd/difftest run -new c6888d92 -seed 3 -count 7 -conc 0 -corpus ""`,
			"go run -overlay cmd/difftest/testdata/session/ov.json ./cmd/difftest replay -new c6888d92"},
		{"my ov.json", " -old 1df6db8e -new c6888d92", "seeds",
			`go run -overlay "my ov.json" ./cmd/difftest run -old 1df6db8e -new c6888d92 -seed 3 -count 7 -conc 0 -corpus "seeds"`,
			`go run -overlay "my ov.json" ./cmd/difftest replay -old 1df6db8e -new c6888d92`},
	} {
		port.Overlay = tc.overlay
		c := &campaign{Options: Options{Seed: 3, Dir: tc.dir, PairFlags: tc.pair}}
		if got := c.repro(7); got != tc.run {
			t.Errorf("repro = %s\nwant      %s", got, tc.run)
		}
		if got := c.replayCmd(); got != tc.replay {
			t.Errorf("replayCmd = %s\nwant          %s", got, tc.replay)
		}
	}
}
