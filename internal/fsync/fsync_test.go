package fsync

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

func TestSyncs(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := bytes.Repeat([]byte("reading "), 1000)
	if _, err := f.Write(want); err != nil {
		t.Fatal(err)
	}
	if err := Data(f); err != nil {
		t.Fatalf("Data: %v", err)
	}
	if err := File(f); err != nil {
		t.Fatalf("File: %v", err)
	}
	if err := Dir(dir); err != nil {
		t.Fatalf("Dir: %v", err)
	}
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("read back %d bytes, %v", len(got), err)
	}
}

// A descriptor without a sync operation gets the error fsync(2) gives it.
func TestRefused(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, f := range map[string]func(*os.File) error{"File": File, "Data": Data} {
		err := f(w)
		if !errors.Is(err, syscall.EINVAL) {
			t.Errorf("%s on a pipe: %v, want EINVAL", name, err)
		}
		var pe *os.PathError
		if !errors.As(err, &pe) || pe.Path != w.Name() {
			t.Errorf("%s on a pipe: %v, want a *os.PathError naming the file", name, err)
		}
	}
	if err := Dir(filepath.Join(t.TempDir(), "absent")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Dir of a missing directory: %v", err)
	}
	f, err := os.CreateTemp(t.TempDir(), "closed")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := Data(f); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Data of a closed file: %v, want os.ErrClosed", err)
	}
}

// Many goroutines syncing many files at once each get their own answer.
func TestConcurrent(t *testing.T) { concurrent(t, 32, 10) }

// TestConcurrentLong is TestConcurrent with 64 goroutines of 200 syncs
// each, mixing File, Data and Dir: a completion handed to the wrong
// waiter, or one no waiter collects, hangs it (go test's -timeout then
// fails it with every goroutine's stack).
func TestConcurrentLong(t *testing.T) {
	if testing.Short() {
		t.Skip("12,800 syncs")
	}
	concurrent(t, 64, 200)
}

func concurrent(t *testing.T, goroutines, syncs int) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for g := range goroutines {
		wg.Go(func() {
			f, err := os.Create(filepath.Join(dir, fmt.Sprintf("f%d", g)))
			if err != nil {
				failed.Add(1)
				return
			}
			defer f.Close()
			for i := range syncs {
				if _, err := f.Write([]byte{byte(i)}); err != nil {
					failed.Add(1)
					return
				}
				var err error
				switch (g + i) % 3 {
				case 0:
					err = Data(f)
				case 1:
					err = File(f)
				case 2:
					err = Dir(dir)
				}
				if err != nil {
					t.Errorf("goroutine %d, sync %d: %v", g, i, err)
				}
			}
		})
	}
	wg.Wait()
	if failed.Load() > 0 {
		t.Fatal("could not write the files")
	}
}
