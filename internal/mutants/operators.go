package mutants

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// OperatorFuncs are the functions of newimpl/time.go that Operators
// mutates: the two the CL is about.
var OperatorFuncs = []string{"modtimer", "deltimer"}

// Operators generates mutants of the functions funcs of src with go/ast,
// one per site and operator:
//
//	cond-negate   an if condition c becomes !(c)
//	cmp-swap      < and <=, > and >=, == and != are exchanged
//	logic-swap    && and || are exchanged
//	stmt-delete   an expression statement or an assignment (not a :=
//	              declaration, which would not compile) is removed
//	bool-swap     true and false are exchanged
//	int-inc       an integer literal n becomes n+1
//	int-dec       an integer literal n becomes n-1
//
// Names are "op/<func>/<operator>/<n>", n counting from 1 in source order
// within the function, so they are stable while the function is. Each
// mutant's description is "time.go:<line>: -<old line> +<new line>".
// The equivalence arguments of OperatorEquivalent are attached.
func Operators(src []byte, funcs ...string) ([]Mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "time.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []Mutant
	for _, name := range funcs {
		fd := findFunc(f, name)
		if fd == nil {
			return nil, fmt.Errorf("function %s not found in newimpl/time.go", name)
		}
		g := &opGen{fset: fset, src: src, fn: name, count: map[string]int{}}
		ast.Inspect(fd.Body, g.visit)
		sort.SliceStable(g.sites, func(i, j int) bool { return g.sites[i].off < g.sites[j].off })
		for _, s := range g.sites {
			out = append(out, g.mutant(s))
		}
	}
	for i := range out {
		out[i].Equivalent = OperatorEquivalent[out[i].Name]
	}
	return out, nil
}

func findFunc(f *ast.File, name string) *ast.FuncDecl {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == name {
			return fd
		}
	}
	return nil
}

type site struct {
	op      string
	off     int
	old, nw string
}

type opGen struct {
	fset  *token.FileSet
	src   []byte
	fn    string
	sites []site
	count map[string]int
}

func (g *opGen) text(n ast.Node) (int, string) {
	a, b := g.fset.Position(n.Pos()).Offset, g.fset.Position(n.End()).Offset
	return a, string(g.src[a:b])
}

func (g *opGen) add(op string, off int, old, nw string) {
	g.sites = append(g.sites, site{op: op, off: off, old: old, nw: nw})
}

var swaps = map[token.Token]token.Token{
	token.LSS: token.LEQ, token.LEQ: token.LSS,
	token.GTR: token.GEQ, token.GEQ: token.GTR,
	token.EQL: token.NEQ, token.NEQ: token.EQL,
	token.LAND: token.LOR, token.LOR: token.LAND,
}

func (g *opGen) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.IfStmt:
		off, c := g.text(n.Cond)
		g.add("cond-negate", off, c, "!("+c+")")
	case *ast.BinaryExpr:
		if to, ok := swaps[n.Op]; ok {
			op := "cmp-swap"
			if n.Op == token.LAND || n.Op == token.LOR {
				op = "logic-swap"
			}
			off := g.fset.Position(n.OpPos).Offset
			g.add(op, off, n.Op.String(), to.String())
		}
	case *ast.ExprStmt:
		off, s := g.text(n)
		g.add("stmt-delete", off, s, "")
	case *ast.AssignStmt:
		if n.Tok != token.DEFINE {
			off, s := g.text(n)
			g.add("stmt-delete", off, s, "")
		}
	case *ast.Ident:
		if n.Name == "true" || n.Name == "false" {
			off, s := g.text(n)
			g.add("bool-swap", off, s, strconv.FormatBool(s != "true"))
		}
	case *ast.BasicLit:
		if n.Kind == token.INT {
			if v, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
				off, s := g.text(n)
				g.add("int-inc", off, s, strconv.FormatInt(v+1, 10))
				g.add("int-dec", off, s, strconv.FormatInt(v-1, 10))
			}
		}
	}
	return true
}

func (g *opGen) mutant(s site) Mutant {
	g.count[s.op]++
	m := Mutant{
		Name: fmt.Sprintf("op/%s/%s/%d", g.fn, s.op, g.count[s.op]),
		Old:  s.old,
		New:  s.nw,
		at:   s.off + 1,
	}
	// The line before and after, for a one-line unified description.
	ls := strings.LastIndexByte(string(g.src[:s.off]), '\n') + 1
	le := s.off + strings.IndexByte(string(g.src[s.off:]), '\n')
	before := string(g.src[ls:le])
	after := before[:s.off-ls] + s.nw + before[s.off-ls+len(s.old):]
	line := g.fset.Position(g.fset.File(1).Pos(s.off)).Line
	m.Description = fmt.Sprintf("time.go:%d: -%s +%s", line, strings.TrimSpace(before), strings.TrimSpace(after))
	if strings.TrimSpace(after) == "" {
		m.Description = fmt.Sprintf("time.go:%d: -%s (deleted)", line, strings.TrimSpace(before))
	}
	return m
}

// OperatorEquivalent lists the operator mutants that no sequential program
// can tell from the new version, each with the one-line argument why.
// Keyed by the stable name; filled in from real runs (see RESULTS.md).
// None at present: deleting `t.f = f` used to be one, until the adapter
// gave each kind of timer function its own Go function.
var OperatorEquivalent = map[string]string{}
