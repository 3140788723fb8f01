package novars

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Check fails the test when the non-test Go files in dir declare an
// exported package-level variable that is neither an error sentinel (a
// name starting with Err) nor named in allow. It also fails when dir holds
// no Go file, so a wrong dir cannot pass unread, and when a name in allow
// is not declared there, so an exemption cannot outlive its variable.
func Check(t testing.TB, dir string, allow ...string) {
	t.Helper()
	bad, unused, err := find(dir, allow)
	if err != nil {
		t.Fatal(err)
		return
	}
	for _, name := range bad {
		t.Errorf("%s: exported variable %s", dir, name)
	}
	for _, name := range unused {
		t.Errorf("%s: allowed variable %s is not declared", dir, name)
	}
}

// find returns the exported variables of the package in dir that are not
// allowed, and the allowed names it did not find.
func find(dir string, allow []string) (bad, unused []string, err error) {
	pkgs, err := parser.ParseDir(token.NewFileSet(), dir, func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, err
	}
	files := 0
	seen := map[string]bool{}
	for _, p := range pkgs {
		for _, f := range p.Files {
			files++
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				for _, s := range g.Specs {
					for _, name := range s.(*ast.ValueSpec).Names {
						seen[name.Name] = true
						if name.IsExported() && !strings.HasPrefix(name.Name, "Err") && !slices.Contains(allow, name.Name) {
							bad = append(bad, name.Name)
						}
					}
				}
			}
		}
	}
	if files == 0 {
		return nil, nil, fmt.Errorf("%s: no Go files: the check reads nothing", dir)
	}
	for _, name := range allow {
		if !seen[name] {
			unused = append(unused, name)
		}
	}
	sort.Strings(bad)
	return bad, unused, nil
}
