//go:build !unix

package store

import "os"

// lockFile is a no-op where flock is unavailable: one Store per directory
// is then the caller's responsibility.
func lockFile(*os.File) error { return nil }
