package sched

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/timerdiff/timerdiff/internal/sim"
)

// Schedule is a recorded interleaving: at each choice point, the ID of the
// M that ran, preceded by sim.MigrateMark+p where the running goroutine
// was preempted and resumed on P p.
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
		if s[i] >= sim.MigrateMark {
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

// maxRun bounds one run-length token, so that a typo cannot ask for
// gigabytes.
const maxRun = 1 << 20

// Parse reads a schedule: tokens "Mi" or "Mi*n" (n >= 1), and "Pi" (the
// running goroutine moves to P i), separated by spaces or commas. The
// empty string is the empty schedule.
func Parse(text string) (Schedule, error) {
	var s Schedule
	fields := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' })
	for _, f := range fields {
		if p, ok := strings.CutPrefix(f, "P"); ok {
			id, err := strconv.Atoi(p)
			if err != nil || id < 0 || id >= maxRun {
				return nil, fmt.Errorf("bad schedule entry %q, want P0, P1, ... (a migration)", f)
			}
			s = append(s, sim.MigrateMark+id)
			continue
		}
		m, n, rep := strings.Cut(f, "*")
		id, err := strconv.Atoi(strings.TrimPrefix(m, "M"))
		if !strings.HasPrefix(m, "M") || err != nil || id < 0 {
			return nil, fmt.Errorf("bad schedule entry %q, want M0, M1*3, ...", f)
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
