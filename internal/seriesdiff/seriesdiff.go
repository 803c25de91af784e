// Package seriesdiff runs the differential checks over the timer-lock
// series: every adjacent pair of its seven commits, and the span from the
// parent of the CL under test (b5a99eaa) to upstream's fix (c6888d92).
// For each pair it runs the sequential corpus (check.Pair), the concurrent
// corpus and findings under explore.Pair at a preemption bound, compares
// the lock orders both versions take, and optionally a campaign
// (package campaign), and tabulates what changed (Report). difftest series
// is the command over it.
//
// What a cell holds, per pair (old -> new):
//   - Sequential: programs where check.Pair finds a divergence, by kind.
//     A lock-order "divergence" (check.Pair flags every rank violation of
//     the new version) whose violation the old version shows on the same
//     program is not a change of the pair: it is listed as shared, and a
//     violation the old version does not show is a lock-order change.
//   - Concurrency: the new version's problems by kind (explore's Problems
//     other than lock order, and its divergences, the outcomes only the
//     new version reaches; a campaign's problems judged by check.ConcPair).
//   - LockOrder: lock-order facts one version shows on a program and the
//     other does not ("+" gained by the new version, "-" lost): a pair of
//     lock classes taken against mklockrank's order, in its tier (whether
//     a staticlockranking build checks it), a pair staticlockranking
//     checks even where the order allows it, and cycles; over every
//     sequential program and every explored schedule.
//   - Lost: outcomes only the old version reaches (explore.Report.Lost).
//
// Nothing is filtered: a cell is empty only when the pair shows nothing of
// its kind, and a pair is Clean only when every cell is empty.
package seriesdiff

import (
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/compare"
	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/explore"
	"github.com/timerdiff/timerdiff/internal/minimize"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
	"github.com/timerdiff/timerdiff/internal/versions"
)

// SpanOld and SpanNew are the span checked besides the adjacent pairs:
// the parent of the CL under test and upstream's fix of its defect.
const (
	SpanOld = "b5a99eaa"
	SpanNew = "c6888d92"
)

// Pair is two commits of the series, old first.
type Pair struct {
	Old, New versions.Version
}

// Pairs returns every adjacent pair of the series, oldest first, then the
// span SpanOld -> SpanNew.
func Pairs() []Pair {
	all := versions.All()
	var ps []Pair
	for i := 1; i < len(all); i++ {
		ps = append(ps, Pair{all[i-1], all[i]})
	}
	o, err1 := versions.Lookup(SpanOld)
	n, err2 := versions.Lookup(SpanNew)
	if err1 != nil || err2 != nil {
		panic(fmt.Sprintf("seriesdiff: the span is not in the series: %v %v", err1, err2))
	}
	return append(ps, Pair{o, n})
}

// Options say what runs.
type Options struct {
	Root  string // the corpus root (corpus.Root from the module root)
	Bound int    // explore's preemption bound
	// Time is the campaigns' total budget, split evenly over the pairs;
	// 0: no campaign.
	Time time.Duration
	Seed uint64 // the campaigns' seed
	// Stderr gets progress lines (nil: none).
	Stderr io.Writer
	// Pairs, if not nil, replaces Pairs() (tests).
	Pairs []Pair
}

// Report is the table.
type Report struct {
	Bound        int    `json:"bound"`
	CampaignEach string `json:"campaign_each,omitempty"` // each pair's campaign budget
	Seed         uint64 `json:"seed,omitempty"`
	Rows         []Row  `json:"rows"`
}

