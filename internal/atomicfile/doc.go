// Package atomicfile replaces a file's content all at once: a reader, or
// the file after a crash, holds the old content or the new one, never a
// part of either. It is for small state and key files; logs that grow use
// internal/recordlog.
package atomicfile
