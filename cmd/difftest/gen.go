package main

import (
	"math/rand/v2"
	"slices"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
)

// The fuzz byte layout that mutations respect (see internal/ops): a
// header, then fixed-size op records.
const (
	headerSize = 2
	recordSize = 8
	maxRecords = 64 // programs longer than this are cut
)

// entry is a corpus program with its fuzz bytes.
type entry struct {
	prog ops.Program
	data []byte
}

// generator makes the campaign's programs from a PRNG and the corpus:
// random byte strings, and mutations of corpus entries' bytes, all decoded
// with ops.Decode. The same seed and corpus give the same programs.
type generator struct {
	rng    *rand.Rand
	corpus []entry
}

func newGenerator(seed uint64, corpus []entry) *generator {
	return &generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), corpus: corpus}
}

// next returns the next program.
func (g *generator) next() ops.Program {
	if len(g.corpus) == 0 || g.rng.IntN(4) == 0 {
		return ops.Decode(g.random(1 + g.rng.IntN(32)))
	}
	data := slices.Clone(g.corpus[g.rng.IntN(len(g.corpus))].data)
	for range 1 + g.rng.IntN(4) {
		data = g.mutate(data)
	}
	return ops.Decode(data)
}

// random returns a header and n random records.
func (g *generator) random(n int) []byte {
	b := make([]byte, headerSize+n*recordSize)
	for i := range b {
		b[i] = byte(g.rng.Uint32())
	}
	return b
}

// records returns the number of whole records in data.
func records(data []byte) int { return max(0, len(data)-headerSize) / recordSize }

// at is the offset of record i.
func at(i int) int { return headerSize + i*recordSize }

// mutate applies one random mutation: a bit flip, a random byte, a record
// inserted, deleted or duplicated, or a splice with another entry.
func (g *generator) mutate(data []byte) []byte {
	if len(data) < headerSize {
		data = append(data, g.random(0)[:headerSize-len(data)]...)
	}
	n := records(data)
	switch g.rng.IntN(6) {
	case 0:
		data[g.rng.IntN(len(data))] ^= 1 << g.rng.IntN(8)
	case 1:
		data[g.rng.IntN(len(data))] = byte(g.rng.Uint32())
	case 2:
		i := at(g.rng.IntN(n + 1))
		data = slices.Insert(data, i, g.random(1)[headerSize:]...)
	case 3:
		if n > 0 {
			i := at(g.rng.IntN(n))
			data = slices.Delete(data, i, i+recordSize)
		}
	case 4:
		if n > 0 {
			i, j := at(g.rng.IntN(n)), at(g.rng.IntN(n+1))
			rec := slices.Clone(data[i : i+recordSize])
			data = slices.Insert(data, j, rec...)
		}
	case 5:
		other := g.corpus[g.rng.IntN(len(g.corpus))].data
		i := at(g.rng.IntN(n + 1))
		j := at(g.rng.IntN(records(other) + 1))
		if j <= len(other) {
			data = append(data[:min(i, len(data))], other[j:]...)
		}
	}
	if len(data) > at(maxRecords) {
		data = data[:at(maxRecords)]
	}
	return data
}

// feature is one kind of behaviour a step showed; a program that shows a
// new one joins the campaign's corpus.
type feature struct {
	kind          port.Kind
	before, after statusClass // of the target timer; classOther if none
	branch        branch
	pending, ran  bool
	skipped       bool
	fired, woke   bool
	ended         bool
	procs         int
}

// features lists the features of a trace of a program started at clock.
func features(tr *run.Trace, clock int64) []feature {
	var fs []feature
	var prev *port.State
	for i := range tr.Steps {
		s := &tr.Steps[i]
		f := feature{
			kind:    s.Call.Kind,
			before:  classOther,
			after:   classOther,
			branch:  branchOf(s.Call, prev, clock),
			pending: s.Out.Pending, ran: s.Out.Ran, skipped: s.Out.Skipped,
			fired: len(s.Out.Fires) > 0, woke: len(s.Out.Wakes) > 0,
			ended: s.Ended(),
		}
		if name := target(s.Call); name != "" {
			f.before = classOf(timerIn(prev, name))
			if s.State != nil {
				f.after = classOf(timerIn(s.State, name))
			}
		}
		if s.State != nil {
			f.procs = len(s.State.Procs)
		}
		fs = append(fs, f)
		prev = s.State
	}
	return fs
}
