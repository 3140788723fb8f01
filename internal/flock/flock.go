package flock

import "errors"

// ErrHeld is returned by TryLock when another open file description holds
// the lock.
var ErrHeld = errors.New("flock: the file is locked by another open")
