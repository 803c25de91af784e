package faithful

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// decl is one top-level declared name of a file and the source text that
// declares it, doc comment and comments inside included.
type decl struct {
	key  string // "func modtimer", "func (*timer) lock", "type timer", "const timerWaiting", "import unsafe"
	text string
}

// topDecls returns the file's top-level declarations in source order, and
// the text between them (after the package clause).
func topDecls(t *testing.T, path string) (decls []decl, gaps []string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	text := func(from, to token.Pos) string { return string(src[off(from):off(to)]) }
	start := func(doc *ast.CommentGroup, pos token.Pos) token.Pos {
		if doc != nil {
			return doc.Pos()
		}
		return pos
	}
	prevEnd := f.Name.End()
	for _, d := range f.Decls {
		from := d.Pos()
		switch d := d.(type) {
		case *ast.FuncDecl:
			from = start(d.Doc, d.Pos())
			key := "func " + d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				key = "func (" + exprText(src, fset, d.Recv.List[0].Type) + ") " + d.Name.Name
			}
			decls = append(decls, decl{key, text(from, d.End())})
		case *ast.GenDecl:
			from = start(d.Doc, d.Pos())
			head := ""
			if d.Doc != nil {
				head = d.Doc.Text()
			}
			for _, s := range d.Specs {
				var names []string
				sfrom, send := s.Pos(), s.End()
				switch s := s.(type) {
				case *ast.ImportSpec:
					names = []string{s.Path.Value}
					sfrom, send = start(s.Doc, sfrom), endOf(s.Comment, send)
				case *ast.TypeSpec:
					names = []string{s.Name.Name}
					sfrom, send = start(s.Doc, sfrom), endOf(s.Comment, send)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names = append(names, n.Name)
					}
					sfrom, send = start(s.Doc, sfrom), endOf(s.Comment, send)
				}
				for _, n := range names {
					decls = append(decls, decl{d.Tok.String() + " " + n, head + text(sfrom, send)})
				}
			}
		}
		gaps = append(gaps, text(prevEnd, from))
		prevEnd = d.End()
	}
	gaps = append(gaps, string(src[off(prevEnd):]))
	return decls, gaps
}

func endOf(c *ast.CommentGroup, end token.Pos) token.Pos {
	if c != nil && c.End() > end {
		return c.End()
	}
	return end
}

// exprText prints a receiver type as written: "*timer".
func exprText(src []byte, fset *token.FileSet, e ast.Expr) string {
	return string(src[fset.Position(e.Pos()).Offset:fset.Position(e.End()).Offset])
}

func keys(ds []decl) []string {
	var ks []string
	for _, d := range ds {
		ks = append(ks, d.key)
	}
	return ks
}

func TestOnlyModtimerDiffers(t *testing.T) {
	oldDecls, oldGaps := topDecls(t, filepath.Join(oldDir, "time.go"))
	newDecls, newGaps := topDecls(t, filepath.Join(newDir, "time.go"))

	oldKeys, newKeys := keys(oldDecls), keys(newDecls)
	for _, k := range oldKeys {
		if !slices.Contains(newKeys, k) {
			t.Errorf("%s is declared in oldimpl/time.go but not in newimpl/time.go", k)
		}
	}
	for _, k := range newKeys {
		if !slices.Contains(oldKeys, k) {
			t.Errorf("%s is declared in newimpl/time.go but not in oldimpl/time.go", k)
		}
	}
	if t.Failed() {
		return
	}
	if !slices.Equal(oldKeys, newKeys) {
		t.Errorf("the declarations are in a different order:\nold: %s\nnew: %s",
			strings.Join(oldKeys, ", "), strings.Join(newKeys, ", "))
		return
	}
	if len(oldKeys) < 40 {
		t.Fatalf("only %d declarations found in time.go: the parse is wrong", len(oldKeys))
	}

	var differ []string
	for i := range oldDecls {
		if oldDecls[i].text != newDecls[i].text {
			differ = append(differ, oldDecls[i].key)
		}
	}
	if want := []string{"func modtimer"}; !slices.Equal(differ, want) {
		t.Errorf("declarations whose text differs between oldimpl/time.go and newimpl/time.go = %q, want %q", differ, want)
	}

	// The text between declarations (free comments such as "// Go
	// runtime.") must match too; the first gap is after the package
	// clause, so the port notes, which name the commit, are not in it.
	for i := range oldGaps {
		if oldGaps[i] != newGaps[i] {
			where := "before " + oldKeys[min(i, len(oldKeys)-1)]
			if i == len(oldKeys) {
				where = "at the end of the file"
			}
			t.Errorf("text between declarations %s differs:\nold: %q\nnew: %q", where, oldGaps[i], newGaps[i])
		}
	}
}
