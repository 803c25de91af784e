// Command benchworker runs the bench of package bench: every case on its
// buggy version and on its fixed counterpart, under every strategy. The
// buggy versions are registered at build time (bench.Build adds a
// registry file and one copy of package newimpl per case with
// go build -overlay); people run "difftest bench", which builds it.
//
// Usage:
//
//	benchworker [-trials N] [-budget B] [-bound K] [-cases a,b] [-strategies s,t] [-md] [-check]
//
// It prints the table (markdown with -md). With -check it exits 1 when a
// case was detected by no strategy or a fixed counterpart showed its
// symptom; 2 on usage errors.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/timerdiff/timerdiff/internal/bench"
	"github.com/timerdiff/timerdiff/internal/port"
)

// registered holds the buggy versions, by case name; the generated
// registry file's init fills it.
var registered = map[string]port.Impl{}

func register(name string, impl port.Impl) { registered[name] = impl }

func main() {
	fs := flag.NewFlagSet("benchworker", flag.ContinueOnError)
	trials := fs.Int("trials", 10, "trials per case, version and sampled strategy")
	budget := fs.Int("budget", 200, "schedules per trial (and the cap of an exploration)")
	bound := fs.Int("bound", 2, "preemption bound of the exhaustive strategy")
	cases := fs.String("cases", "", "comma-separated case names (default: all)")
	strategies := fs.String("strategies", "", "comma-separated strategy names (default: all)")
	md := fs.Bool("md", false, "print the table in markdown")
	check := fs.Bool("check", false, "exit 1 if a case is detected by no strategy or a fixed counterpart shows its symptom")
	quiet := fs.Bool("q", false, "no progress lines on stderr")
	if err := fs.Parse(os.Args[1:]); err != nil || fs.NArg() > 0 || *trials < 1 || *budget < 1 || *bound < 0 {
		fmt.Fprintln(os.Stderr, "usage: benchworker [-trials N] [-budget B] [-bound K] [-cases a,b] [-strategies s,t] [-md] [-check] [-q]")
		os.Exit(2)
	}
	opt := bench.Options{Trials: *trials, Budget: *budget, Bound: *bound, Cases: split(*cases), Strategies: split(*strategies)}
	if !*quiet {
		opt.Log = os.Stderr
	}
	start := time.Now()
	rows, err := bench.Run(func(name string) (port.Impl, bool) { i, ok := registered[name]; return i, ok }, opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchworker:", err)
		os.Exit(2)
	}
	if *md {
		bench.Markdown(os.Stdout, rows)
	} else {
		bench.Table(os.Stdout, rows)
	}
	fmt.Printf("\n%d trials per sampled strategy, budget %d schedules, explore bound %d; %s in all\n",
		*trials, *budget, *bound, time.Since(start).Round(time.Second))
	if *check {
		if err := bench.Check(rows); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
