//go:build linux && !(amd64 || arm64)

package fsync

import "os"

// aio is absent here: every sync is the plain system call.
type aio struct{}

func shared() *aio { return nil }

func (*aio) sync(*os.File, bool) (bool, error) { return false, nil }
