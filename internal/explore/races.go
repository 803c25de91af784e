package explore

import "github.com/timerdiff/timerdiff/internal/sim"

// hb is the happens-before order of one run's steps (rule 8 of the
// package doc): the transitive closure of program order and of the
// dependence relation (sim.Footprint.Dependent) between steps in the
// order they ran. It is kept as one vector clock per step: clock[j][m]
// is the index of the last step of M m that happens before step j (or
// is j), -1 if none.
type hb struct {
	steps []sim.Footprint
	clock [][]int
	byM   [][]int // the indices of each M's steps, ascending
	idx   []int   // idx[j]: j's position in byM[steps[j].M]
}

// newHB computes the clocks of steps. Dependence with every earlier step
// is what a step joins; rather than testing every pair, it joins the
// clocks accumulated per kind of access: every step for a global one,
// the global steps for any, progress bumps for a progress read and
// reads for a bump, and per word or lock, its writers for a reader and
// all its accessors for a writer.
func newHB(steps []sim.Footprint) *hb {
	nm := 0
	for i := range steps {
		nm = max(nm, steps[i].M+1)
	}
	h := &hb{steps: steps, clock: make([][]int, len(steps)), byM: make([][]int, nm), idx: make([]int, len(steps))}
	fresh := func() []int {
		c := make([]int, nm)
		for i := range c {
			c[i] = -1
		}
		return c
	}
	join := func(dst, src []int) {
		for i, v := range src {
			dst[i] = max(dst[i], v)
		}
	}
	all, global, bumps, reads := fresh(), fresh(), fresh(), fresh()
	writers := map[any][]int{}
	access := map[any][]int{}
	acc := func(m map[any][]int, x any) []int {
		c, ok := m[x]
		if !ok {
			c = fresh()
			m[x] = c
		}
		return c
	}
	for j := range steps {
		f := &steps[j]
		c := fresh()
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
			if w, ok := writers[x]; ok {
				join(c, w)
			}
		}
		for _, x := range f.Writes {
			if a, ok := access[x]; ok {
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
			join(acc(access, x), c)
		}
		for _, x := range f.Writes {
			join(acc(writers, x), c)
			join(acc(access, x), c)
		}
	}
	return h
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
