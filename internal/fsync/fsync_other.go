//go:build !linux

package fsync

import "os"

func syncFile(f *os.File, _ bool) error { return f.Sync() }
