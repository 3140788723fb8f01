package merkle

import "errors"

// Errors returned by verifiers, proof generators and decoders. They are
// wrapped with the offending values; test for them with errors.Is.
var (
	// ErrUnknownHasher reports a hasher other than BLAKE3 and SHA256.
	ErrUnknownHasher = errors.New("merkle: unknown hasher")
	// ErrHasherMismatch reports a digest or proof made by another hasher
	// than the one it is checked with.
	ErrHasherMismatch = errors.New("merkle: hasher mismatch")
	// ErrIndexOutOfRange reports a leaf index at or beyond the tree size.
	ErrIndexOutOfRange = errors.New("merkle: leaf index out of range")
	// ErrSizeOutOfRange reports a tree size the operation cannot use: an old
	// size larger than the new one, a size beyond the tree's, or size 0
	// where a leaf is required.
	ErrSizeOutOfRange = errors.New("merkle: tree size out of range")
	// ErrProofLength reports a proof with more or fewer hashes than its
	// index and sizes require.
	ErrProofLength = errors.New("merkle: wrong proof length")
	// ErrRootMismatch reports a proof that is well formed but does not
	// lead to the expected root.
	ErrRootMismatch = errors.New("merkle: root mismatch")
	// ErrMalformedProof reports an encoded proof that cannot be decoded:
	// bad version or kind, truncated, padded, over a size limit, bad hex.
	ErrMalformedProof = errors.New("merkle: malformed proof encoding")
)

// ErrBadIndexList reports a multi-leaf proof whose leaf indices are empty,
// too many, not strictly increasing, or not one per leaf hash.
var ErrBadIndexList = errors.New("merkle: bad list of leaf indices")
