package portgen

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"path"
)

// Commit is one commit of the timer-lock series of golang/go.
type Commit struct {
	Short string // the first 8 hex digits of Full: the folder under upstream/
	Full  string // the commit hash
	Blob  string // the git blob hash of src/runtime/time.go at the commit
	Title string // the first line of the commit message
}

// Series is the timer-lock series, oldest first; each commit is the child
// of the one before. Every commit changes only src/runtime/time.go
// (b5a99eaa also the lock ranking), and all seven share one status set and
// one runtime interface, so one glue fits them all.
var Series = []Commit{
	{"51df232b", "51df232b122b77c1bb066e53300247ec68695743", "90d2f6e39a21c67d3df963ccfc0606becfb3062b", "runtime: use timer.lock in deltimer"},
	{"b5a99eaa", "b5a99eaa94aafb48944d877f9991b6ae943b056c", "e88c3f9b2ea7aad27aeed21356f15bf2eb15596e", "runtime: add timer lock to lock ranking"},
	{"2fb5ef88", "2fb5ef889bf86dfb25880cf087a3e02f7100df29", "5a8f516ccad2e24ecd55d97bbb14e12b77738423", "runtime: use timer.lock in modtimer"},
	{"58911599", "58911599e8dc25898c3017dd6655540fb9b976b1", "2b82306812c51bf54e60f61655aced1923556e7f", "runtime: use timer.lock in cleantimers"},
	{"d1e8dc25", "d1e8dc25ff36694b5fdc8045325502e186b702f2", "f94ad991960f600fa234167987848cc691c200fd", "runtime: use timer.lock in runtimer"},
	{"1df6db8e", "1df6db8e4fe0c8adf72e8533a09b46cad176eb42", "251fe8eb49ed72483b0179fce6767a0b4df9f897", "runtime: use timer.lock in adjusttimers"},
	{"c6888d92", "c6888d9264c481e61daa7ab0a8e603cdcb67b897", "6c9333e55b51dc2f428e1d0f0520a9be6c288f51", "runtime: use timer.lock in moveTimers"},
}

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
