package seriesdiff

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Write prints the table, then every non-empty cell's first case with
// the line that replays it, then what the pairs share and what ran.
func (r *Report) Write(w io.Writer) {
	camp := "no campaign"
	if r.CampaignEach != "" {
		camp = fmt.Sprintf("a campaign of %s per pair, seed %d", r.CampaignEach, r.Seed)
	}
	fmt.Fprintf(w, "timer-lock series: corpus, concurrent corpus and findings explored at bound %d, %s\n\n", r.Bound, camp)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "pair\tCL\tsequential divergences\tnew-version concurrency problems\tlock-order changes\tlost behaviours")
	for i := range r.Rows {
		row := &r.Rows[i]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", row.name(), row.Title,
			row.Sequential.summary(), row.Concurrency.summary(), row.LockOrder.summary(), row.Lost.summary())
	}
	tw.Flush()
	for i := range r.Rows {
		row := &r.Rows[i]
		for _, c := range []struct {
			name string
			cell *Cell
		}{{"sequential divergences", &row.Sequential}, {"new-version concurrency problems", &row.Concurrency}, {"lock-order changes", &row.LockOrder}, {"lost behaviours", &row.Lost}} {
			if c.cell.Empty() {
				continue
			}
			fmt.Fprintf(w, "\n%s, %s:\n", row.name(), c.name)
			for _, it := range c.cell.Items {
				fmt.Fprintf(w, "  %4d  %s   (first: %s)\n", it.Programs, it.What, it.First)
			}
			if ex := c.cell.Example; ex != nil {
				fmt.Fprintf(w, "  first: %s: %s\n", ex.Source, ex.What)
				for l := range strings.Lines(strings.TrimSuffix(ex.Case, "\n") + "\n") {
					fmt.Fprintf(w, "    %s", l)
				}
				fmt.Fprintf(w, "  replay: %s\n", ex.Replay)
			}
		}
	}
	fmt.Fprintf(w, "\nshared by both versions of a pair (rank violations and cycles on the same program; upstream properties, not changes):\n")
	for i := range r.Rows {
		row := &r.Rows[i]
		var parts []string
		for _, it := range row.SharedLockOrder {
			parts = append(parts, fmt.Sprintf("%s (%d)", it.What, it.Programs))
		}
		if len(parts) == 0 {
			parts = []string{"none"}
		}
		fmt.Fprintf(w, "  %s: %s\n", row.name(), strings.Join(parts, "; "))
	}
	fmt.Fprintf(w, "\nran (per pair): %d sequential and %d concurrent corpus programs\n", r.rows0().SeqPrograms, r.rows0().ConcPrograms)
	for i := range r.Rows {
		row := &r.Rows[i]
		fmt.Fprintf(w, "  %s: %d schedules explored; %d bound artifacts (outcomes the other version reaches at bound %d)", row.name(), row.Schedules, row.BoundArtifacts, r.Bound+1)
		if r.CampaignEach != "" {
			fmt.Fprintf(w, "; campaign: %d sequential, %d concurrent programs", row.CampaignSeq, row.CampaignConc)
		}
		fmt.Fprintln(w)
	}
	if r.Clean() {
		fmt.Fprintf(w, "every pair is clean\n")
	} else {
		n := 0
		for i := range r.Rows {
			if !r.Rows[i].Clean() {
				n++
			}
		}
		fmt.Fprintf(w, "%d of %d pairs show a change\n", n, len(r.Rows))
	}
}

func (r *Report) rows0() *Row {
	if len(r.Rows) == 0 {
		return &Row{}
	}
	return &r.Rows[0]
}

func (r *Row) name() string {
	s := r.Old + " -> " + r.New
	if r.Span {
		s += " (span)"
	}
	return s
}

// summary is the cell as the table shows it: "-" when empty, else each
// item with its program count.
func (c *Cell) summary() string {
	if c.Empty() {
		return "-"
	}
	var parts []string
	for _, it := range c.Items {
		parts = append(parts, fmt.Sprintf("%s (%d)", it.What, it.Programs))
	}
	return strings.Join(parts, ", ")
}
