// Package flock takes the exclusive advisory locks that keep two writers
// off the same files: internal/recordlog locks each log file, store locks
// its directory. A lock belongs to the open file description, so a second
// open of the same file conflicts even within one process, and the kernel
// releases it when the file is closed or the process dies, crash included.
//
// Where flock(2) does not exist (non-Unix systems) TryLock does nothing and
// keeping one writer per file is the caller's responsibility. Locks are
// advisory and are not shared across NFS clients.
package flock
