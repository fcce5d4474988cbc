package channel

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoFloatOnMoneyPaths fails when code that reads or computes money — the
// channel adapters, the money, fx and tax packages, the totals — uses a
// floating-point type, ParseFloat or a float literal. The one exception is
// coordinates, in functions that say so by name.
func TestNoFloatOnMoneyPaths(t *testing.T) {
	roots := []string{".", "../../money", "../fx", "../tax", "../../totals.go", "../../ingest.go", "../../draft.go"}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			checkNoFloat(t, path)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func checkNoFloat(t *testing.T, path string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, decl := range f.Decls {
		if fn, ok := decl.(*ast.FuncDecl); ok && isCoordinate(fn.Name.Name) {
			continue
		}
		ast.Inspect(decl, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				if n.Name == "float64" || n.Name == "float32" || n.Name == "ParseFloat" {
					t.Errorf("%s: %s on a money path", fset.Position(n.Pos()), n.Name)
				}
			case *ast.BasicLit:
				if n.Kind == token.FLOAT {
					t.Errorf("%s: float literal %s on a money path", fset.Position(n.Pos()), n.Value)
				}
			}
			return true
		})
	}
}

func isCoordinate(name string) bool {
	name = strings.ToLower(name)
	return strings.Contains(name, "coordinate") || strings.Contains(name, "latitude") || strings.Contains(name, "longitude")
}
