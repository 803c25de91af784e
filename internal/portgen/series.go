package portgen

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"path"

	"github.com/timerdiff/timerdiff/internal/portgen/commit"
)

// Commit is one commit of the timer-lock series of golang/go (package
// commit holds the table, so that what needs only the series, such as
// package versions and the fuzz targets through it, does not link the
// generator).
type Commit = commit.Commit

// Series is the timer-lock series, oldest first: commit.Series.
var Series = commit.Series

// Target is one generated port package.
type Target struct {
	Dir      string // slash-separated, from the module root; its last element is the package name
	Commit   Commit // the upstream time.go it ports
	ImplName string // what its Impl.Name() returns
}

// Package is the target's package name.
func (t Target) Package() string { return path.Base(t.Dir) }

// SeriesDir is where the series versions other than the pair under test
// are generated, one package v<short hash> each.
const SeriesDir = "internal/series"

// Targets lists every generated port: the pair under test, oldimpl (the
// parent, b5a99eaa) and newimpl (the commit, 2fb5ef88), named "old" and
// "new", then the other five commits of the series under SeriesDir, each
// named by its short hash.
var Targets = func() []Target {
	ts := []Target{
		{Dir: "oldimpl", Commit: mustCommit("b5a99eaa"), ImplName: "old"},
		{Dir: "newimpl", Commit: mustCommit("2fb5ef88"), ImplName: "new"},
	}
	for _, c := range Series {
		if c.Short != "b5a99eaa" && c.Short != "2fb5ef88" {
			ts = append(ts, Target{Dir: SeriesDir + "/v" + c.Short, Commit: c, ImplName: c.Short})
		}
	}
	return ts
}()

func mustCommit(short string) Commit {
	for _, c := range Series {
		if c.Short == short {
			return c
		}
	}
	panic(fmt.Sprintf("portgen: %s is not in Series", short))
}

// GitBlobHash is what `git hash-object` prints for a file holding content.
func GitBlobHash(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}
