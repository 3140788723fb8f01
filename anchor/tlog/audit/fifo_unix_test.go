//go:build unix

package audit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A FIFO or a directory where a log file should be is refused at once:
// opening a FIFO for reading would otherwise wait for a writer, beyond the
// reach of the context.
func TestSourceRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "checkpoint"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "tile", "0", "000"), 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := src.ReadCheckpoint(ctx); !errors.Is(err, ErrUnavailable) {
		t.Errorf("a FIFO as the checkpoint: %v, want ErrUnavailable", err)
	}
	if _, err := src.ReadTile(ctx, 0, 0, 0); !errors.Is(err, ErrUnavailable) {
		t.Errorf("a directory as a tile: %v, want ErrUnavailable", err)
	}
}
