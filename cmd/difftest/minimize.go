package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/timerdiff/timerdiff/internal/campaign"
	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/minimize"
	"github.com/timerdiff/timerdiff/internal/ops"
)

const minimizeAbout = `Minimize shrinks a divergent program (a script, or a go test fuzz v1 file
such as a crasher that go test -fuzz wrote under
fuzz/testdata/fuzz/FuzzDiff/) to one that still diverges with the same kind
at an op of the same kind, and from which no op can be removed and no
argument simplified without losing that (see internal/minimize). It writes
OUT.ops (the script, annotated with the old version's results) and OUT (a
go test fuzz v1 file) and refuses to overwrite either. OUT defaults to the
input's base name, without .ops, plus ".min", in the current directory.
Exit status 1 if the program does not diverge.

A concurrent case (a script with thread blocks and a schedule line, or a
crasher that go test -fuzz wrote under fuzz/testdata/fuzz/FuzzConcurrent/,
whose schedule bytes are replayed and recorded as a schedule line) is
shrunk to one on which the new version, with both versions replaying the
schedule line, still shows the same problem (the same kind: hang, throw
message, heap invariant, lock order, lost timer; see check.ConcPair):
delta debugging over the setup ops and each thread's calls, keeping the
API contract; dropping whole threads; then fewer schedule switches; then
timers and Ps renumbered from 0 and their counts cut, where the problem
stays (see minimize.Conc). It writes OUT.ops, the script with its
schedule line, and refuses to overwrite it. Exit status 1 if the new
version shows no problem.

The re-run line printed last carries the -old and -new flags given and
the go command's -overlay the binary was built with (port.Overlay).
`

func (cl *cli) cmdMinimize(args []string) error {
	flags := cl.newFlags("minimize", "minimize [-o OUT] FILE", minimizeAbout)
	out := flags.String("o", "", "write `OUT` and OUT.ops (a trailing .ops on OUT is dropped)")
	pos, err := cl.parse(flags, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("minimize: want one FILE, have %d arguments", len(pos))
	}
	in := pos[0]
	// -o overwrites what it names; the default name is never
	// overwritten, and neither is the input.
	overwrite := *out != ""
	if *out == "" {
		*out = strings.TrimSuffix(filepath.Base(in), ".ops") + ".min"
	}
	// -o lost.ops means lost and lost.ops, not lost.ops.ops.
	*out = strings.TrimSuffix(*out, ".ops")
	conc, err := corpus.IsConc(in)
	if err != nil {
		return &inputError{err}
	}
	if conc {
		if err := writable(in, overwrite, *out+".ops"); err != nil {
			return err
		}
		return cl.minimizeConc(in, *out, overwrite, pairFlags(flags))
	}
	p, err := corpus.ReadProgram(in)
	if err != nil {
		return &inputError{err}
	}
	if err := writable(in, overwrite, *out+".ops", *out); err != nil {
		return err
	}
	r := check.Pair(cl.oldImpl, cl.newImpl, p)
	if r.Report.Equal() {
		fmt.Fprintf(cl.stdout, "%s: old and new versions agree on all %d ops: nothing to minimize\n", in, len(p.Ops))
		return nil
	}
	small, st, err := minimize.Minimize(p, minimize.Diverges(cl.oldImpl, cl.newImpl, r.Report.Divergence))
	if err != nil {
		return fmt.Errorf("%s: minimize: %w", in, err)
	}
	m := check.Pair(cl.oldImpl, cl.newImpl, small)
	fmt.Fprintf(cl.stdout, "%s: %s\n", in, st)
	script := header(m.Annotated(), fmt.Sprintf("minimized by difftest from %s (%s)", in, st))
	if err := writeOut(*out+".ops", []byte(script), overwrite); err != nil {
		return err
	}
	data, err := ops.Encode(small)
	if err != nil {
		return fmt.Errorf("%s: encode: %w", in, err)
	}
	if err := writeOut(*out, ops.FuzzFile(data), overwrite); err != nil {
		return err
	}
	fmt.Fprint(cl.stdout, campaign.Failure(m, replayLine(pairFlags(flags), *out+".ops")))
	fmt.Fprintf(cl.stdout, "wrote %s and %s\n", *out+".ops", *out)
	return nil
}

// header adds comment lines after the first line of a script.
func header(script string, comments ...string) string {
	first, rest, _ := strings.Cut(script, "\n")
	var b strings.Builder
	b.WriteString(first + "\n")
	for _, c := range comments {
		b.WriteString("# " + c + "\n")
	}
	b.WriteString(rest)
	return b.String()
}

// writeOut writes a file: one that must not exist yet, unless overwrite.
func writeOut(path string, data []byte, overwrite bool) error {
	if overwrite {
		return os.WriteFile(path, data, 0o666)
	}
	return corpus.WriteNew(path, data)
}

// writable reports, as an input error, an output file that would overwrite
// the input in, or an existing file when overwrite is false.
func writable(in string, overwrite bool, outs ...string) error {
	for _, f := range outs {
		if filepath.Clean(f) == filepath.Clean(in) {
			return &inputError{fmt.Errorf("%s is the input; not overwriting it (name another with -o)", f)}
		}
		if _, err := os.Stat(f); !overwrite && !errors.Is(err, fs.ErrNotExist) {
			return &inputError{fmt.Errorf("%s exists; not overwriting it (name another with -o)", f)}
		}
	}
	return nil
}
