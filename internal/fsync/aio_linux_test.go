//go:build linux && (amd64 || arm64)

package fsync

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// On this kernel the syncs go through AIO, and a failed completion comes
// back as fsync(2) would report it.
func TestAIOUsed(t *testing.T) {
	a := shared()
	if a == nil {
		t.Skip("the kernel refuses io_setup here: every sync is the plain system call")
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	before := a.submitted()
	for range 3 {
		if err := Data(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := File(f); err != nil {
		t.Fatal(err)
	}
	if n := a.submitted() - before; n != 4 {
		t.Errorf("%d requests went through AIO, want 4", n)
	}
	err = completion(f, true, -int64(syscall.EIO))
	var pe *os.PathError
	if !errors.Is(err, syscall.EIO) || !errors.As(err, &pe) || pe.Op != "fdatasync" || pe.Path != f.Name() {
		t.Errorf("a completion of -EIO: %v", err)
	}
	if err := completion(f, false, 0); err != nil {
		t.Errorf("a completion of 0: %v", err)
	}
}

// submitted returns how many requests the context has taken so far.
func (a *aio) submitted() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.next
}
