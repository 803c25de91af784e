package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes the test binary difftest as well, for the scripts: the
// command difftest in testdata/script runs main in a child process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"difftest": main})
}

// TestScripts runs the README's command sessions as testscript scripts
// (testdata/script/*.txtar), asserting their key lines. A script has:
//
//	difftest ...     this package's main, in-process (no build)
//	go ...           the go command, with this machine's caches and no
//	                 network; skip such a script under -short
//	copymodule DIR   a copy of the module (no .git, no fuzz crashers), for
//	                 commands that write into the tree (go test -fuzz)
//	$ROOT            the module root, for commands that write nothing
func TestScripts(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	goEnv := map[string]string{}
	if out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output(); err == nil {
		vals := strings.Split(strings.TrimSpace(string(out)), "\n")
		for i, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
			if i < len(vals) {
				goEnv[k] = vals[i]
			}
		}
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(e *testscript.Env) error {
			e.Setenv("ROOT", root)
			for k, v := range goEnv {
				e.Setenv(k, v)
			}
			e.Setenv("GOPROXY", "off")
			e.Setenv("GOTOOLCHAIN", "local")
			e.Setenv("GOFLAGS", "")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"copymodule": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: copymodule DIR")
				}
				ts.Check(copyModule(root, ts.MkAbs(args[0])))
			},
		},
	})
}

// copyModule copies the module at root to dir, without its .git, the
// fuzzing engine's crashers (fuzz/testdata/fuzz) and out/.
func copyModule(root, dir string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		switch filepath.ToSlash(rel) {
		case ".git", "fuzz/testdata/fuzz", "out":
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		to := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
}
