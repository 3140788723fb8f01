//go:build !linux

package recordlog

import "os"

// dataSync makes f's data durable (fsync; platforms other than Linux get
// no cheaper call that is as well defined).
func dataSync(f *os.File) error { return f.Sync() }
