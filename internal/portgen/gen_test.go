package portgen

import (
	"bytes"
	"go/format"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGeneratedUpToDate regenerates every port in memory and compares it
// with the files on disk: a port directory holds exactly the generated
// files (and tests), byte for byte. This is what keeps the glue of
// oldimpl, newimpl and the series packages the same.
func TestGeneratedUpToDate(t *testing.T) {
	const fix = "the ports are generated from " + GlueDir + " and " + UpstreamDir + ": edit those, not the ports, and run `go generate ./...`"
	for _, tg := range Targets {
		t.Run(tg.Package(), func(t *testing.T) {
			files, err := Generate(root, tg)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{}
			for _, f := range files {
				want[path.Base(f.Path)] = true
				disk, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
				if err != nil {
					t.Errorf("%v; %s", err, fix)
					continue
				}
				if !bytes.Equal(disk, f.Data) {
					t.Errorf("%s is stale: %s; %s", f.Path, firstDiff(disk, f.Data), fix)
				}
			}
			ents, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(tg.Dir)))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ents {
				n := e.Name()
				if strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") && !want[n] {
					t.Errorf("%s/%s is not generated: move it into %s as %s.in, or remove it", tg.Dir, n, GlueDir, n)
				}
			}
		})
	}
}

// TestGeneratedGlue checks what Generate makes of the templates: gofmt'd
// Go with Go's generated-code line first, the package clause and names of
// the target, and the go:generate line that regenerates it.
func TestGeneratedGlue(t *testing.T) {
	for _, tg := range Targets {
		files, err := Generate(root, tg)
		if err != nil {
			t.Fatal(err)
		}
		if files[0].Path != tg.Dir+"/time.go" {
			t.Errorf("%s: first file %s, want time.go", tg.Dir, files[0].Path)
		}
		for _, f := range files[1:] {
			src := string(f.Data)
			first, _, _ := strings.Cut(src, "\n")
			if !strings.HasPrefix(first, "// Code generated ") || !strings.HasSuffix(first, " DO NOT EDIT.") {
				t.Errorf("%s: first line %q is not Go's generated-code line", f.Path, first)
			}
			if !strings.Contains(src, "\npackage "+tg.Package()+"\n") {
				t.Errorf("%s: no package %s clause", f.Path, tg.Package())
			}
			if fmted, err := format.Source(f.Data); err != nil || !bytes.Equal(fmted, f.Data) {
				t.Errorf("%s: not gofmt'd (%v)", f.Path, err)
			}
		}
		name := string(files[slices.IndexFunc(files, func(f File) bool { return path.Base(f.Path) == "name.go" })].Data)
		for _, want := range []string{
			"\n//go:generate go run github.com/timerdiff/timerdiff/internal/portgen/cmd/genports .\n",
			`implName = "` + tg.ImplName + `"`,
			`upstreamCommit = "` + tg.Commit.Full + `"`,
			`portFile = "` + tg.Dir + `/time.go"`,
		} {
			if !strings.Contains(name, want) {
				t.Errorf("%s/name.go does not contain %q", tg.Dir, want)
			}
		}
	}
}

func TestTargets(t *testing.T) {
	seen := map[string]string{}
	for _, tg := range Targets {
		for _, key := range []string{"dir " + tg.Dir, "package " + tg.Package(), "name " + tg.ImplName, "commit " + tg.Commit.Short} {
			if other, ok := seen[key]; ok {
				t.Errorf("%s and %s have the same %s", other, tg.Dir, key)
			}
			seen[key] = tg.Dir
		}
	}
	for _, c := range Series {
		if _, ok := seen["commit "+c.Short]; !ok {
			t.Errorf("no target ports %s", c.Short)
		}
	}
	for _, tc := range []struct{ dir, pkg, name string }{
		{"oldimpl", "oldimpl", "old"},
		{"newimpl", "newimpl", "new"},
		{"internal/series/vc6888d92", "vc6888d92", "c6888d92"},
	} {
		tg, err := FindTarget(tc.dir)
		if err != nil || tg.Package() != tc.pkg || tg.ImplName != tc.name {
			t.Errorf("FindTarget(%q) = %s %q, %v; want package %s named %q", tc.dir, tg.Package(), tg.ImplName, err, tc.pkg, tc.name)
		}
	}
	if _, err := FindTarget("internal/sim"); err == nil || !strings.Contains(err.Error(), "internal/sim is not a port directory") {
		t.Errorf("FindTarget(internal/sim): error %v, want one saying it is not a port directory", err)
	}
}
