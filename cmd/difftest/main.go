package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/versions"
)

// cli is what a command runs with: where its output goes and the pair
// under test. Tests make their own, with buffers and a mutant as the new
// version, so they can run in parallel.
type cli struct {
	stdout, stderr   io.Writer
	oldImpl, newImpl port.Impl // set by -old and -new (pickPair)
}

// newCLI is a command line's cli: the process's streams and the default
// pair.
func newCLI(stdout, stderr io.Writer) *cli {
	return &cli{stdout: stdout, stderr: stderr, oldImpl: check.Old, newImpl: check.New}
}

func main() {
	tuneGC(os.Getenv)
	cl := newCLI(os.Stdout, os.Stderr)
	os.Exit(cl.exitCode(cl.difftest(os.Args[1:])))
}

// tuneGC sets the collector's target to 1000% of the live heap, unless
// GOGC is set, and a soft memory limit of 4 GiB, unless GOMEMLIMIT is.
// difftest keeps a few MB live but allocates hundreds of MB a second
// (every run builds a World and its trace), so at Go's default of 100%
// the collector ran many times a second: unbounded explore of
// modtimer_nextwhen_under_lock took 16.6 s at 100% and 9.4 s at 1000%
// (111 MB resident instead of 17 MB), and a campaign ran 9,400
// programs/s at 100% and 12,600 at 1000% (docs/explore.md, "Cost per
// schedule").
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(1000)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(4 << 30)
	}
}

// Exit codes.
const (
	exitOK       = 0
	exitFound    = 1 // a divergence, a bad corpus file, a failed operation
	exitUsage    = 2 // bad command line or unreadable input
	exitInternal = 3 // an I/O error or a bug of the tester, not a finding
)

// usageError is a bad command line: one line, exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// inputError is an input file that cannot be read or parsed: exit 2.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// errFound reports a divergence or bad file already described on stdout.
var errFound = errors.New("found a problem")

// errHelp is -h: the usage is printed, exit 0.
var errHelp = flag.ErrHelp

func (cl *cli) exitCode(err error) int {
	var ue *usageError
	var ie *inputError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errFound):
		return exitFound
	case errors.As(err, &ue):
		fmt.Fprintf(cl.stderr, "difftest: %s (see difftest -h)\n", ue.msg)
		return exitUsage
	case errors.As(err, &ie):
		fmt.Fprintf(cl.stderr, "difftest: %s\n", ie.err)
		return exitUsage
	}
	fmt.Fprintf(cl.stderr, "difftest: %s\n", err)
	return exitInternal
}

const usage = `usage: difftest <command> [flags] [args]

commands:
  run       run a campaign of generated programs on both versions
  replay    run programs and show both traces side by side (concurrent: under one schedule)
  minimize  shrink a divergent program, or a concurrent case the new version fails
  corpus    check, add, convert and count corpus files
  explore   run every schedule of a concurrent program (bounded) on both versions
            (-break-contract: also programs that break the API contract, labelled so)
  mutants   score the tester: which mutants of the new version it catches
  bench     real Go timer bugs under every schedule strategy: which finds each, how fast
  series    every pair of the timer-lock series: divergences, problems, lock order, lost behaviours

Every command takes -old C and -new C: the pair under test, any two commits
of the timer-lock series by hash prefix (default b5a99eaa and 2fb5ef88).

Exit status: 0 clean; 1 found (a divergence, a problem of the new version,
a bad corpus file); 2 bad command line or unreadable input; 3 internal error.

Run "difftest help <command>" or "difftest <command> -h" for a command's flags.
`

// commands are difftest's commands, for help.
var commands = map[string]bool{"run": true, "replay": true, "minimize": true, "corpus": true, "explore": true, "mutants": true, "bench": true, "series": true}

// difftest runs one command line.
func (cl *cli) difftest(args []string) error {
	if len(args) == 0 {
		return usagef("no command")
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "help":
		switch {
		case len(args) == 0:
			fmt.Fprint(cl.stderr, usage)
			return errHelp
		case len(args) > 2 || len(args) == 2 && args[0] != "corpus":
			return usagef("help: want one command, have %q", args)
		case !commands[args[0]]:
			return usagef("help: unknown command %q", args[0])
		}
		return cl.difftest(append(args, "-h")) // "help corpus add" is "corpus add -h"
	case "-h", "-help", "--help":
		fmt.Fprint(cl.stderr, usage)
		return errHelp
	case "run":
		return cl.cmdRun(args)
	case "replay":
		return cl.cmdReplay(args)
	case "minimize":
		return cl.cmdMinimize(args)
	case "corpus":
		return cl.cmdCorpus(args)
	case "explore":
		return cl.cmdExplore(args)
	case "mutants":
		return cl.cmdMutants(args)
	case "bench":
		return cl.cmdBench(args)
	case "series":
		return cl.cmdSeries(args)
	}
	return usagef("unknown command %q", cmd)
}

// newFlags makes a FlagSet for a command whose usage line is synopsis,
// with the -old and -new flags that pick the pair under test.
func (cl *cli) newFlags(name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("old", "b5a99eaa", "the old version: a commit of the timer-lock series, by hash prefix (see README)")
	fs.String("new", "2fb5ef88", "the new version: a commit of the timer-lock series, by hash prefix")
	if name != "corpus" { // the pair flags belong to its subcommands' synopses
		synopsis = name + " [-old C] [-new C]" + strings.TrimPrefix(synopsis, name)
	}
	fs.Usage = func() {
		fmt.Fprintf(cl.stderr, "usage: difftest %s\n\n%s", synopsis, about)
		var b strings.Builder
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		if b.Len() > 0 {
			fmt.Fprintf(cl.stderr, "\nflags:\n%s", b.String())
		}
	}
	return fs
}

// parse parses args with flags and positional arguments in any order, and
// returns the positional ones. -h prints the usage and returns errHelp.
func (cl *cli) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	usage := fs.Usage
	fs.Usage = func() {} // flag calls it on every error; only -h prints it
	defer func() { fs.Usage = usage }()
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage()
				return nil, errHelp
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, cl.pickPair(fs)
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), cl.pickPair(fs)
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// pickPair sets the pair under test from -old and -new, when either was
// given, and says on stderr which pair runs.
func (cl *cli) pickPair(fs *flag.FlagSet) error {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "old" || f.Name == "new" })
	if !set {
		return nil
	}
	old, err := versions.Lookup(fs.Lookup("old").Value.String())
	if err != nil {
		return usagef("%s: -old: %v", fs.Name(), err)
	}
	nw, err := versions.Lookup(fs.Lookup("new").Value.String())
	if err != nil {
		return usagef("%s: -new: %v", fs.Name(), err)
	}
	cl.oldImpl, cl.newImpl = old.Impl, nw.Impl
	fmt.Fprintf(cl.stderr, "difftest: pair: old %s (%s), new %s (%s)\n", old.Short, old.Title, nw.Short, nw.Title)
	return nil
}
