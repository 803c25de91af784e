package explore

import (
	"fmt"

	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
)

// Pair explores p on the old and the new version, in parallel (the two
// versions' Worlds are independent), and compares the outcome sets. The
// program's own schedule line, if any, is ignored: every schedule within
// the bound is run. An invalid p (see ops.ConcProgram.Validate, which
// enforces the API contract; with opt.BreakContract, ValidateShape, which
// does not) is an error.
func Pair(oldImpl, newImpl port.Impl, p ops.ConcProgram, opt Options) (*Report, error) {
	validate := p.Validate
	if opt.BreakContract {
		validate = p.ValidateShape
	}
	if err := validate(); err != nil {
		return nil, fmt.Errorf("explore: %w", err)
	}
	cfg := p.Config()
	type res struct {
		r   *Result
		err error
	}
	done := make(chan res, 1)
	go func() {
		r, err := Explore(oldImpl, cfg, p.Ops, p.Threads, opt)
		done <- res{r, err}
	}()
	nr, nerr := Explore(newImpl, cfg, p.Ops, p.Threads, opt)
	o := <-done
	switch {
	case o.err != nil:
		return nil, o.err
	case nerr != nil:
		return nil, nerr
	}
	r := Compare(o.r, nr)
	if err := r.deepen(oldImpl, newImpl, p, opt); err != nil {
		return nil, err
	}
	return r, nil
}

// deepen re-explores, at one more preemption, the version that missed an
// outcome the other reached within the bound, and moves the outcomes it
// then reaches from Divergences or Lost to Deeper: a difference that goes
// away with a deeper search is a property of the bound, not of the code.
func (r *Report) deepen(oldImpl, newImpl port.Impl, p ops.ConcProgram, opt Options) error {
	if opt.Bound < 0 {
		return nil // unbounded: there is no deeper search
	}
	deeper := opt
	deeper.Bound++
	deeper.Progress = nil
	reach := func(impl port.Impl) (map[string]Reached, error) {
		res, err := Explore(impl, p.Config(), p.Ops, p.Threads, deeper)
		if err != nil {
			return nil, err
		}
		m := map[string]Reached{}
		for _, o := range res.Outcomes {
			m[o.Outcome.Key()] = o
		}
		return m, nil
	}
	if len(r.Divergences) > 0 {
		old, err := reach(oldImpl)
		if err != nil {
			return err
		}
		var still []Divergence
		for _, d := range r.Divergences {
			if o, ok := old[d.New.Outcome.Key()]; ok {
				r.Deeper = append(r.Deeper, DeeperOutcome{Reached: d.New, Only: "new", Bound: deeper.Bound, Others: o})
			} else {
				still = append(still, d)
			}
		}
		r.Divergences = still
	}
	if len(r.Lost) > 0 {
		nw, err := reach(newImpl)
		if err != nil {
			return err
		}
		var still []Reached
		for _, l := range r.Lost {
			if n, ok := nw[l.Outcome.Key()]; ok {
				r.Deeper = append(r.Deeper, DeeperOutcome{Reached: l, Only: "old", Bound: deeper.Bound, Others: n})
			} else {
				still = append(still, l)
			}
		}
		r.Lost = still
	}
	return nil
}
