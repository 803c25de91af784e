// Command mutscore measures timerdiff's mutation score and writes it as a
// markdown table.
//
// Usage (from the module root):
//
//	go run ./internal/mutants/cmd/mutscore [-o internal/mutants/RESULTS.md] [-seed 1] [-budget 60s] [-short] [-single] [-race]
//
// It builds every catalog and operator mutant of newimpl/time.go into one
// killer binary (see package mutants), replays corpus/ on them, then runs
// a random campaign from an empty corpus with the given seed to measure
// each mutant's time to kill. With -single it also builds each catalog
// mutant as its own binary, with an overlay that replaces newimpl/time.go,
// and reports any mutant whose verdict differs from the one-binary build.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/timerdiff/timerdiff/internal/mutants"
)

func main() {
	if err := mainErr(); err != nil {
		fmt.Fprintln(os.Stderr, "mutscore:", err)
		os.Exit(1)
	}
}

func mainErr() error {
	out := flag.String("o", "internal/mutants/RESULTS.md", "write the table to `file`, relative to the module root (- for stdout)")
	seed := flag.Uint64("seed", 1, "campaign seed")
	budget := flag.Duration("budget", 60*time.Second, "campaign budget (from an empty corpus)")
	short := flag.Bool("short", false, "catalog mutants only")
	single := flag.Bool("single", false, "cross-check catalog verdicts with one binary per mutant")
	race := flag.Bool("race", false, "build the killers with the race detector")
	flag.Parse()
	if *race {
		mutants.BuildFlags = []string{"-race"}
	}

	root, err := mutants.ModuleRoot()
	if err != nil {
		return err
	}
	src, err := mutants.Subject(root)
	if err != nil {
		return err
	}
	ms := append([]mutants.Mutant{}, mutants.Catalog...)
	if !*short {
		opm, err := mutants.Operators(src, mutants.OperatorFuncs...)
		if err != nil {
			return err
		}
		ms = append(ms, opm...)
	}
	dir, err := os.MkdirTemp("", "mutscore")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	t0 := time.Now()
	b, err := mutants.BuildAll(root, dir, ms)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "built %d mutants in %v\n", len(b.Mutants), time.Since(t0).Round(time.Millisecond))
	corpus, err := mutants.Run(b.Path, "-corpus", filepath.Join(root, "corpus"))
	if err != nil {
		return err
	}
	t0 = time.Now()
	campaign, err := mutants.Run(b.Path, "-seed", fmt.Sprint(*seed), "-budget", budget.String())
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "campaign (seed %d, budget %v) took %v\n", *seed, *budget, time.Since(t0).Round(time.Millisecond))

	var disagree []string
	if *single {
		for _, m := range mutants.Catalog {
			bin, err := mutants.BuildSingle(root, dir, m)
			if err != nil {
				return err
			}
			r, err := mutants.Run(bin, "-corpus", filepath.Join(root, "corpus"))
			if err != nil {
				return err
			}
			one, all := r["new"], corpus[m.Name]
			if one.Killed != all.Killed || one.By != all.By {
				disagree = append(disagree, fmt.Sprintf("%s: one binary: killed=%v by %q; all-in-one: killed=%v by %q", m.Name, one.Killed, one.By, all.Killed, all.By))
			}
		}
	}

	md := mutants.Markdown(mutants.Report{
		Mutants:  b.Mutants,
		Broken:   b.Broken,
		Corpus:   corpus,
		Campaign: campaign,
		Seed:     *seed,
		Budget:   *budget,
		Single:   *single,
		Disagree: disagree,
		Command:  "go run ./internal/mutants/cmd/mutscore " + strings.Join(os.Args[1:], " "),
	})
	if *out == "-" {
		_, err = os.Stdout.WriteString(md)
		return err
	}
	path := *out
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	return os.WriteFile(path, []byte(md), 0o644)
}
