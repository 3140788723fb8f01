package contracts

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"
)

// The package exports no variable but error sentinels: nothing a caller
// could reassign to change how the package behaves for everyone. The
// abigen binding (a generated file, checked byte for byte against abigen's
// output in CI) is exempt: its MetaData variable is abigen's convention.
func TestNoExportedVariables(t *testing.T) {
	pkgs, err := goparser.ParseDir(token.NewFileSet(), ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range pkgs {
		for file, f := range p.Files {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				for _, s := range g.Specs {
					for _, name := range s.(*ast.ValueSpec).Names {
						n++
						generated := (file == "range_escrow.go" && name.Name == "RangeEscrowMetaData") || (file == "batch_verifier.go" && name.Name == "BatchVerifierMetaData")
						if name.IsExported() && !strings.HasPrefix(name.Name, "Err") && !generated {
							t.Errorf("exported variable %s", name.Name)
						}
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no variables found: the check reads nothing")
	}
}
