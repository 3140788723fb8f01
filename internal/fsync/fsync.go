package fsync

import (
	"fmt"
	"os"
	"runtime"
)

// File makes f's data and metadata durable, like fsync(2) (os.File.Sync).
func File(f *os.File) error { return syncFile(f, false) }

// Data makes f's data durable, and the metadata needed to read it back
// (its size and allocation), but not its timestamps, like fdatasync(2):
// an append that overwrites blocks already allocated and written costs no
// file-system journal commit. Where fdatasync does not exist, it is File.
func Data(f *os.File) error { return syncFile(f, true) }

// Dir makes the entries of directory dir durable (a file created, renamed
// or removed in it), like fsync(2) on the directory. On Windows, where a
// directory cannot be synced, it does nothing.
func Dir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = File(d)
	if cerr := d.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return nil
}
