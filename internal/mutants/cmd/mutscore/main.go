// Command mutscore measures timerdiff's mutation score and writes it as a
// markdown table. It is `difftest mutants` under its historical name.
//
// Usage (from the module root):
//
//	go run ./internal/mutants/cmd/mutscore [-o internal/mutants/RESULTS.md] [-seed 1] [-budget 60s] [-short] [-single] [-race]
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
	var opt mutants.ScoreOptions
	flag.Uint64Var(&opt.Seed, "seed", 1, "campaign seed")
	flag.DurationVar(&opt.Budget, "budget", 60*time.Second, "campaign budget (from an empty corpus)")
	flag.BoolVar(&opt.Short, "short", false, "catalog mutants only")
	flag.BoolVar(&opt.Single, "single", false, "cross-check catalog verdicts with one binary per mutant")
	flag.BoolVar(&opt.Race, "race", false, "build the killers with the race detector")
	flag.Parse()
	opt.Command = "go run ./internal/mutants/cmd/mutscore " + strings.Join(os.Args[1:], " ")
	opt.Log = os.Stderr

	root, err := mutants.ModuleRoot()
	if err != nil {
		return err
	}
	r, err := mutants.Score(root, opt)
	if err != nil {
		return err
	}
	md := mutants.Markdown(r)
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
