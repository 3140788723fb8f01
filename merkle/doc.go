// Package merkle builds Merkle trees over leaves and proves facts about
// them: that a leaf is in a tree (inclusion proofs) and that one tree is a
// prefix of a later one (consistency proofs, for append-only logs).
//
// A gateway seals each batch of readings into a tree and anchors the root
// on a ledger (package anchor) as a canon.Digest; an auditor later receives
// one reading, its inclusion proof and the anchored root, and checks all
// three without trusting the gateway. The package depends only on canon's
// hash suite.
//
// # Tree shape
//
// Trees have the shape of RFC 6962 / RFC 9162 §2.1. The root of n leaves
// D[0:n] is
//
//	MTH({})    = EmptyRoot
//	MTH({d0})  = Leaf(d0)
//	MTH(D[n])  = Node(MTH(D[0:k]), MTH(D[k:n]))   k = largest power of two < n
//
// so the left subtree is always whole and the right edge may be ragged. The
// last leaf is never duplicated (no CVE-2012-2459 ambiguity): a tree of 5
// leaves is
//
//	         root
//	        /    \
//	      n03     e      the lone leaf e is carried up unchanged;
//	     /   \           the levels stored by Tree are
//	  n01     n23        [a b c d e] [n01 n23 e] [n03 e] [root]
//	 /  \    /  \
//	a    b  c    d
//
// Equivalently, level by level: pair nodes left to right and carry a lone
// last node up as it is. Tree stores the levels that way, in flat slices.
//
// # Hashers
//
// SHA256 is exactly RFC 6962, so roots and proofs equal those of
// Certificate Transparency, transparency-dev/merkle and Tessera:
//
//	Leaf(d)    = SHA-256(0x00 ‖ d)
//	Node(l, r) = SHA-256(0x01 ‖ l ‖ r)
//	EmptyRoot  = SHA-256("")
//
// BLAKE3, the default, separates leaves from nodes by BLAKE3's own modes
// instead of a prefix byte, so an interior node's input is exactly 64
// bytes — one BLAKE3 compression, where a 65-byte input would take two:
//
//	Leaf(d)    = BLAKE3-derive-key(context "iotrust.merkle.leaf.v1", key material d)
//	Node(l, r) = BLAKE3-keyed(key K, l ‖ r)
//	K          = BLAKE3-derive-key(context "iotrust.merkle.node.v1", key material "")
//	EmptyRoot  = BLAKE3("")        (the plain hash of the empty string)
//
// all with 32-byte outputs. The three modes set different BLAKE3 flags and
// keys, so no leaf, node or empty root can equal one of another kind. Any
// BLAKE3 library with derive-key and keyed modes reproduces them (the CI
// checks the committed vectors in testdata/blake3.json with JavaScript's
// @noble/hashes).
//
// # Proofs
//
// InclusionProof and ConsistencyProof hold the paths of RFC 9162 §2.1.3
// and §2.1.4 plus the hasher, index and sizes they are for. VerifyInclusion,
// VerifyConsistency and VerifyMultiInclusion never panic on any input and
// allocate nothing when the proof checks out: an index not below the size,
// an old size above the new, a path of the wrong length and a wrong root
// each return a distinct error (ErrIndexOutOfRange, ErrSizeOutOfRange,
// ErrProofLength, ErrRootMismatch). A path is at most MaxPathLen (64)
// hashes for inclusion and MaxConsistencyPathLen (65) for consistency.
//
// A proof authenticates its leaf against a root, not the size it is
// told: as in RFC 9162, a path for one size also checks out for every
// other size whose tree has the same shape along that leaf's path (the
// leaf at index 0 of a tree of 1000 leaves has the same path in one of
// 1001). Take the size from where the root comes from — a signed tree
// head, an anchored commitment's Count — never from the proof alone.
//
// MultiInclusionProof proves several leaves at once, giving each hash their
// paths share once: the path is the list of roots of the largest subtrees
// that hold none of the leaves, in left-to-right order, and the verifier
// rebuilds the root from them and the leaf hashes.
//
// All proofs have a binary form and a JSON form, specified below; the
// decoders accept exactly one encoding per proof and reject anything else
// with a typed error, leaving their receiver unchanged.
//
// # Binary encodings
//
// Integers marked uvarint are unsigned LEB128, as Go's
// encoding/binary.AppendUvarint writes them: seven bits per byte, least
// significant group first, the high bit (0x80) set on every byte but the
// last. Decoders accept only the minimal form (the last byte is not 0x00,
// except for the one-byte encoding of 0) and values below 2^64 (at most ten
// bytes, the tenth at most 0x01). Hashes are 32 bytes. The hasher byte is
// canon's hash-function code: 0x01 BLAKE3, 0x02 SHA256. Nothing may follow
// the last field. Offsets marked "…" follow the previous field.
//
// Inclusion proof (InclusionProof.MarshalBinary), at most MaxBinaryProofSize
// bytes:
//
//	offset  size    meaning
//	0       1       format version, 0x01
//	1       1       kind, 0x01 (inclusion)
//	2       1       hasher
//	3       1–10    uvarint index of the leaf
//	…       1–10    uvarint size of the tree
//	…       1       n, the number of path hashes: InclusionPathLen(index, size)
//	…       32·n    the path, sibling of the leaf first, up to the root
//
// Consistency proof (ConsistencyProof.MarshalBinary), at most
// MaxBinaryProofSize bytes:
//
//	offset  size    meaning
//	0       1       format version, 0x01
//	1       1       kind, 0x02 (consistency)
//	2       1       hasher
//	3       1–10    uvarint old size
//	…       1–10    uvarint new size (≥ old size)
//	…       1       n: ConsistencyPathLen(old, new), 0 if old is 0 or equal to new
//	…       32·n    the path of RFC 9162 §2.1.4, in its order
//
// Multi-leaf inclusion proof (MultiInclusionProof.MarshalBinary), at most
// MaxBinaryMultiProofSize bytes:
//
//	offset  size    meaning
//	0       1       format version, 0x01
//	1       1       kind, 0x03 (multi-leaf inclusion)
//	2       1       hasher
//	3       1–10    uvarint size of the tree
//	…       1–10    uvarint k, the number of leaves, 1 to MaxMultiLeaves
//	…       k×1–10  k uvarint leaf indices, strictly increasing, each below size
//	…       1–10    uvarint n, the number of path hashes the indices require
//	…       32·n    the path (see MultiInclusionProof)
//
// Builder state (Builder.MarshalBinary), at most 2 + 10 + 64·32 bytes:
//
//	offset  size    meaning
//	0       1       state version, 0x01
//	1       1       hasher
//	2       1–10    uvarint size, the number of leaves appended
//	…       32·p    p = the number of set bits of size: the roots of the whole
//	                subtrees that make up the tree, left to right (the largest,
//	                of 2^k leaves for the highest set bit k, first)
//
// Refused, with the error the decoders return: input over the size limit,
// shorter than its fields, with bytes after the last field, with another
// version or kind, a non-minimal or overflowing uvarint, or a path count
// over the limit (ErrMalformedProof); a hasher byte other than 0x01 and 0x02
// (ErrUnknownHasher); an index at or beyond the size (ErrIndexOutOfRange);
// an old size above the new (ErrSizeOutOfRange); a path count other than the
// one the index and sizes require (ErrProofLength); no leaves, too many, or
// indices not strictly increasing (ErrBadIndexList). TestSpecHexVectors
// decodes a hand-written vector of each encoding.
//
// # JSON encodings
//
// One object per proof, with exactly these members, each present once and
// not null, under exactly these names (no other spelling, no other member):
//
//	inclusion    {"type":"inclusion","hasher":H,"index":I,"size":S,"path":P}
//	consistency  {"type":"consistency","hasher":H,"old_size":I,"new_size":S,"path":P}
//	multi-leaf   {"type":"multi-inclusion","hasher":H,"size":S,"indices":[I,…],"path":P}
//
// H is "blake3" or "sha256"; I and S are JSON integers from 0 to 2^64−1,
// read exactly (also beyond 2^53), with no fraction, exponent or sign; P is
// an array of hashes, each 64 lowercase hex digits. The decoders parse with
// canon.Decode, so one JSON value and nothing after it but whitespace,
// valid UTF-8 and bounded size and depth; its errors (a *canon.DecodeError
// wrapping canon.ErrUnknownMember, canon.ErrDuplicateKey, canon.ErrEmpty,
// canon.ErrTrailingData, canon.ErrWrongType, …) come wrapped in
// ErrMalformedProof, so callers can test for either. Up to member order,
// whitespace and string escapes (canonical form), every accepted document is
// the one MarshalJSON writes for the proof.
//
// # Building
//
// NewTree keeps every level and serves proofs by lookup; Hasher.Root
// computes a root alone; both use all GOMAXPROCS cores for large inputs
// and give the same result on any number. On amd64 with AVX2, BLAKE3
// leaves (runs of eight of equal length up to 1024 bytes) and nodes are
// hashed eight at a time in the lanes of the vector registers; the result
// is bit-for-bit the same as one at a time. Builder computes roots of a
// growing tree in O(log n) memory, for gateways that never hold a whole
// batch, and can save and restore its state.
//
// The package Example shows the shortest correct use: build a tree, prove
// a leaf, verify the proof.
package merkle