// Row is one pair.
type Row struct {
	Old   string `json:"old"`
	New   string `json:"new"`
	Title string `json:"title"` // the new commit's CL title
	Span  bool   `json:"span,omitempty"`

	Sequential  Cell `json:"sequential_divergences"`
	Concurrency Cell `json:"new_version_concurrency_problems"`
	LockOrder   Cell `json:"lock_order_changes"`
	Lost        Cell `json:"lost_behaviours"`

	// SharedLockOrder lists the rank violations and cycles both versions
	// show on a program (upstream properties: no change of the pair).
	SharedLockOrder []Item `json:"shared_lock_order,omitempty"`
	// BoundArtifacts counts outcomes one version reaches within the bound
	// and the other only at bound+1 (explore.Report.Deeper): not changes.
	BoundArtifacts int `json:"bound_artifacts"`
	// What ran.
	SeqPrograms  int `json:"sequential_programs"`
	ConcPrograms int `json:"concurrent_programs"`
	Schedules    int `json:"schedules"` // explored, both versions
	CampaignSeq  int `json:"campaign_sequential_programs,omitempty"`
	CampaignConc int `json:"campaign_concurrent_programs,omitempty"`
}

// Clean reports whether every cell is empty.
func (r *Row) Clean() bool {
	return r.Sequential.Empty() && r.Concurrency.Empty() && r.LockOrder.Empty() && r.Lost.Empty()
}

// Clean reports whether every pair is clean.
func (r *Report) Clean() bool {
	for i := range r.Rows {
		if !r.Rows[i].Clean() {
			return false
		}
	}
	return true
}

// Cell is one cell of the table: what was seen, each with the programs
// that showed it, and the first example.
type Cell struct {
	Items   []Item   `json:"items,omitempty"`
	Example *Example `json:"example,omitempty"`
}

// Empty reports whether the cell shows nothing.
func (c *Cell) Empty() bool { return len(c.Items) == 0 }

// Item is one kind of difference and how many programs showed it.
type Item struct {
	What     string `json:"what"`
	Programs int    `json:"programs"`
	First    string `json:"first"` // the first program that showed it: a corpus file, or the campaign
}

// Example is the first case of a cell, and the line that replays it.
type Example struct {
	Source string `json:"source"` // the corpus file, or the campaign
	What   string `json:"what"`   // the difference it shows
	Case   string `json:"case"`   // the minimized program, or the witness schedule
	Replay string `json:"replay"`
}

// add counts one program, from source, showing what, keeping the first
// example.
func (c *Cell) add(what, source string, ex func() *Example) {
	for i := range c.Items {
		if c.Items[i].What == what {
			c.Items[i].Programs++
			return
		}
	}
	c.Items = append(c.Items, Item{What: what, Programs: 1, First: source})
	if c.Example == nil && ex != nil {
		c.Example = ex()
	}
}

// Run runs every pair and returns the table.
func Run(o Options) (*Report, error) {
	pairs := o.Pairs
	if pairs == nil {
		pairs = Pairs()
	}
	seq, err := corpus.Read(o.Root)
	if err != nil {
		return nil, err
	}
	for _, f := range seq {
		if f.Err != nil {
			return nil, f.Err
		}
	}
	var conc []corpus.ConcFile
	for _, dir := range []string{corpus.Concurrent, corpus.Findings} {
		fs, err := corpus.ReadConc(filepath.Join(o.Root, dir))
		if errors.Is(err, iofs.ErrNotExist) {
			continue // a corpus without concurrent programs or findings
		}
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			if f.Err != nil {
				return nil, f.Err
			}
		}
		conc = append(conc, fs...)
	}
	rep := &Report{Bound: o.Bound}
	var each time.Duration
	if o.Time > 0 {
		each = o.Time / time.Duration(len(pairs))
		rep.CampaignEach, rep.Seed = each.Round(time.Millisecond).String(), o.Seed
	}
	for i, p := range pairs {
		progress(o.Stderr, "series: pair %d/%d: %s -> %s (%s)\n", i+1, len(pairs), p.Old.Short, p.New.Short, p.New.Title)
		row, err := runPair(p, seq, conc, o, each)
		if err != nil {
			return nil, fmt.Errorf("%s -> %s: %w", p.Old.Short, p.New.Short, err)
		}
		if i == len(pairs)-1 && o.Pairs == nil {
			row.Span = true
			row.Title = fmt.Sprintf("span: the five CLs from %s to %s", pairs[1].New.Short, p.New.Short)
		}
		rep.Rows = append(rep.Rows, *row)
	}
	return rep, nil
}

