package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/timerdiff/timerdiff/internal/campaign"
	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/minimize"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
)

const corpusAbout = `Corpus manages a directory of programs (scripts and go test fuzz v1 files):

  corpus check FILE|DIR...   every file must read as a valid program; each bad
                             file is reported with its line (exit 1 if any)
  corpus add [-dir D] FILE|DIR...
                             add each program to D (default corpus): as a
                             regression seed if the versions agree on it, or
                             minimized first, as a finding, if they diverge;
                             named by content hash, never overwriting
  corpus convert [-raw OUT] FILE
                             print a script as a go test fuzz v1 file (a
                             concurrent one as FuzzConcurrent's input: its
                             schedule line is not carried, the fuzz bytes
                             choose the schedule), or with -raw write it to
                             the new file OUT as a raw libFuzzer input; or
                             print a fuzz file (go test fuzz v1, or a raw
                             libFuzzer input such as crash-*) as a script; a
                             FuzzConcurrent one with the schedule line the
                             new version ran
  corpus stats FILE|DIR...   count the op kinds and the modtimer branches the
                             sequential programs reach
`

func (cl *cli) cmdCorpus(args []string) error {
	flags := cl.newFlags("corpus", "corpus check|add|convert|stats ...", corpusAbout)
	if len(args) == 0 {
		return usagef("corpus: no subcommand")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "-h", "-help", "--help":
		flags.Usage()
		return errHelp
	case "check", "stats":
		flags = cl.newFlags("corpus "+sub, "corpus "+sub+" FILE|DIR...", corpusAbout)
		pos, err := cl.parse(flags, args)
		if err != nil {
			return err
		}
		if len(pos) == 0 {
			return usagef("corpus %s: no FILE or DIR", sub)
		}
		if sub == "check" {
			return cl.corpusCheck(pos)
		}
		return cl.corpusStats(pos)
	case "convert":
		flags = cl.newFlags("corpus convert", "corpus convert [-raw OUT] FILE", corpusAbout)
		raw := flags.String("raw", "", "write a script's fuzz bytes to the new `file` as a raw libFuzzer input (as a libFuzzer build saves a crash)")
		pos, err := cl.parse(flags, args)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usagef("corpus convert: want one FILE, have %d arguments", len(pos))
		}
		return cl.corpusConvert(pos[0], *raw)
	case "add":
		flags = cl.newFlags("corpus add", "corpus add [-dir DIR] FILE|DIR...", corpusAbout)
		dir := flags.String("dir", corpus.Root, "the corpus `DIR`ectory")
		pos, err := cl.parse(flags, args)
		if err != nil {
			return err
		}
		if len(pos) == 0 {
			return usagef("corpus add: no FILE or DIR")
		}
		files, err := readPaths(pos)
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := cl.corpusAdd(*dir, f); err != nil {
				return err
			}
		}
		return nil
	}
	return usagef("corpus: unknown subcommand %q", sub)
}

// readPaths reads the programs named on the command line (corpus.ReadPaths);
// a missing one is an inputError.
func readPaths(paths []string) ([]corpus.File, error) {
	files, err := corpus.ReadPaths(paths)
	if err != nil {
		return nil, &inputError{err}
	}
	return files, nil
}

// readDir reads a corpus directory; a missing one is an inputError.
func readDir(dir string) ([]corpus.File, error) {
	if info, err := os.Stat(dir); err != nil {
		return nil, &inputError{err}
	} else if !info.IsDir() {
		return nil, &inputError{fmt.Errorf("%s is not a directory", dir)}
	}
	files, err := corpus.Read(dir)
	if err != nil {
		return nil, &inputError{err}
	}
	return files, nil
}

func (cl *cli) corpusCheck(paths []string) error {
	files, err := readPaths(paths)
	if err != nil {
		return err
	}
	bad := 0
	for _, f := range files {
		if f.Err != nil {
			fmt.Fprintln(cl.stdout, f.Err)
			bad++
		}
	}
	fmt.Fprintf(cl.stdout, "%s: %d files, %d bad\n", strings.Join(paths, " "), len(files), bad)
	if bad > 0 {
		return errFound
	}
	return nil
}

func (cl *cli) corpusStats(paths []string) error {
	files, err := readPaths(paths)
	if err != nil {
		return err
	}
	files = slices.DeleteFunc(files, func(f corpus.File) bool { return f.Conc })
	var kinds [port.Advance + 1]int
	var cov campaign.Coverage
	good, nops := 0, 0
	for _, f := range files {
		if f.Err != nil {
			fmt.Fprintln(cl.stdout, f.Err)
			continue
		}
		good++
		nops += len(f.Program.Ops)
		for _, c := range f.Program.Ops {
			if int(c.Kind) < len(kinds) {
				kinds[c.Kind]++
			}
		}
		cfg := f.Program.Config()
		tr := run.Run(cl.oldImpl, cfg, f.Program.Ops)
		cov.Add(&tr, cfg.Clock)
	}
	fmt.Fprintf(cl.stdout, "%s: %d programs, %d ops", strings.Join(paths, " "), good, nops)
	if bad := len(files) - good; bad > 0 {
		fmt.Fprintf(cl.stdout, ", %d bad files", bad)
	}
	fmt.Fprintf(cl.stdout, "\nops by kind:\n")
	for k := port.StartTimer; k <= port.Advance; k++ {
		fmt.Fprintf(cl.stdout, "  %-18s %6d\n", k, kinds[k])
	}
	cov.Write(cl.stdout)
	if good < len(files) {
		return errFound
	}
	return nil
}

