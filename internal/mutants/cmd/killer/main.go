// Command killer runs programs on the old version and on mutants of the
// new one and reports, per mutant, the first program that tells them
// apart. It is the worker of package mutants; people run difftest mutants.
//
// Usage:
//
//	killer [-corpus DIR] [-mutants a,b] [-seed S -budget D [-programs N]]
//
// The mutants are the versions registered at build time (package mutants
// adds a registry file and the mutant packages with go build -overlay);
// a binary built without a registry has one version, "new": whatever
// newimpl/time.go was compiled in (the real one, or a mutant put in its
// place by an overlay that replaces the file).
//
// For each mutant it prints one JSON line (see Result in package mutants),
// in registration order. The corpus is replayed first, in sorted path
// order; then, for the mutants still alive, a random campaign of
// ops.Decode(campaign.Indexed(seed, i)) for i = 0, 1, ... runs until every
// mutant is killed, -budget has passed or -programs have run. Program i
// depends only on seed and i, so the first killing program is the same on
// every run. Exit status: 0 when the runs finished (killed or not), 2 on
// usage or I/O errors.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/timerdiff/timerdiff/internal/campaign"
	"github.com/timerdiff/timerdiff/internal/check"
	"github.com/timerdiff/timerdiff/internal/compare"
	"github.com/timerdiff/timerdiff/internal/corpus"
	"github.com/timerdiff/timerdiff/internal/minimize"
	"github.com/timerdiff/timerdiff/internal/mutants"
	"github.com/timerdiff/timerdiff/internal/ops"
	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/run"
)

var stdout io.Writer = os.Stdout

// version is one registered implementation.
type version struct {
	name string
	impl port.Impl
}

// versions is filled by the generated registry file's init; see package
// mutants.
var versions []version

func register(name string, impl port.Impl) { versions = append(versions, version{name, impl}) }

// result is what one mutant's line says: package mutants parses it.
type result = mutants.Result

func main() {
	if err := mainErr(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "killer:", err)
		os.Exit(2)
	}
}

