//go:build unix

package flock_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iotrust/iotrust/internal/flock"
)

// Two opens of one file: the first takes the lock, the second is refused
// until the first is closed.
func Example() {
	dir, _ := os.MkdirTemp("", "flock-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "state")
	a, _ := os.Create(path)
	b, _ := os.Open(path)
	defer b.Close()

	fmt.Println("first:", flock.TryLock(a))
	fmt.Println("second held:", errors.Is(flock.TryLock(b), flock.ErrHeld))
	a.Close()
	fmt.Println("second after close:", flock.TryLock(b))
	// Output:
	// first: <nil>
	// second held: true
	// second after close: <nil>
}