func (cl *cli) corpusConvert(path, raw string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return &inputError{err}
	}
	fuzzInput := corpus.IsFuzzV1(src) || corpus.IsRaw(path, src)
	if raw != "" && fuzzInput {
		return usagef("corpus convert: -raw converts a script; %s is a fuzz file", path)
	}
	if conc, _ := corpus.IsConc(path); conc && fuzzInput {
		c, err := readConc(path)
		if err != nil {
			return err
		}
		p, _ := cl.recordSchedule(c)
		fmt.Fprint(cl.stdout, header(p.Script(), fmt.Sprintf("converted by difftest from %s; the schedule line is the new version's run under its schedule bytes", path)))
		return nil
	}
	if ops.IsConcScript(src) {
		// A concurrent script becomes FuzzConcurrent's input: the
		// program, then no schedule bytes (the fuzz bytes choose the
		// schedule; a schedule line has no byte form).
		p, _, err := ops.ReadConcFile(path)
		if err != nil {
			return &inputError{err}
		}
		b, err := ops.EncodeConc(p)
		if err != nil {
			return fmt.Errorf("%s: encode: %w", path, err)
		}
		if p.Schedule != nil {
			fmt.Fprintf(cl.stderr, "difftest: %s: its schedule line is not carried: a FuzzConcurrent input takes its schedule from the bytes after the program\n", path)
		}
		return cl.writeFuzz(b, raw, "FuzzConcurrent")
	}
	p, err := corpus.ReadProgram(path)
	if err != nil {
		return &inputError{err}
	}
	if fuzzInput {
		fmt.Fprint(cl.stdout, p.Script())
		return nil
	}
	b, err := ops.Encode(p)
	if err != nil {
		return fmt.Errorf("%s: encode: %w", path, err)
	}
	return cl.writeFuzz(b, raw, "FuzzDiff")
}

// writeFuzz prints the fuzz bytes b as a go test fuzz v1 file, or, with
// raw, writes them to that new file as a raw libFuzzer input of target.
// A FuzzDiff file needs no such name: a raw input outside a
// FuzzConcurrent folder is read as FuzzDiff's.
func (cl *cli) writeFuzz(b []byte, raw, target string) error {
	if raw == "" {
		cl.stdout.Write(ops.FuzzFile(b))
		return nil
	}
	if err := corpus.WriteNew(raw, corpus.Raw(b)); err != nil {
		return &inputError{err}
	}
	hint := ""
	if target == "FuzzConcurrent" {
		hint = " (difftest reads it back as one under a FuzzConcurrent folder, or with FuzzConcurrent in its name)"
	}
	fmt.Fprintf(cl.stderr, "difftest: wrote %s: a raw libFuzzer input of %s%s\n", raw, target, hint)
	return nil
}

// corpusAdd adds the sequential program f to the corpus in dir.
func (cl *cli) corpusAdd(dir string, f corpus.File) error {
	path, p := f.Path, f.Program
	switch {
	case f.Err != nil:
		return &inputError{f.Err}
	case f.Conc:
		return &inputError{fmt.Errorf("%s: a concurrent case; corpus add takes sequential programs (put a script with its schedule line in %s/%s)", path, dir, corpus.Concurrent)}
	}
	files, err := readDir(dir)
	if err != nil {
		return err
	}
	r := check.Pair(cl.oldImpl, cl.newImpl, p)
	script := p.Script()
	what := fmt.Sprintf("regression seed: old and new versions agree on all %d ops", len(p.Ops))
	if d := r.Report.Divergence; d != nil {
		small, st, err := minimize.Minimize(p, minimize.Diverges(cl.oldImpl, cl.newImpl, d))
		if err != nil {
			return fmt.Errorf("%s: minimize: %w", path, err)
		}
		p, r = small, check.Pair(cl.oldImpl, cl.newImpl, small)
		d = r.Report.Divergence
		what = fmt.Sprintf("finding: %s divergence at op %d, minimized %v; go test ./fuzz fails on it until it is fixed", d.Kind, d.Op, st)
		script = header(r.Annotated(), fmt.Sprintf("finding from %s: %s divergence at op %d", filepath.Base(path), d.Kind, d.Op))
	}
	for _, g := range files {
		if g.Err == nil && g.Program.Equal(p) {
			fmt.Fprintf(cl.stdout, "%s: already in the corpus as %s\n", path, g.Path)
			return nil
		}
	}
	data, err := ops.Encode(p)
	if err != nil {
		return fmt.Errorf("%s: encode: %w", path, err)
	}
	dst, err := corpus.Add(dir, data, []byte(script))
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &inputError{fmt.Errorf("%s exists with another program; not overwriting it", dst)}
		}
		return err
	}
	fmt.Fprintf(cl.stdout, "added %s (%s)\n", dst, what)
	return nil
}
