package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"

	"github.com/timerdiff/timerdiff/internal/bench"
)

const benchAbout = `Bench runs a bench of real Go timer bugs (package bench: fixed upstream
bugs put back into 2fb5ef88's time.go with go build -overlay, and 2fb5ef88's
own timer on an idle P) under every schedule strategy (bytes, pct-d1..3,
pos, pos-r0.5, surw, and bounded exhaustive search by explore), -trials
trials of -budget schedules each, on each case's buggy version and on its
fixed counterpart, and prints one table: per case, version and strategy,
the trials that found the symptom, the median schedules and time to the
first detection. It builds a worker binary with the buggy versions first
(seconds when cached). Run it from the module root.
Exit status: 0 when every case was detected by some strategy and no fixed
counterpart showed its symptom; 1 otherwise; 2 bad command line; 3 a build
or internal error.
`

func (cl *cli) cmdBench(args []string) error {
	fs := cl.newFlags("bench", "bench [-trials N] [-budget B] [-bound K] [-cases a,b] [-strategies s,t] [-md]", benchAbout)
	trials := fs.Int("trials", 10, "trials per case, version and sampled strategy (seeds 0..N-1)")
	budget := fs.Int("budget", 200, "schedules per trial, and the cap of an exploration")
	bound := fs.Int("bound", 2, "preemption bound of the exhaustive strategy (explore-bK)")
	cases := fs.String("cases", "", "comma-separated case names (default: all)")
	strategies := fs.String("strategies", "", "comma-separated strategy names (default: all)")
	md := fs.Bool("md", false, "print the table in markdown")
	pos, err := cl.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("bench takes no arguments, got %q", pos[0])
	}
	if *trials < 1 || *budget < 1 || *bound < 0 {
		return usagef("bench: -trials and -budget must be >= 1, -bound >= 0")
	}
	root, err := bench.Root()
	if err != nil {
		return &inputError{err}
	}
	dir, err := os.MkdirTemp("", "timerdiff-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(cl.stderr, "difftest: building the bench's buggy versions")
	bin, err := bench.Build(root, dir)
	if err != nil {
		return err
	}
	wargs := []string{"-check", "-trials", strconv.Itoa(*trials), "-budget", strconv.Itoa(*budget), "-bound", strconv.Itoa(*bound)}
	if *cases != "" {
		wargs = append(wargs, "-cases", *cases)
	}
	if *strategies != "" {
		wargs = append(wargs, "-strategies", *strategies)
	}
	if *md {
		wargs = append(wargs, "-md")
	}
	cmd := exec.Command(bin, wargs...)
	cmd.Stdout, cmd.Stderr = cl.stdout, cl.stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
			return errFound
		}
		return fmt.Errorf("bench worker: %w", err)
	}
	return nil
}