func mainErr(args []string) error {
	fs := flag.NewFlagSet("killer", flag.ContinueOnError)
	corpusDir := fs.String("corpus", "", "replay the corpus under `dir`")
	only := fs.String("mutants", "", "comma-separated mutant names (default: all)")
	seed := fs.Uint64("seed", 1, "campaign seed")
	budget := fs.Duration("budget", 0, "campaign wall-clock budget (0: no campaign)")
	programs := fs.Int("programs", 0, "campaign program limit (0: none)")
	timeout := fs.Duration("timeout", 20*time.Second, "wall-clock backstop per run of one program on one mutant")
	list := fs.Bool("list", false, "list the registered mutants and exit")
	shrink := fs.Bool("minimize", true, "shrink each killing campaign program (deterministic; time-to-kill is measured before)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("usage: killer [flags]; unexpected %q", fs.Arg(0))
	}
	vs := versions
	if len(vs) == 0 {
		vs = []version{{"new", check.New}}
	}
	if *only != "" {
		want := map[string]bool{}
		for _, n := range strings.Split(*only, ",") {
			want[n] = true
		}
		var sel []version
		for _, v := range vs {
			if want[v.name] {
				sel = append(sel, v)
				delete(want, v.name)
			}
		}
		for n := range want {
			return fmt.Errorf("no mutant %q in this binary", n)
		}
		vs = sel
	}
	if *list {
		for _, v := range vs {
			fmt.Fprintln(stdout, v.name)
		}
		return nil
	}
	k := &killer{vs: vs, res: make([]result, len(vs)), timeout: *timeout, minimize: *shrink}
	for i, v := range vs {
		k.res[i].Name = v.name
	}
	if *corpusDir != "" {
		if err := k.corpus(*corpusDir); err != nil {
			return err
		}
	}
	if *budget > 0 || *programs > 0 {
		k.campaign(*seed, *budget, *programs)
	}
	enc := json.NewEncoder(stdout)
	for _, r := range k.res {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

type killer struct {
	vs       []version
	res      []result
	timeout  time.Duration
	minimize bool
}

// shrink minimizes p (minimize.Minimize) as long as it still kills mutant
// i other than by the wall-clock backstop: a killing program a person can
// read.
func (k *killer) shrink(p ops.Program, i int, d *compare.Divergence) (ops.Program, *compare.Divergence) {
	kills := func(q ops.Program) bool {
		e := k.try(q, []int{i})[i]
		return e != nil && e.Kind != "timeout"
	}
	small, _, err := minimize.Minimize(p, kills)
	if err != nil {
		return p, d // it killed by the backstop alone: keep it whole
	}
	if e := k.try(small, []int{i})[i]; e != nil {
		d = e
	}
	return small, d
}

func (k *killer) alive() []int {
	var a []int
	for i := range k.vs {
		if !k.res[i].Killed {
			a = append(a, i)
		}
	}
	return a
}

func (k *killer) corpus(dir string) error {
	files, err := corpus.Read(dir)
	if err != nil {
		return err
	}
	base := filepath.Dir(filepath.Clean(dir))
	for _, cf := range files {
		if cf.Err != nil {
			fmt.Fprintf(os.Stderr, "killer: skipping %s: %v\n", cf.Path, cf.Err)
			continue
		}
		for i, d := range k.try(cf.Program, k.alive()) {
			if d != nil {
				k.res[i].Killed, k.res[i].By = true, rel(base, cf.Path)
				k.fill(i, d)
			}
		}
	}
	return k.concCorpus(filepath.Join(dir, corpus.Concurrent), base)
}

// rel is path relative to base, with slashes, for the result lines.
func rel(base, path string) string {
	name, err := filepath.Rel(base, path)
	if err != nil {
		name = path
	}
	return filepath.ToSlash(name)
}

// concCorpus replays the concurrent corpus in dir as every other replay
// does (corpus.Runs: each file under its schedule line, or PCT schedules),
// and kills the mutants that show a problem there: the real new version
// shows none on these files, so any problem is the mutant's.
func (k *killer) concCorpus(dir, base string) error {
	files, err := corpus.ReadConc(dir)
	if err != nil {
		return err
	}
	for _, cf := range files {
		if cf.Err != nil {
			fmt.Fprintf(os.Stderr, "killer: skipping %s: %v\n", cf.Path, cf.Err)
			continue
		}
		for _, i := range k.alive() {
			for _, run := range corpus.Runs(cf.Program) {
				r := check.ConcPair(check.Old, k.vs[i].impl, cf.Program, run.Choose, false)
				if r.OK() {
					continue
				}
				pr := r.Problems[0]
				k.res[i].Killed, k.res[i].By = true, rel(base, cf.Path)
				k.res[i].Kind, k.res[i].Detail = string(pr.Kind), pr.Text
				break
			}
		}
	}
	return nil
}

// campaign runs random programs on the mutants still alive.
func (k *killer) campaign(seed uint64, budget time.Duration, limit int) {
	start := time.Now()
	var shrinking time.Duration // not part of anyone's time-to-kill
	for idx := 0; limit == 0 || idx < limit; idx++ {
		alive := k.alive()
		if len(alive) == 0 || (budget > 0 && time.Since(start)-shrinking > budget) {
			return
		}
		p := ops.Decode(campaign.Indexed(seed, idx))
		for i, d := range k.try(p, alive) {
			if d != nil {
				r := &k.res[i]
				r.Killed, r.By = true, fmt.Sprintf("campaign:%d:%d", seed, idx)
				r.Programs, r.Millis = idx+1, (time.Since(start) - shrinking).Milliseconds()
				q := p
				if k.minimize {
					t0 := time.Now()
					q, d = k.shrink(p, i, d)
					shrinking += time.Since(t0)
				}
				r.Script = q.Script()
				k.fill(i, d)
			}
		}
	}
}

func (k *killer) fill(i int, d *compare.Divergence) {
	r := &k.res[i]
	r.Op, r.Kind, r.Detail = d.Op, string(d.Kind), fmt.Sprintf("%s: old: %s; new: %s", d.Call, d.Old, d.New)
	if d.Kind == "timeout" {
		r.Detail = d.New
	}
}

// try runs p on the old version once and on the mutants idx, in parallel,
// and returns the divergence of each (nil: not told apart).
func (k *killer) try(p ops.Program, idx []int) map[int]*compare.Divergence {
	cfg := p.Config()
	old := run.Run(check.Old, cfg, p.Ops)
	out := make(map[int]*compare.Divergence, len(idx))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, i := range idx {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			d := k.one(k.vs[i].impl, cfg, p.Ops, &old)
			mu.Lock()
			out[i] = d
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// one runs a program on a mutant with the wall-clock backstop (a mutant
// may loop without reaching a scheduling point; the World's deterministic
// hang detection cannot see that).
func (k *killer) one(impl port.Impl, cfg port.Config, calls []port.Call, old *run.Trace) *compare.Divergence {
	done := make(chan run.Trace, 1)
	go func() { done <- run.Run(impl, cfg, calls) }()
	select {
	case tr := <-done:
		rep := compare.Check(old, &tr)
		return rep.Divergence
	case <-time.After(k.timeout):
		// The goroutine is left running; the mutant is dead and its
		// package's World stays locked, so it is never run again.
		return &compare.Divergence{Kind: "timeout", Op: -1, Old: "(finished)", New: fmt.Sprintf("still running after %v (wall-clock backstop)", k.timeout)}
	}
}
