package campaign

import (
	"math/rand/v2"
	"slices"

	"github.com/timerdiff/timerdiff/internal/ops"
)

// Mutations respect the fuzz byte layout of internal/ops: a header, then
// fixed-size op records.
const (
	headerSize = ops.HeaderSize
	recordSize = ops.RecordSize
	maxRecords = 64 // programs longer than this are cut
)

// Entry is a corpus program with its fuzz bytes.
type Entry struct {
	Program ops.Program
	Data    []byte
}

// Generator makes the campaign's programs from a PRNG and the corpus:
// random byte strings, and mutations of corpus entries' bytes, all decoded
// with ops.Decode. The same seed and corpus give the same programs.
type Generator struct {
	rng    *rand.Rand
	corpus []Entry
}

// NewGenerator returns a generator seeded with seed that mutates corpus.
func NewGenerator(seed uint64, corpus []Entry) *Generator {
	return &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), corpus: slices.Clone(corpus)}
}

// Add adds e to the corpus the generator mutates.
func (g *Generator) Add(e Entry) { g.corpus = append(g.corpus, e) }

// Len is the size of the generator's corpus.
func (g *Generator) Len() int { return len(g.corpus) }

// Next returns the next program.
func (g *Generator) Next() ops.Program {
	if len(g.corpus) == 0 || g.rng.IntN(4) == 0 {
		return ops.Decode(g.random(1 + g.rng.IntN(32)))
	}
	data := slices.Clone(g.corpus[g.rng.IntN(len(g.corpus))].Data)
	for range 1 + g.rng.IntN(4) {
		data = g.mutate(data)
	}
	return ops.Decode(data)
}

// random returns a header and n random records.
func (g *Generator) random(n int) []byte { return ops.RandomBytes(g.rng, n) }

// Indexed is the fuzz bytes of program idx of a campaign from an empty
// corpus, as the mutation runner runs them: a header and 4 to 31 records
// from PCG(seed, idx), so that program idx depends only on seed and idx.
func Indexed(seed uint64, idx int) []byte {
	r := rand.New(rand.NewPCG(seed, uint64(idx)))
	return ops.RandomBytes(r, 4+r.IntN(28))
}

// records returns the number of whole records in data.
func records(data []byte) int { return max(0, len(data)-headerSize) / recordSize }

// at is the offset of record i.
func at(i int) int { return headerSize + i*recordSize }

// mutate applies one random mutation: a bit flip, a random byte, a record
// inserted, deleted or duplicated, or a splice with another entry.
func (g *Generator) mutate(data []byte) []byte {
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
		other := g.corpus[g.rng.IntN(len(g.corpus))].Data
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
