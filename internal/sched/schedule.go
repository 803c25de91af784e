package sched

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/timerdiff/timerdiff/internal/sim"
)

// Schedule is a recorded interleaving: at each choice point, the ID of the
// M that ran, preceded by sim.MigrateMark+p where the running goroutine
// was preempted and resumed on P p (its own P: it waited for its M's
// scheduler), and by sim.NoRescueMark where a rescue of the runtime did
// not happen (another M was spinning).
type Schedule []int

// String prints s run-length encoded, "M0*5 M1*3 M0"; "" for an empty
// schedule. Parse(s.String()) equals s.
func (s Schedule) String() string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		switch {
		case s[i] == sim.NoRescueMark:
			b.WriteString(spinningToken)
			i++
			continue
		case s[i] >= sim.MigrateMark+sim.STWMark:
			fmt.Fprintf(&b, "%s%d", stwToken, s[i]-sim.MigrateMark-sim.STWMark)
			i++
			continue
		case s[i] >= sim.MigrateMark:
			fmt.Fprintf(&b, "P%d", s[i]-sim.MigrateMark)
			i++
			continue
		}
		fmt.Fprintf(&b, "M%d", s[i])
		if j-i > 1 {
			fmt.Fprintf(&b, "*%d", j-i)
		}
		i = j
	}
	return b.String()
}

// Line prints s as the line of a concurrent script that replays it (see
// ops.ParseConc): "schedule M0*3 M1*2 M0", and "schedule" when s is empty.
func (s Schedule) Line() string {
	if len(s) == 0 {
		return "schedule"
	}
	return "schedule " + s.String()
}

// maxRun bounds one run-length token, so that a typo cannot ask for
// gigabytes.
const maxRun = 1 << 20

// spinningToken is NoRescueMark in a schedule's text, stwToken+n a stop
// of the world that runs procresize(n).
const (
	spinningToken = "spinning"
	stwToken      = "stw"
)

// Parse reads a schedule: tokens "Mi" or "Mi*n" (n >= 1), "Pi" (the
// running goroutine is preempted and resumes on P i), "stwN" (it is
// stopped while procresize(N) runs) and "spinning" (a rescue that did
// not happen), separated by spaces or commas. The empty string is the
// empty schedule.
func Parse(text string) (Schedule, error) {
	var s Schedule
	fields := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' })
	for _, f := range fields {
		if f == spinningToken {
			s = append(s, sim.NoRescueMark)
			continue
		}
		if n, ok := strings.CutPrefix(f, stwToken); ok {
			k, err := strconv.Atoi(n)
			if err != nil || k < 1 || k >= maxRun {
				return nil, fmt.Errorf("bad schedule entry %q, want stw1, stw2, ... (a stop of the world running procresize)", f)
			}
			s = append(s, sim.MigrateMark+sim.STWMark+k)
			continue
		}
		if p, ok := strings.CutPrefix(f, "P"); ok {
			id, err := strconv.Atoi(p)
			if err != nil || id < 0 || id >= maxRun {
				return nil, fmt.Errorf("bad schedule entry %q, want P0, P1, ... (a preemption)", f)
			}
			s = append(s, sim.MigrateMark+id)
			continue
		}
		m, n, rep := strings.Cut(f, "*")
		id, err := strconv.Atoi(strings.TrimPrefix(m, "M"))
		if !strings.HasPrefix(m, "M") || err != nil || id < 0 {
			return nil, fmt.Errorf("bad schedule entry %q, want M0, M1*3, P2 or spinning", f)
		}
		count := 1
		if rep {
			count, err = strconv.Atoi(n)
			if err != nil || count < 1 || count > maxRun {
				return nil, fmt.Errorf("bad repeat count in %q, want 1..%d", f, maxRun)
			}
		}
		for range count {
			s = append(s, id)
		}
	}
	return s, nil
}
