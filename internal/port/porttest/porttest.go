// Package porttest provides versions of the timer code with a known bug,
// for testing the parts of timerdiff that must notice one.
//
// Invariant: a wrapped version behaves exactly like the version it wraps
// except for the one injected difference.
package porttest

import "github.com/timerdiff/timerdiff/internal/port"

// FlipPending returns impl with a bug: the third call of every World
// reports the opposite Pending.
func FlipPending(impl port.Impl) port.Impl { return flipPending{impl} }

type flipPending struct{ port.Impl }

func (f flipPending) Open(cfg port.Config) port.World { return &flipWorld{World: f.Impl.Open(cfg)} }

type flipWorld struct {
	port.World
	calls int
}

func (w *flipWorld) Do(c port.Call) (port.Outcome, error) {
	o, err := w.World.Do(c)
	w.calls++
	if w.calls == 3 {
		o.Pending = !o.Pending
	}
	return o, err
}
