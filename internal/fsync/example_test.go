package fsync_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/iotrust/iotrust/internal/fsync"
)

// Append a line to a new file and make it durable: the data, then the
// directory entry that names the file.
func Example() {
	dir, err := os.MkdirTemp("", "fsync-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	f, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if _, err := f.WriteString("reading 1\n"); err != nil {
		panic(err)
	}
	fmt.Println("data:", fsync.Data(f))
	fmt.Println("directory:", fsync.Dir(dir))
	// Output:
	// data: <nil>
	// directory: <nil>
}
