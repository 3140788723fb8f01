package store

// MaxBlobSize returns the largest plaintext Put takes, in bytes
// (Options.MaxBlobSize, or DefaultMaxBlobSize when that was 0).
func (s *Store) MaxBlobSize() int64 { return s.maxBlob }
