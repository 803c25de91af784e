package check

import (
	"fmt"
	"strings"

	"github.com/timerdiff/timerdiff/internal/compare"
)

// Annotated returns the program as a script whose op lines carry what the
// old version did (" -> ..." annotations, which the parser ignores), up to
// the op that diverged, so the case reads like a short program.
func (r *Result) Annotated() string {
	script := r.Program.Script()
	lines := strings.Split(strings.TrimSuffix(script, "\n"), "\n")
	op := 0
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "procs ") || strings.HasPrefix(t, "timers ") {
			continue
		}
		if op < len(r.Old.Steps) {
			if s := compare.Summary(&r.Old.Steps[op]); s != "(no result)" {
				lines[i] = l + " -> " + s
			}
			if d := r.Report.Divergence; d != nil && d.Op == op {
				lines[i] += "   # <- diverges here"
			}
		}
		op++
	}
	return strings.Join(lines, "\n") + "\n"
}

// Failure is the full human report of a divergent program, ending with the
// line that reproduces it.
func (r *Result) Failure(repro string) string {
	var b strings.Builder
	d := r.Report.Divergence
	if d == nil {
		return ""
	}
	fmt.Fprintf(&b, "timerdiff: old and new versions diverge\n%s\n", d)
	b.WriteString("program (old version's results annotated):\n")
	for _, l := range strings.Split(strings.TrimSuffix(r.Annotated(), "\n"), "\n") {
		b.WriteString("    " + l + "\n")
	}
	for _, k := range r.Report.Known {
		fmt.Fprintf(&b, "known: %s\n", k)
	}
	if repro != "" {
		fmt.Fprintf(&b, "To re-run: %s\n", repro)
	}
	return b.String()
}

// Ops counts the calls both versions made.
func (r *Result) Ops() int { return len(r.Old.Steps) + len(r.New.Steps) }
