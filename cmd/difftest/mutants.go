package main

import (
	"os"
	"strings"
	"time"

	"github.com/timerdiff/timerdiff/internal/mutants"
)

const mutantsAbout = `Builds every mutant of newimpl/time.go (the catalog of plausible mistakes
for this CL, and operator mutants over modtimer and deltimer; each applied
with go build -overlay, never edited in place), replays corpus/ on them,
runs a campaign from an empty corpus to time each kill, and prints the
mutation table in markdown: per mutant, the corpus file that kills it, the
time a campaign needs, and the minimized killing program for those the
corpus misses. Equivalent mutants are listed with their argument.
Run it from the module root.
`

func (cl *cli) cmdMutants(args []string) error {
	fs := cl.newFlags("mutants", "mutants [-seed S] [-time D] [-short] [-single] [-race] [-o FILE]", mutantsAbout)
	var opt mutants.ScoreOptions
	fs.Uint64Var(&opt.Seed, "seed", 1, "campaign seed")
	fs.DurationVar(&opt.Budget, "time", 60*time.Second, "campaign budget, from an empty corpus")
	fs.DurationVar(&opt.Budget, "budget", 60*time.Second, "deprecated: the same as -time")
	fs.BoolVar(&opt.Short, "short", false, "catalog mutants only")
	fs.BoolVar(&opt.Single, "single", false, "cross-check catalog verdicts with one binary per mutant")
	fs.BoolVar(&opt.Race, "race", false, "build the killers with the race detector")
	out := fs.String("o", "", "write the table to `file` instead of stdout (refuses to overwrite)")
	pos, err := cl.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("mutants takes no arguments, got %q", pos[0])
	}
	if *out != "" {
		if _, err := os.Stat(*out); err == nil {
			return usagef("mutants: %q exists; not overwriting it", *out)
		}
	}
	root, err := mutants.ModuleRoot()
	if err != nil {
		return &inputError{err}
	}
	opt.Command = "difftest mutants " + strings.Join(args, " ")
	opt.Log = cl.stderr
	r, err := mutants.Score(root, opt)
	if err != nil {
		return err
	}
	md := mutants.Markdown(r)
	if *out != "" {
		return os.WriteFile(*out, []byte(md), 0o644)
	}
	_, err = cl.stdout.Write([]byte(md))
	return err
}
