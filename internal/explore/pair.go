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
// enforces the API contract) is an error.
func Pair(oldImpl, newImpl port.Impl, p ops.ConcProgram, opt Options) (*Report, error) {
	if err := p.Validate(); err != nil {
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
	return Compare(o.r, nr), nil
}
