package explore

import (
	"fmt"

	"github.com/timerdiff/timerdiff/internal/run"
)

// findings are what the oracles see in one run: hangs and throws with
// where they happened, lock-order rank violations and cycles (without the
// call index, which names the first call of the run that showed them),
// heap invariant violations and lost timers.
func findings(tr *run.ConcTrace) []Finding {
	var fs []Finding
	step := func(s *run.Step) {
		switch {
		case s.Out.Hang != "":
			fs = append(fs, Finding{Kind: FindHang, What: fmt.Sprintf("%s: %s in %s", s.Call, s.Out.Hang, s.Out.Where)})
		case s.Out.Throw != "":
			fs = append(fs, Finding{Kind: FindThrow, What: fmt.Sprintf("%s: throw(%q) in %s", s.Call, s.Out.Throw, s.Out.Where)})
		}
	}
	for i := range tr.Setup {
		step(&tr.Setup[i])
	}
	for _, th := range tr.Threads {
		for i := range th {
			step(&th[i])
		}
	}
	for _, e := range tr.LockEdges {
		if !e.RankOK {
			fs = append(fs, Finding{Kind: FindLockOrder, What: fmt.Sprintf(
				"%s -> %s: %s held while acquiring %s in %s: rank violation", e.From, e.To, e.FromLock, e.ToLock, e.Where)})
		}
	}
	for _, c := range tr.LockCycles {
		fs = append(fs, Finding{Kind: FindLockOrder, What: "cycle " + c})
	}
	for _, b := range tr.Bad {
		fs = append(fs, Finding{Kind: FindHeap, What: b})
	}
	for _, l := range tr.Lost {
		fs = append(fs, Finding{Kind: FindLost, What: l})
	}
	return fs
}
