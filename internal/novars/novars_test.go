package novars

import (
	"slices"
	"testing"
)

// The helper refuses what it must: exported variables in plain and
// grouped declarations, but not sentinels, unexported names, test files or
// names the caller allows.
func TestFindsExportedVariables(t *testing.T) {
	bad, unused, err := find("testdata/exported", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Also", "Generated", "Limit"}; !slices.Equal(bad, want) {
		t.Errorf("found %v, want %v", bad, want)
	}
	if len(unused) != 0 {
		t.Errorf("unused allowances %v", unused)
	}
	bad, unused, err = find("testdata/exported", []string{"Generated", "Gone"})
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
	for _, c := range []struct {
		name           string
		dir            string
		allow          []string
		errors, fatals int
	}{
		{"exported variables", "testdata/exported", nil, 3, 0},
		{"stale allowance", "testdata/clean", []string{"Gone"}, 1, 0},
		{"no Go files", "testdata", nil, 0, 1},
		{"missing dir", "testdata/none", nil, 0, 1},
		{"clean", "testdata/clean", nil, 0, 0},
		{"all allowed", "testdata/exported", []string{"Limit", "Generated", "Also"}, 0, 0},
	} {
		r := &recorder{TB: t}
		Check(r, c.dir, c.allow...)
		if r.errors != c.errors || r.fatals != c.fatals {
			t.Errorf("%s: %d errors, %d fatals; want %d, %d", c.name, r.errors, r.fatals, c.errors, c.fatals)
		}
	}
}

func TestNoExportedVariables(t *testing.T) { Check(t, ".") }
