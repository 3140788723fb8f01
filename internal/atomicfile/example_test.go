package atomicfile_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/iotrust/iotrust/internal/atomicfile"
)

func Example() {
	dir, _ := os.MkdirTemp("", "atomicfile")
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "checkpoint")
	_ = atomicfile.WriteBytes(p, 0o600, []byte("size 1\n"))
	_ = atomicfile.WriteBytes(p, 0o600, []byte("size 2\n"))
	b, _ := os.ReadFile(p)
	fmt.Print(string(b))
	// Output: size 2
}
