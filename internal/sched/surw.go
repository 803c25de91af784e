package sched

import (
	"math/rand/v2"

	"github.com/timerdiff/timerdiff/internal/sim"
)

// SURW is a uniform random walk over interleavings, after "Selectively
// Uniform Concurrency Testing" (Huan Zhao, Dylan Wolff, Umang Mathur and
// Abhik Roychoudhury, ASPLOS 2025). A plain random walk (each runnable M
// with probability 1/n) favours interleavings that switch early: with two
// threads of 1 and 9 events it runs the short one first half the time,
// though only 1 of the 10 interleavings does. The paper's URW picks each
// thread with probability proportional to the events it has left, which
// samples every interleaving of threads without blocking with the same
// probability (the counts are the multinomial coefficients); SURW applies
// that to a selected set of interesting events only, scheduling the
// others so that every interleaving stays possible.
//
// Here, at each choice point, SURW runs runnable M m with probability
// weight(m) / (sum of the runnable Ms' weights), where weight(m) is the
// estimate of m's remaining steps, at least 1 (so every schedule keeps a
// positive probability). Our Ms do not know their remaining steps, so:
//
//   - if Remaining is set, it is the estimate, asked for every runnable M
//     at every choice point (a caller that knows better, such as one that
//     counts a selected set of interesting events, supplies it);
//   - else SURW keeps its own count: M i starts at Budget[i] (Ms beyond
//     Budget, such as Ms that appear during the run, at Default, and the
//     zero Default means DefaultBudget), and every time an M runs from a
//     choice point (the M chosen there, and the running M cur if Conc ran
//     it without asking) its count drops by one. This counts one step per
//     choice point; steps an M takes while it is the only runnable M are
//     not seen, and a spin or a blocked lock attempt counts as a step.
//     CallBudget makes Budget from the threads' call counts.
//
// What is therefore not SURW's guarantee: the distribution is uniform
// over interleavings only if the estimates are the true remaining counts
// and no M blocks or spins; with estimates it is a random walk biased
// towards the Ms with more left. The selection of interesting events is
// not modelled: every choice point counts (URW), unless Remaining counts
// otherwise. SURW does not move goroutines between Ps; wrap it in Moves
// for that.
//
// The same Seed, Budget, Default and Remaining answers give the same
// choices for the same sequence of calls; SURW reads no clock and no
// global random source. Use a fresh SURW for every run: it keeps state.
type SURW struct {
	Seed      uint64
	Remaining func(m *sim.M) int
	Budget    []int // by M ID
	Default   int

	rng  *rand.Rand
	left []int // by M ID, without Remaining; -1: not yet set
	last int   // ID of the M chosen at the previous choice point, or -1
	w    []int // weights of the current choice point (reused)
}

// DefaultBudget is the step estimate of an M SURW knows nothing about:
// three calls of DefaultStepsPerCall steps.
const DefaultBudget = 3 * DefaultStepsPerCall

// DefaultStepsPerCall is the mean number of choice points per thread
// call measured on the concurrent corpus (new version, 20 runs of each
// program under a uniform random walk, POS with Redraw 1): 8.1 overall,
// 4 to 14 per program but for one of a single call that rarely meets the
// other thread.
const DefaultStepsPerCall = 8

// CallBudget returns SURW's Budget for threads making calls[i] calls on
// M i: calls[i] * perCall steps (perCall 0 means DefaultStepsPerCall).
func CallBudget(calls []int, perCall int) []int {
	if perCall <= 0 {
		perCall = DefaultStepsPerCall
	}
	b := make([]int, len(calls))
	for i, n := range calls {
		b[i] = n * perCall
	}
	return b
}

func (s *SURW) init() {
	s.rng = rand.New(rand.NewPCG(s.Seed, 0x737572775f736564)) // "surw_sed"
	s.last = -1
}

// count returns M id's own count, setting it from Budget on first use.
func (s *SURW) count(id int) *int {
	for id >= len(s.left) {
		s.left = append(s.left, -1)
	}
	if s.left[id] < 0 {
		switch {
		case id < len(s.Budget):
			s.left[id] = max(s.Budget[id], 0)
		case s.Default > 0:
			s.left[id] = s.Default
		default:
			s.left[id] = DefaultBudget
		}
	}
	return &s.left[id]
}

func (s *SURW) ran(id int) {
	if c := s.count(id); *c > 0 {
		*c--
	}
}

// Choose implements sim.Chooser.
func (s *SURW) Choose(runnable []*sim.M, cur int) int {
	if s.rng == nil {
		s.init()
	}
	if s.Remaining == nil {
		if s.last >= 0 {
			s.ran(s.last)
		}
		if cur >= 0 && runnable[cur].ID != s.last {
			s.ran(runnable[cur].ID)
		}
	}
	s.w = s.w[:0]
	total := 0
	for _, m := range runnable {
		var est int
		if s.Remaining != nil {
			est = s.Remaining(m)
		} else {
			est = *s.count(m.ID)
		}
		est = max(est, 1)
		s.w = append(s.w, est)
		total += est
	}
	r := s.rng.IntN(total)
	i := 0
	for r >= s.w[i] {
		r -= s.w[i]
		i++
	}
	s.last = runnable[i].ID
	return i
}
