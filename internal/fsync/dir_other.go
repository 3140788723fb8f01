//go:build !unix

package fsync

func syncDir(string) error { return nil }
