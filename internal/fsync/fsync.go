package fsync

import "os"

// File makes f's data and metadata durable, like fsync(2) (os.File.Sync).
func File(f *os.File) error { return syncFile(f, false) }

// Data makes f's data durable, and the metadata needed to read it back
// (its size and allocation), but not its timestamps, like fdatasync(2):
// an append that overwrites blocks already allocated and written costs no
// file-system journal commit. Where fdatasync does not exist, it is File.
func Data(f *os.File) error { return syncFile(f, true) }

// Dir makes the entries of directory dir durable (a file created, renamed
// or removed in it), like fsync(2) on the directory. Errors are the
// *os.PathError of the open or the sync, which names dir. Where
// directories cannot be synced (systems other than unix), it does
// nothing.
func Dir(dir string) error { return syncDir(dir) }
