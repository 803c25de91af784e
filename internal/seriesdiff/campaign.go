package seriesdiff

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/timerdiff/timerdiff/internal/campaign"
	"github.com/timerdiff/timerdiff/internal/compare"
	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/sched"
)

// concShare is the share of a pair's campaign spent on concurrent
// programs, as difftest run's default -conc.
const concShare = 0.25

// runCampaign runs one campaign of budget on the pair, seeded from the
// sequential corpus, without a findings baseline (the committed findings
// are the default pair's), and adds what it finds to the row.
func runCampaign(row *Row, p Pair, seq []corpus.File, o Options, budget time.Duration) error {
	var seeds []campaign.Entry
	for _, f := range seq {
		data, err := ops.Encode(f.Program)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		seeds = append(seeds, campaign.Entry{Program: f.Program, Data: data})
	}
	conc := time.Duration(float64(budget) * concShare)
	var errOut io.Writer = io.Discard
	if o.Stderr != nil {
		errOut = &prefixWriter{w: o.Stderr, prefix: fmt.Sprintf("series %s -> %s: ", p.Old.Short, p.New.Short)}
	}
	out, err := campaign.RunOutcome(campaign.Options{
		Seed: o.Seed, Budget: budget - conc, ConcTime: conc,
		Corpus: seeds, Dir: o.Root,
		Old: p.Old.Impl, New: p.New.Impl,
		Stdout: io.Discard, Stderr: errOut,
		SharedLockOrder: true,
	})
	if err != nil {
		return err
	}
	row.CampaignSeq = out.Programs
	src := fmt.Sprintf("campaign, seed %d", o.Seed)
	flags := fmt.Sprintf("-old %s -new %s", p.Old.Short, p.New.Short)
	if r := out.Divergence; r != nil {
		d := r.Report.Divergence
		ex := func() *Example {
			return &Example{Source: src, What: strings.SplitN(d.String(), "\n", 2)[0], Case: r.Annotated(),
				Replay: "save the case as x.ops, then: go run ./cmd/difftest replay " + flags + " x.ops   (the campaign: " + out.Repro + " " + flags + ")"}
		}
		if d.Kind == compare.KindLockOrder {
			// check.Pair flags any rank violation of the new version;
			// whether the old one shows it too is in the trace.
			ol, nl := lockFacts(r.Old.LockEdges, r.Old.LockCycles), lockFacts(r.New.LockEdges, r.New.LockCycles)
			lockDiff(&row.LockOrder, map[string]int{}, src, ol, nl, func(what string, f lockFact) *Example {
				e := ex()
				e.What = what
				return e
			})
		} else {
			row.Sequential.add(string(d.Kind)+" divergence", src, ex)
		}
	}
	if ph := out.Conc; ph != nil {
		row.CampaignConc = ph.Programs()
		for _, pc := range ph.Problems() {
			cell := &row.Concurrency
			what := string(pc.Problem.Kind)
			if pc.Problem.Kind == oracle.LockOrder {
				cell, what = &row.LockOrder, "+"+pc.Problem.Class+" (judged by check.ConcPair)"
			}
			for range pc.Programs {
				cell.add(what, src, func() *Example {
					prog, st, ok := ph.Example(pc.Key)
					s := src
					if ok {
						s += fmt.Sprintf(", minimized (%v)", st)
					}
					return &Example{Source: s, What: pc.Problem.Text, Case: prog.Script(),
						Replay: "save the case as x.ops, then: go run ./cmd/difftest replay " + flags + " x.ops"}
				})
			}
		}
	}
	return nil
}

func schedLine(choices []int) string { return sched.Schedule(choices).Line() }

// prefixWriter starts every line written through it with prefix.
type prefixWriter struct {
	w      io.Writer
	prefix string
	mid    bool
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	n := len(b)
	var out strings.Builder
	for len(b) > 0 {
		if !p.mid {
			out.WriteString(p.prefix)
		}
		line, rest, nl := strings.Cut(string(b), "\n")
		out.WriteString(line)
		if nl {
			out.WriteByte('\n')
		}
		p.mid, b = !nl, []byte(rest)
	}
	_, err := io.WriteString(p.w, out.String())
	return n, err
}
