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
// and §2.1.4 plus the hasher, index and sizes they are for. VerifyInclusion
// and VerifyConsistency check them without allocating and without
// panicking on any input: a wrong index or size, a path of the wrong
// length and a wrong root each return a distinct error (ErrIndexOutOfRange,
// ErrSizeOutOfRange, ErrProofLength, ErrRootMismatch). A path is at most
// MaxPathLen (64) hashes for inclusion and MaxConsistencyPathLen (65) for
// consistency.
//
// MultiInclusionProof proves several leaves at once, giving each hash their
// paths share once: the path is the list of roots of the largest subtrees
// that hold none of the leaves, in left-to-right order, and the verifier
// rebuilds the root from them and the leaf hashes.
//
// All proofs have a binary form (version, kind, hasher, varint index and
// size, the path; at most MaxBinaryProofSize bytes) and a JSON form
// ({"type":"inclusion","hasher":"blake3","index":3,"size":8,"path":["<hex>",…]});
// the decoders accept exactly one encoding per proof and reject anything
// else with ErrMalformedProof.
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
// The shortest correct use:
//
//	tree := merkle.NewTree(merkle.BLAKE3, leaves)
//	proof, _ := tree.InclusionProof(3)
//	err := proof.Verify(merkle.BLAKE3.HashLeaf(leaves[3]), tree.Root())
package merkle
