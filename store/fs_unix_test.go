//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
	"testing"
)

// TestNonRegularObjects: a FIFO or a symlink where an object belongs is
// refused as corruption, by Get and Stat, without blocking on the FIFO.
func TestNonRegularObjects(t *testing.T) {
	gw := testIdentity(t, 1)
	for _, kind := range []string{"fifo blob", "fifo envelope", "symlinked blob", "directory blob"} {
		t.Run(kind, func(t *testing.T) {
			s, dir := openStore(t, Options{})
			c, err := s.Put(bg, []byte("x"), gw.Recipient())
			if err != nil {
				t.Fatal(err)
			}
			blob, env := paths(t, dir, c)
			target := blob
			if kind == "fifo envelope" {
				target = env
			}
			if err := os.Remove(target); err != nil {
				t.Fatal(err)
			}
			switch kind {
			case "fifo blob", "fifo envelope":
				err = syscall.Mkfifo(target, 0o600)
			case "symlinked blob":
				err = os.Symlink("/dev/zero", target)
			case "directory blob":
				err = os.Mkdir(target, 0o700)
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Get(bg, c, gw); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Get: %v", err)
			}
			// Stat refuses what Get refuses (it followed the symlink).
			if _, err := s.Stat(bg, c); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Stat: %v", err)
			}
		})
	}
}
