package fuzz

import (
	"fmt"
	"os"
	"sync"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/versions"
)

// The environment variables that pick the pair the fuzz targets and
// corpus replays run, each a commit hash prefix of the timer-lock series
// (see internal/versions); unset, the pair the build chose (builtOld,
// builtNew), else the pair under test (b5a99eaa and 2fb5ef88). The
// fuzzing engine's workers inherit them.
const (
	OldEnv = "TIMERDIFF_OLD"
	NewEnv = "TIMERDIFF_NEW"
)

// The pair a libFuzzer build chose, as if the variables were set: the
// ClusterFuzzLite build fuzzes upstream's fix, and its runner passes no
// environment to the targets. Empty in this repository; the build writes
// them into a generated file of its copy of the module
// (fuzz/oss-fuzz/pairfile).
var builtOld, builtNew string

var pair struct {
	once    sync.Once
	old, nw port.Impl
	env     string // the variables as a command prefix, "" if unset
	flags   string // the same as difftest's -old and -new flags
	err     error
}

// Pair returns the versions to run, from OldEnv and NewEnv or the
// build's choice, and the command prefix that sets them again
// ("TIMERDIFF_NEW=c6888d92 ", or ""): a re-run line names the pair even
// when only the build chose it.
func Pair() (old, nw port.Impl, env string, err error) {
	pair.once.Do(func() {
		pair.old, pair.nw, pair.env, pair.flags, pair.err = choosePair(os.Getenv, builtOld, builtNew)
	})
	return pair.old, pair.nw, pair.env, pair.err
}

// choosePair is Pair's choice: each version from its variable (getenv),
// else from the build, else the pair under test.
func choosePair(getenv func(string) string, bOld, bNew string) (old, nw port.Impl, env, flags string, err error) {
	old, nw = check.Old, check.New
	for _, v := range []struct {
		name, built, flag string
		impl              *port.Impl
	}{{OldEnv, bOld, "-old", &old}, {NewEnv, bNew, "-new", &nw}} {
		h := getenv(v.name)
		if h == "" {
			h = v.built
		}
		if h == "" {
			continue
		}
		ver, err := versions.Lookup(h)
		if err != nil {
			return old, nw, "", "", fmt.Errorf("%s=%s: %w", v.name, h, err)
		}
		*v.impl = ver.Impl
		env += v.name + "=" + h + " "
		flags += " " + v.flag + " " + h
	}
	return old, nw, env, flags, nil
}

// GoTest is the command line that re-runs the tests of package pkg (as
// the go command names it from the module root: "./fuzz",
// "./fuzz/regress") that run matches, with the pair's variables and the
// build's overlay:
// "TIMERDIFF_NEW=c6888d92 go test -overlay ov.json ./fuzz -run=...".
func GoTest(pkg, run string) string {
	_, _, env, _ := Pair()
	return fmt.Sprintf("%sgo test%s %s -run=%s", env, port.GoFlag(), pkg, run)
}

// Difftest is the difftest command line that runs cmd on file with the
// same pair (-old and -new, difftest reads no variables) and overlay:
// "go run -overlay ov.json ./cmd/difftest minimize -new c6888d92 FILE".
func Difftest(cmd, file string) string {
	Pair()
	return fmt.Sprintf("go run%s ./cmd/difftest %s%s %s", port.GoFlag(), cmd, pair.flags, file)
}
