//go:build !linux

package fsync

import "os"

func syncFile(f *os.File, data bool) error { return plain(f, data) }

// plain makes f durable with os.File.Sync (fdatasync is Linux's).
func plain(f *os.File, _ bool) error { return f.Sync() }
