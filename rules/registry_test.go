package rules_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/rules"
)

// TestRegistry fails when an exported rule of package rules is not in
// All(): every package-level `var X = register(&Rule{...})` is found with
// go/ast, and a `&Rule{...}` that bypasses register is an error too.
func TestRegistry(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	inAll := map[string]bool{}
	for _, r := range rules.All() {
		inAll[r.ID] = true
	}
	declared := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "Rule" {
				return true
			}
			declared++
			if !registered(f, lit) {
				t.Errorf("%s: a Rule literal that is not `var X = register(&Rule{...})` at package level; make it so, or All() will not list it", fset.Position(lit.Pos()))
			}
			for _, e := range lit.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				if k, _ := kv.Key.(*ast.Ident); k != nil && k.Name == "ID" {
					if b, ok := kv.Value.(*ast.BasicLit); ok {
						id := strings.Trim(b.Value, `"`)
						if !inAll[id] {
							t.Errorf("%s: rule %s is not in All()", fset.Position(lit.Pos()), id)
						}
						if _, err := os.Stat(filepath.Join("docs", id+".md")); err != nil {
							t.Errorf("%s: rule %s has no page rules/docs/%s.md", fset.Position(lit.Pos()), id, id)
						}
					}
				}
				if k, _ := kv.Key.(*ast.Ident); k != nil && k.Name == "Doc" {
					t.Errorf("%s: a rule's documentation is rules/docs/<id>.md, not a Doc string", fset.Position(kv.Pos()))
				}
			}
			return true
		})
	}
	if declared != len(rules.All()) {
		t.Errorf("%d Rule literals in package rules, %d rules in All()", declared, len(rules.All()))
	}
	docs, _ := filepath.Glob(filepath.Join("docs", "*.md"))
	for _, d := range docs {
		if !inAll[strings.TrimSuffix(filepath.Base(d), ".md")] {
			t.Errorf("%s documents no rule", d)
		}
	}
}

// registered reports whether lit is the argument of register(&Rule{...})
// in a package-level var declaration.
func registered(f *ast.File, lit *ast.CompositeLit) bool {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			for _, v := range s.(*ast.ValueSpec).Values {
				call, ok := v.(*ast.CallExpr)
				if !ok || len(call.Args) != 1 {
					continue
				}
				if fn, ok := call.Fun.(*ast.Ident); !ok || fn.Name != "register" {
					continue
				}
				if u, ok := call.Args[0].(*ast.UnaryExpr); ok && u.X == lit {
					return true
				}
			}
		}
	}
	return false
}

// Each file of package rules is a rule, its test or its doc: no file over
// 300 lines, and no non-test file without a rule (models live in packages
// of their own).
func TestRulesPackageHoldsOnlyRules(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(data), "\n"); n > 300 {
			t.Errorf("%s is %d lines; a rule file stays under 300 (move shared computations into a model package)", name, n)
		}
		if strings.HasSuffix(name, "_test.go") || name == "rule.go" {
			continue
		}
		if !strings.Contains(string(data), "register(&Rule{") {
			t.Errorf("%s holds no rule; rules/ holds only rules, their tests and docs", name)
		}
	}
}
