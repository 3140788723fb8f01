// Package atomicfile writes a file's content all at once: a reader, or
// the file after a crash, holds the old content or the new one, never a
// part of either. Write replaces a file; Create makes a new one and never
// replaces an existing file (a key, a bundle the user named). It is for
// small state, key and output files; logs that grow use
// internal/recordlog.
package atomicfile