func progress(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format, args...)
	}
}

func runPair(p Pair, seq []corpus.File, conc []corpus.ConcFile, o Options, each time.Duration) (*Row, error) {
	row := &Row{Old: p.Old.Short, New: p.New.Short, Title: p.New.Title, SeqPrograms: len(seq), ConcPrograms: len(conc)}
	oldI, newI := p.Old.Impl, p.New.Impl
	flags := fmt.Sprintf("-old %s -new %s", p.Old.Short, p.New.Short)
	replaySeq := func(file string) string { return "go run ./cmd/difftest replay " + flags + " " + file }
	exploreCmd := func(file string) string {
		return fmt.Sprintf("go run ./cmd/difftest explore %s -bound %d %s", flags, o.Bound, file)
	}
	shared := map[string]int{}

	// The sequential corpus.
	for _, f := range seq {
		r := check.Pair(oldI, newI, f.Program)
		if d := r.Report.Divergence; d != nil && d.Kind != compare.KindLockOrder {
			row.Sequential.add(string(d.Kind)+" divergence", f.Path, func() *Example {
				return seqExample(oldI, newI, r, f.Path, replaySeq(f.Path))
			})
		}
		ol, nl := lockFacts(r.Old.LockEdges, r.Old.LockCycles), lockFacts(r.New.LockEdges, r.New.LockCycles)
		lockDiff(&row.LockOrder, shared, f.Path, ol, nl, func(what string, fact lockFact) *Example {
			return &Example{Source: f.Path, What: what, Case: fact.text, Replay: replaySeq(f.Path)}
		})
	}

	// The concurrent corpus and findings, explored.
	for _, f := range conc {
		r, err := explore.Pair(oldI, newI, f.Program, explore.Options{Bound: o.Bound})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		row.Schedules += r.Old.Schedules + r.New.Schedules
		row.BoundArtifacts += len(r.Deeper)
		seen := map[string]bool{}
		once := func(what string) bool {
			if seen[what] {
				return false
			}
			seen[what] = true
			return true
		}
		for _, d := range r.Divergences {
			if once("divergence") {
				row.Concurrency.add("outcome only the new version reaches", f.Path, func() *Example {
					return &Example{Source: f.Path, What: "outcome only the new version reaches", Case: d.New.Witness.Line() + "\n" + indent(d.New.Outcome.String()), Replay: exploreCmd(f.Path)}
				})
			}
		}
		for _, pr := range r.Problems {
			if pr.Kind == oracle.LockOrder {
				continue // the lock-order column, from every schedule's edges below
			}
			if once(string(pr.Kind)) {
				row.Concurrency.add(string(pr.Kind), f.Path, func() *Example {
					return &Example{Source: f.Path, What: pr.Text, Case: pr.Witness.Line(), Replay: exploreCmd(f.Path)}
				})
			}
		}
		if len(r.Lost) > 0 {
			l := r.Lost[0]
			row.Lost.add("outcome only the old version reaches", f.Path, func() *Example {
				return &Example{Source: f.Path, What: fmt.Sprintf("%d outcomes only the old version reaches; the first", len(r.Lost)), Case: l.Witness.Line() + "\n" + indent(l.Outcome.String()), Replay: exploreCmd(f.Path)}
			})
		}
		ol, err := concLockFacts(oldI, f.Program, o.Bound)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		nl, err := concLockFacts(newI, f.Program, o.Bound)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		lockDiff(&row.LockOrder, shared, f.Path, ol, nl, func(what string, fact lockFact) *Example {
			return &Example{Source: f.Path, What: what, Case: fact.witness + "\n    " + fact.text, Replay: exploreCmd(f.Path)}
		})
	}

	if each > 0 {
		if err := runCampaign(row, p, seq, o, each); err != nil {
			return nil, err
		}
	}
	for k, n := range shared {
		row.SharedLockOrder = append(row.SharedLockOrder, Item{What: k, Programs: n})
	}
	sort.Slice(row.SharedLockOrder, func(i, j int) bool { return row.SharedLockOrder[i].What < row.SharedLockOrder[j].What })
	return row, nil
}

