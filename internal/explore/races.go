package explore

import "github.com/timerdiff/timerdiff/internal/sim"

// hb is the happens-before order of one run's steps (rule 8 of the
// package doc): the transitive closure of program order and of the
// dependence relation (sim.Footprint.Dependent) between steps in the
// order they ran. It is kept as one vector clock per step: clock[j][m]
// is the index of the last step of M m that happens before step j (or
// is j), -1 if none.
//
// An hb's memory serves run after run (reset): the search builds one
// per run and drops it before the next.
type hb struct {
	steps []sim.Footprint
	clock [][]int
	byM   [][]int // the indices of each M's steps, ascending
	idx   []int   // idx[j]: j's position in byM[steps[j].M]

	nm      int
	flat    []int // the clocks' memory, nm ints a clock
	writers map[any][]int
	access  map[any][]int
}

// newHB computes the clocks of steps.
func newHB(steps []sim.Footprint) *hb {
	h := new(hb)
	h.reset(steps)
	return h
}

// reset computes the clocks of steps, in h's memory. Dependence with
// every earlier step is what a step joins; rather than testing every
// pair, it joins the clocks accumulated per kind of access: every step
// for a global one, the global steps for any, progress bumps for a
// progress read and reads for a bump, and per word or lock, its writers
// for a reader and all its accessors for a writer.
func (h *hb) reset(steps []sim.Footprint) {
	nm := 0
	for i := range steps {
		nm = max(nm, steps[i].M+1)
	}
	h.steps, h.nm = steps, nm
	h.clock = reuse(h.clock, len(steps))
	h.idx = reuse(h.idx, len(steps))
	h.byM = reuse(h.byM, nm)
	for m := range h.byM {
		h.byM[m] = h.byM[m][:0]
	}
	h.flat = h.flat[:0]
	if h.writers == nil {
		h.writers, h.access = map[any][]int{}, map[any][]int{}
	}
	clear(h.writers)
	clear(h.access)
	join := func(dst, src []int) {
		for i, v := range src {
			dst[i] = max(dst[i], v)
		}
	}
	all, global, bumps, reads := h.fresh(), h.fresh(), h.fresh(), h.fresh()
	acc := func(m map[any][]int, x any) []int {
		c, ok := m[x]
		if !ok {
			c = h.fresh()
			m[x] = c
		}
		return c
	}
	for j := range steps {
		f := &steps[j]
		c := h.fresh()
		if l := h.byM[f.M]; len(l) > 0 {
			copy(c, h.clock[l[len(l)-1]])
		}
		join(c, global)
		if f.Global {
			join(c, all)
		}
		if f.ReadsProgress {
			join(c, bumps)
		}
		if f.BumpsProgress {
			join(c, reads)
		}
		for _, x := range f.Reads {
			if w, ok := h.writers[x]; ok {
				join(c, w)
			}
		}
		for _, x := range f.Writes {
			if a, ok := h.access[x]; ok {
				join(c, a)
			}
		}
		c[f.M] = j
		h.clock[j] = c
		h.idx[j] = len(h.byM[f.M])
		h.byM[f.M] = append(h.byM[f.M], j)
		join(all, c)
		if f.Global {
			join(global, c)
		}
		if f.ReadsProgress {
			join(reads, c)
		}
		if f.BumpsProgress {
			join(bumps, c)
		}
		for _, x := range f.Reads {
			join(acc(h.access, x), c)
		}
		for _, x := range f.Writes {
			join(acc(h.writers, x), c)
			join(acc(h.access, x), c)
		}
	}
}

// fresh returns a clock of h's memory with no step: nm times -1. When
// flat has no room left it takes a new, larger array; the clocks handed
// out before keep the old one.
func (h *hb) fresh() []int {
	if len(h.flat)+h.nm > cap(h.flat) {
		h.flat = make([]int, 0, max(2*cap(h.flat), 64*h.nm))
	}
	n := len(h.flat)
	h.flat = h.flat[:n+h.nm]
	c := h.flat[n : n+h.nm : n+h.nm]
	for i := range c {
		c[i] = -1
	}
	return c
}

// reuse returns s with length n, keeping its array when it has room.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// before reports whether step i happens before step j (i < j).
func (h *hb) before(i, j int) bool { return h.clock[j][h.steps[i].M] >= i }

// races calls f(i, j) for every race of the run: steps i < j of
// different Ms, dependent, with no step k between them such that i
// happens before k and k before j (an immediate dependence, which a
// schedule can reverse by running j's M first). For each j it looks, for
// every other M, at that M's last step dependent with j that does not
// already happen before j through j's own M; a candidate is a race
// unless it happens before another candidate.
func (h *hb) races(f func(i, j int)) {
	var cand []int
	for j := range h.steps {
		fj := &h.steps[j]
		var prev []int // the clock of j's M before j
		if k := h.idx[j]; k > 0 {
			prev = h.clock[h.byM[fj.M][k-1]]
		}
		cand = cand[:0]
		for m, l := range h.byM {
			if m == fj.M {
				continue
			}
			floor := -1
			if prev != nil {
				floor = prev[m]
			}
			// m's steps before j, latest first, down to the floor.
			for k := upper(l, j) - 1; k >= 0 && l[k] > floor; k-- {
				if h.steps[l[k]].Dependent(fj) {
					cand = append(cand, l[k])
					break
				}
			}
		}
		for _, i := range cand {
			immediate := true
			for _, k := range cand {
				if k != i && k > i && h.before(i, k) {
					immediate = false
					break
				}
			}
			if immediate {
				f(i, j)
			}
		}
	}
}

// upper returns the number of elements of the ascending l below j.
func upper(l []int, j int) int {
	lo, hi := 0, len(l)
	for lo < hi {
		mid := (lo + hi) / 2
		if l[mid] < j {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// initial reports whether M p has a step in v = notdep(i).j (the steps
// after i and before j that do not happen after i, then j) that no other
// step of v happens before: then running p at the point before i starts
// a schedule that reverses the race (i, j) (an initial of v, Abdulla et
// al., "Optimal dynamic partial order reduction", POPL 2014).
func (h *hb) initial(i, j, p int) bool {
	first := func(m int) int { // m's first step in v, or -1
		l := h.byM[m]
		k := upper(l, i+1)
		if k < len(l) && l[k] < j && !h.before(i, l[k]) {
			return l[k]
		}
		if m == h.steps[j].M {
			return j
		}
		return -1
	}
	if p >= len(h.byM) {
		return false
	}
	fp := first(p)
	if fp < 0 {
		return false
	}
	for r := range h.byM {
		if r == p {
			continue
		}
		if fr := first(r); fr >= 0 && fr < fp && h.clock[fp][r] >= fr {
			return false
		}
	}
	return true
}
