package mutants

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/timerdiff/timerdiff/internal/corpus"
)

// ScoreOptions says what Score measures.
type ScoreOptions struct {
	Seed    uint64        // campaign seed
	Budget  time.Duration // campaign budget, from an empty corpus
	Short   bool          // catalog mutants only
	Single  bool          // cross-check catalog verdicts with one binary per mutant
	Race    bool          // build the killers with the race detector
	Command string        // the command line, for the report
	Log     io.Writer     // progress lines; nil for none
}

// Score builds every mutant, replays the committed corpus on them, runs a
// campaign from an empty corpus to time each kill, and returns the report.
func Score(root string, opt ScoreOptions) (Report, error) {
	logf := func(format string, args ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, format+"\n", args...)
		}
	}
	if opt.Race {
		BuildFlags = []string{"-race"}
	}
	src, err := Subject(root)
	if err != nil {
		return Report{}, err
	}
	ms := append([]Mutant{}, Catalog...)
	if !opt.Short {
		opm, err := Operators(src, OperatorFuncs...)
		if err != nil {
			return Report{}, err
		}
		ms = append(ms, opm...)
	}
	dir, err := os.MkdirTemp("", "mutscore")
	if err != nil {
		return Report{}, err
	}
	defer os.RemoveAll(dir)

	t0 := time.Now()
	b, err := BuildAll(root, dir, ms)
	if err != nil {
		return Report{}, err
	}
	logf("built %d mutants in %v", len(b.Mutants), time.Since(t0).Round(time.Millisecond))
	byCorpus, err := Run(b.Path, "-corpus", filepath.Join(root, corpus.Root))
	if err != nil {
		return Report{}, err
	}
	t0 = time.Now()
	campaign, err := Run(b.Path, "-seed", fmt.Sprint(opt.Seed), "-budget", opt.Budget.String())
	if err != nil {
		return Report{}, err
	}
	logf("campaign (seed %d, budget %v) took %v", opt.Seed, opt.Budget, time.Since(t0).Round(time.Millisecond))

	var disagree []string
	if opt.Single {
		for _, m := range Catalog {
			bin, err := BuildSingle(root, dir, m)
			if err != nil {
				return Report{}, err
			}
			r, err := Run(bin, "-corpus", filepath.Join(root, corpus.Root))
			if err != nil {
				return Report{}, err
			}
			one, all := r["new"], byCorpus[m.Name]
			if one.Killed != all.Killed || one.By != all.By {
				disagree = append(disagree, fmt.Sprintf("%s: one binary: killed=%v by %q; all-in-one: killed=%v by %q", m.Name, one.Killed, one.By, all.Killed, all.By))
			}
		}
	}
	return Report{
		Mutants:  b.Mutants,
		Broken:   b.Broken,
		Corpus:   byCorpus,
		Campaign: campaign,
		Seed:     opt.Seed,
		Budget:   opt.Budget,
		Single:   opt.Single,
		Disagree: disagree,
		Command:  opt.Command,
	}, nil
}
