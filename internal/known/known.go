// Package known is the baseline of explained findings: the problems that
// the committed scripts under corpus/findings show, each tied to the file
// that shows and explains it. A campaign in CI reports every problem but
// fails only on one that matches no known finding.
//
// Invariants:
//   - A problem is known when it has the signature (oracle.Signature.Key:
//     the same kind, the same time.go call broke the invariant, after a
//     move at the same safe point) of a problem the new version shows,
//     in the judge's verdict (check.ConcPair), on a findings script
//     replayed under its own schedule line. The same cause reached by
//     other calls, timers or Ps is known; the same kind of problem from
//     another place in time.go is not.
//   - Loading is deterministic: files in name order, each replayed once.
//   - A findings script that no longer shows any problem is an error: a
//     baseline must not silently shrink.
package known

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/oracle"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/sched"
	"github.com/timerdiff/timerdiff/internal/sim"
)

// Finding is one known problem and the file that shows it.
type Finding struct {
	oracle.Problem
	File string
}

// Set is the known findings.
type Set struct {
	findings []Finding
}

// Load replays every *.ops script directly in dir on the pair under its
// schedule line and collects the new version's problems. A missing dir is
// an empty Set.
func Load(dir string, oldImpl, newImpl port.Impl) (*Set, error) {
	s := &Set{}
	names, err := filepath.Glob(filepath.Join(dir, "*.ops"))
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(dir); err != nil {
		if os.IsNotExist(err) {
			return s, nil
		}
		return nil, err
	}
	sort.Strings(names)
	for _, path := range names {
		p, _, err := ops.ReadConcFile(path)
		if err != nil {
			return nil, err
		}
		if p.Schedule == nil {
			return nil, fmt.Errorf("%s: a finding must carry its schedule line", path)
		}
		sch := p.Schedule
		r := check.ConcPair(oldImpl, newImpl, p, func() sim.Chooser { return sched.Replay(sch) }, false)
		if r.OK() {
			return nil, fmt.Errorf("%s: shows no problem of the new version under its schedule: not a finding of this pair", path)
		}
		for _, q := range r.Problems {
			s.findings = append(s.findings, Finding{Problem: q, File: path})
		}
	}
	return s, nil
}

// Match returns the file of the known finding with p's signature, if
// any. A nil Set knows nothing.
func (s *Set) Match(p oracle.Problem) (string, bool) {
	if s == nil {
		return "", false
	}
	for _, f := range s.findings {
		if f.Sig.Key() == p.Sig.Key() {
			return f.File, true
		}
	}
	return "", false
}

// Len is the number of known problems.
func (s *Set) Len() int { return len(s.findings) }

// Files lists the files the Set was loaded from, once each.
func (s *Set) Files() []string {
	var files []string
	for _, f := range s.findings {
		if len(files) == 0 || files[len(files)-1] != f.File {
			files = append(files, f.File)
		}
	}
	return files
}

func (s *Set) String() string {
	return fmt.Sprintf("%d known problems from %s", len(s.findings), strings.Join(s.Files(), ", "))
}
