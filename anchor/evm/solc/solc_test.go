package solc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCompileErrorsAndCheck(t *testing.T) {
	root, err := RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	if err := Available(root); err != nil {
		if os.Getenv(RequireEnv) != "" {
			t.Fatal(err)
		}
		t.Skipf("%v; set %s=1 to make this a failure", err, RequireEnv)
	}
	if testing.Short() && os.Getenv(RequireEnv) == "" {
		t.Skip("runs the compiler; skipped in -short mode")
	}
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Broken.sol", "// SPDX-License-Identifier: UNLICENSED\npragma solidity 0.8.30;\ncontract Broken { function f() external { undefinedThing(); } }\n")
	if _, _, err := Compile(context.Background(), root, dir, "Broken.sol"); !errors.Is(err, ErrCompile) {
		t.Fatalf("Compile of a broken contract: %v, want ErrCompile", err)
	}
	write("Small.sol", "// SPDX-License-Identifier: UNLICENSED\npragma solidity 0.8.30;\ncontract Small { uint256 public x; function set(uint256 v) external { x = v; } }\n")
	arts, _, err := Compile(context.Background(), root, dir, "Small.sol")
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0].Name != "Small" || len(arts[0].Bin) == 0 {
		t.Fatalf("artifacts %+v", arts)
	}
	if err := Check(dir, arts); !errors.Is(err, ErrMismatch) {
		t.Fatalf("Check before Write: %v, want ErrMismatch", err)
	}
	if err := Write(dir, arts); err != nil {
		t.Fatal(err)
	}
	if err := Check(dir, arts); err != nil {
		t.Fatalf("Check after Write: %v", err)
	}
	// The pinned settings make compilation reproducible.
	again, _, err := Compile(context.Background(), root, dir, "Small.sol")
	if err != nil || again[0].Bin != arts[0].Bin {
		t.Fatalf("second compilation differs: %v", err)
	}
}

// TestCheckBinding: the committed anchor binding passes; a binding with
// one changed byte, or beside other bytecode, does not.
func TestCheckBinding(t *testing.T) {
	src := filepath.Join("..", "contracts")
	if err := CheckBinding(src, "Anchor", "contracts", "anchor.go"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range []string{"Anchor.abi", "Anchor.bin", "anchor.go"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "anchor.go" {
			b[len(b)/2] ^= 1
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := CheckBinding(dir, "Anchor", "contracts", "anchor.go"); !errors.Is(err, ErrMismatch) {
		t.Fatalf("tampered binding: %v, want ErrMismatch", err)
	}
	if err := CheckBinding(src, "Anchor", "other", "anchor.go"); !errors.Is(err, ErrMismatch) {
		t.Fatalf("binding of another package name: %v, want ErrMismatch", err)
	}
}
