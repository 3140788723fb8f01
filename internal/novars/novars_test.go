package novars

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// exportedFixture writes, into a fresh directory, a package declaring what
// novars must refuse (and what it must let through), and returns the
// directory. It is written at test time so that the repository itself
// holds no exported variable.
func exportedFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"exported.go": `// Package exported declares what novars must refuse.
package exported

import "errors"

// ErrSentinel is allowed: an error sentinel.
var ErrSentinel = errors.New("exported: sentinel")

// Limit is a mutable setting every user shares: refused.
var Limit = 10

// Generated stands for generated code a caller exempts by name.
var Generated = "abi"

var (
	hidden int
	// Also is refused even inside a group.
	Also, also2 = 1, 2
)

func use() int { return hidden + also2 }
`,
		"exported_test.go": `package exported

// Vars in test files are not the package's API.
var TestOnly = use()
`,
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The helper refuses what it must: exported variables in plain and
// grouped declarations, but not sentinels, unexported names, test files or
// names the caller allows.
func TestFindsExportedVariables(t *testing.T) {
	fixture := exportedFixture(t)
	bad, unused, err := find(fixture, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Also", "Generated", "Limit"}; !slices.Equal(bad, want) {
		t.Errorf("found %v, want %v", bad, want)
	}
	if len(unused) != 0 {
		t.Errorf("unused allowances %v", unused)
	}
	bad, unused, err = find(fixture, []string{"Generated", "Gone"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Also", "Limit"}; !slices.Equal(bad, want) {
		t.Errorf("with Generated allowed: found %v, want %v", bad, want)
	}
	if want := []string{"Gone"}; !slices.Equal(unused, want) {
		t.Errorf("unused allowances %v, want %v", unused, want)
	}
}

// recorder is a testing.TB that notes failures instead of failing.
type recorder struct {
	testing.TB
	errors, fatals int
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.errors++ }
func (r *recorder) Fatal(...any)          { r.fatals++ }

// Check itself fails a test on each class of mistake, and passes a clean
// package.
func TestCheckFails(t *testing.T) {
	exported := exportedFixture(t)
	for _, c := range []struct {
		name           string
		dir            string
		allow          []string
		errors, fatals int
	}{
		{"exported variables", exported, nil, 3, 0},
		{"stale allowance", "testdata/clean", []string{"Gone"}, 1, 0},
		{"no Go files", "testdata", nil, 0, 1},
		{"missing dir", "testdata/none", nil, 0, 1},
		{"clean", "testdata/clean", nil, 0, 0},
		{"all allowed", exported, []string{"Limit", "Generated", "Also"}, 0, 0},
	} {
		r := &recorder{TB: t}
		Check(r, c.dir, c.allow...)
		if r.errors != c.errors || r.fatals != c.fatals {
			t.Errorf("%s: %d errors, %d fatals; want %d, %d", c.name, r.errors, r.fatals, c.errors, c.fatals)
		}
	}
}

func TestNoExportedVariables(t *testing.T) { Check(t, ".") }
