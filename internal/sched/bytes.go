package sched

import "github.com/timerdiff/timerdiff/internal/sim"

// Bytes chooses from fuzz bytes, one byte per choice point:
//
//   - while the running M may go on (cur >= 0), a byte below SwitchAt
//     keeps it running; a byte b >= SwitchAt preempts it in favour of the
//     ((b-SwitchAt) mod (n-1))-th of the other runnable Ms, counting
//     from the one after it;
//   - when it cannot (cur < 0: it ended, blocks or spins), byte b picks
//     runnable[b mod n];
//   - once the bytes run out it stays with the running M, or picks the
//     lowest M ID (runnable[0]).
//
// So zero bytes, and an empty input, mean "run each M as long as it can,
// lowest ID first": a serial schedule.
//
// Where the running goroutine is at a safe point and may be preempted,
// Conc asks Migrate first: a next byte b in [MigrateAt, SwitchAt) is
// consumed and preempts it, to resume on options[b mod len(options)]; any
// other byte is left for Choose. Where a rescue of the runtime may be
// missed, Conc asks Rescue: a next byte in [NoRescueAt, MigrateAt) is
// consumed and the rescue does not happen.
type Bytes struct {
	data []byte
	used int
}

// SwitchAt is the smallest byte that preempts: one choice point in eight
// switches for uniformly random bytes.
const SwitchAt = 0xE0

// MigrateAt is the smallest byte that preempts the running goroutine at a
// safe point (see Migrate); bytes from MigrateAt up to SwitchAt do.
const MigrateAt = 0xD8

// NoRescueAt is the smallest byte that makes a rescue not happen (see
// Rescue); bytes from NoRescueAt up to MigrateAt do.
const NoRescueAt = 0xD0

// NewBytes returns a Chooser reading data.
func NewBytes(data []byte) *Bytes { return &Bytes{data: data} }

// Used returns how many bytes have been read.
func (b *Bytes) Used() int { return b.used }

// Choose implements sim.Chooser.
func (b *Bytes) Choose(runnable []*sim.M, cur int) int {
	n := len(runnable)
	if b.used >= len(b.data) {
		return max(cur, 0)
	}
	c := b.data[b.used]
	b.used++
	if cur < 0 {
		return int(c) % n
	}
	if c < SwitchAt || n < 2 {
		return cur
	}
	return (cur + 1 + int(c-SwitchAt)%(n-1)) % n
}

// Migrate implements sim.Migrator.
func (b *Bytes) Migrate(m *sim.M, options []int) int {
	if b.used >= len(b.data) {
		return -1
	}
	c := b.data[b.used]
	if c < MigrateAt || c >= SwitchAt {
		return -1
	}
	b.used++
	return int(c) % len(options)
}

// Rescue implements sim.Rescuer.
func (b *Bytes) Rescue(m *sim.M, what string) bool {
	if b.used >= len(b.data) {
		return true
	}
	c := b.data[b.used]
	if c < NoRescueAt || c >= MigrateAt {
		return true
	}
	b.used++
	return false
}
