//go:build !unix

package did

import "os"

// lockFile is a no-op where flock is unavailable: one process per registry
// file is then the caller's responsibility.
func lockFile(*os.File) error { return nil }