// seqExample minimizes a divergent sequential program.
func seqExample(oldI, newI port.Impl, r *check.Result, path, replay string) *Example {
	d := r.Report.Divergence
	small, st, err := minimize.Minimize(r.Program, minimize.Diverges(oldI, newI, d))
	src := path
	if err == nil {
		r = check.Pair(oldI, newI, small)
		src = fmt.Sprintf("%s, minimized (%v)", path, st)
	}
	what := strings.SplitN(d.String(), "\n", 2)[0]
	return &Example{Source: src, What: what, Case: r.Annotated(), Replay: replay}
}

// lockFact is one lock-order fact of a run: its key (see lockFacts), the
// text of its first instance, and for explored runs the first schedule.
type lockFact struct {
	text, witness string
}

// lockFacts keys the lock-order facts of one run: every pair of classes
// taken against the rank order, in its tier; every pair a
// staticlockranking build checks; every cycle.
func lockFacts(edges []port.LockEdge, cycles []string) map[string]lockFact {
	m := map[string]lockFact{}
	add := func(k, text string) {
		if _, ok := m[k]; !ok {
			m[k] = lockFact{text: text}
		}
	}
	for _, e := range edges {
		pair := e.From + " -> " + e.To
		switch {
		case !e.RankOK && e.Ranked:
			add(pair+": rank violation staticlockranking reports", e.String())
		case !e.RankOK:
			add(pair+": rank violation staticlockranking does not check", e.String())
		case e.Ranked:
			add(pair+": allowed, checked by staticlockranking", e.String())
		}
	}
	for _, c := range cycles {
		add("cycle "+c, "lock-order cycle, a potential deadlock: "+c)
	}
	return m
}

// concLockFacts is the union of lockFacts over every schedule of p on
// impl within the bound, each with the first schedule that showed it.
func concLockFacts(impl port.Impl, p ops.ConcProgram, bound int) (map[string]lockFact, error) {
	m := map[string]lockFact{}
	var mu sync.Mutex
	_, err := explore.Explore(impl, p.Config(), p.Ops, p.Threads, explore.Options{Bound: bound, Visit: func(tr *run.ConcTrace) {
		mu.Lock()
		defer mu.Unlock()
		for k, f := range lockFacts(tr.LockEdges, tr.LockCycles) {
			if _, ok := m[k]; !ok {
				f.witness = schedLine(tr.Choices)
				m[k] = f
			}
		}
	}})
	return m, err
}

// lockDiff adds to cell the facts one version shows and the other does
// not, and counts the shared violations and cycles.
func lockDiff(cell *Cell, shared map[string]int, source string, old, nw map[string]lockFact, ex func(string, lockFact) *Example) {
	for _, k := range sortedKeys(nw) {
		if _, ok := old[k]; ok {
			if !strings.Contains(k, "allowed") {
				shared[k]++
			}
			continue
		}
		what := "+" + k
		cell.add(what, source, func() *Example { return ex(what+" (the new version alone)", nw[k]) })
	}
	for _, k := range sortedKeys(old) {
		if _, ok := nw[k]; ok {
			continue
		}
		what := "-" + k
		cell.add(what, source, func() *Example { return ex(what+" (the old version alone)", old[k]) })
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func indent(s string) string {
	var b strings.Builder
	for l := range strings.Lines(s) {
		b.WriteString("    " + l)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
