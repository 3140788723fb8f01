package merkle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"sync"

	"github.com/iotrust/iotrust/canon"
	"github.com/zeebo/blake3"
)

// HashSize is the length in bytes of every leaf, node and root hash.
const HashSize = canon.Size

// Hash is a leaf, node or root hash of a tree. It carries no hash function:
// the Hasher that made it does, and Hasher.Digest attaches it for callers
// that put a root on a ledger.
type Hash [HashSize]byte

// String returns the hash in lowercase hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText encodes the hash as lowercase hex.
func (h Hash) MarshalText() ([]byte, error) {
	out := make([]byte, 2*HashSize)
	hex.Encode(out, h[:])
	return out, nil
}

// UnmarshalText decodes exactly 64 lowercase hex digits, the one spelling
// MarshalText writes; anything else is ErrMalformedProof and leaves h
// unchanged.
func (h *Hash) UnmarshalText(b []byte) error {
	if err := parseHex(h, b); err != nil {
		return fmt.Errorf("%w: hash: %w", ErrMalformedProof, err)
	}
	return nil
}

// parseHex decodes 64 lowercase hex digits into h, leaving h unchanged on
// error.
func parseHex(h *Hash, b []byte) error {
	if len(b) != 2*HashSize {
		return fmt.Errorf("%d hex digits, want %d", len(b), 2*HashSize)
	}
	var v Hash
	for i, c := range b {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		default:
			return fmt.Errorf("byte %d is not a lowercase hex digit", i)
		}
		v[i/2] |= d << (4 * (1 - i%2))
	}
	*h = v
	return nil
}

// Hasher selects how leaves and interior nodes are hashed. The two hashers
// are the constants BLAKE3 (the default) and SHA256 (RFC 6962); the zero
// value is invalid. A Hasher is a plain value: copy it, compare it, store it
// next to a root.
type Hasher uint8

const (
	// BLAKE3 hashes leaves with BLAKE3's derive-key mode under LeafContext
	// and interior nodes with BLAKE3's keyed mode under the key derived from
	// NodeContext, so that an interior node is exactly one 64-byte BLAKE3
	// compression. See the package documentation for the full definition.
	BLAKE3 = Hasher(canon.BLAKE3)
	// SHA256 is exactly RFC 6962 / RFC 9162: leaf = SHA-256(0x00 ‖ data),
	// node = SHA-256(0x01 ‖ left ‖ right), empty root = SHA-256(""). Its
	// roots and proofs equal those of Certificate Transparency logs and
	// Tessera.
	SHA256 = Hasher(canon.SHA256)
)

// DefaultHasher is the hasher to use when nothing forces a choice.
const DefaultHasher = BLAKE3

// Domain-separation contexts of the BLAKE3 hasher. They are part of the
// format: changing one changes every BLAKE3 root.
const (
	// LeafContext is the BLAKE3 derive-key context string for leaf hashes.
	LeafContext = "iotrust.merkle.leaf.v1"
	// NodeContext is the BLAKE3 derive-key context string from which the
	// 32-byte key of interior-node hashes is derived (with empty key
	// material).
	NodeContext = "iotrust.merkle.node.v1"
)

// RFC 6962 domain-separation prefixes of the SHA256 hasher.
const (
	leafPrefix = 0x00
	nodePrefix = 0x01
)

// nodeKey is the BLAKE3 key of interior nodes: derive-key(NodeContext, "").
// It is a constant of the format, computed once.
var nodeKey = func() [32]byte {
	var k [32]byte
	blake3.DeriveKey(NodeContext, nil, k[:])
	return k
}()

// Func returns the canon hash function underlying h.
func (h Hasher) Func() canon.HashFunc { return canon.HashFunc(h) }

// Valid reports whether h is BLAKE3 or SHA256.
func (h Hasher) Valid() bool { return h == BLAKE3 || h == SHA256 }

// String returns "blake3" or "sha256", the names used by canon.
func (h Hasher) String() string { return canon.HashFunc(h).String() }

// ParseHasher returns the hasher named by a canon hash-function name
// ("blake3" or "sha256").
func ParseHasher(name string) (Hasher, error) {
	f, err := canon.ParseHashFunc(name)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrUnknownHasher, truncate(name))
	}
	return Hasher(f), nil
}

// HasherFor returns the hasher whose hash function is f.
func HasherFor(f canon.HashFunc) (Hasher, error) {
	h := Hasher(f)
	if !h.Valid() {
		return 0, fmt.Errorf("%w: %s", ErrUnknownHasher, f)
	}
	return h, nil
}

// Digest attaches h's hash function to sum, for roots that go on a ledger.
func (h Hasher) Digest(sum Hash) canon.Digest {
	return canon.Digest{Func: h.Func(), Sum: sum}
}

// FromDigest returns the value of d after checking that d was made by h's
// hash function, so a SHA-256 root is never checked against a BLAKE3 tree.
func (h Hasher) FromDigest(d canon.Digest) (Hash, error) {
	if d.Func != h.Func() {
		return Hash{}, fmt.Errorf("%w: digest is %s, hasher is %s", ErrHasherMismatch, d.Func, h)
	}
	return Hash(d.Sum), nil
}

// EmptyRoot returns the root of the tree with no leaves: SHA-256("") for
// SHA256 (as RFC 6962) and BLAKE3-256("") in BLAKE3's plain hash mode for
// BLAKE3. Neither equals any leaf or node hash, which use other modes or
// prefixes. It panics if h is invalid (see HashLeaf).
func (h Hasher) EmptyRoot() Hash {
	switch h {
	case SHA256:
		return sha256.Sum256(nil)
	case BLAKE3:
		return blake3.Sum256(nil)
	}
	panic(invalidHasher(h))
}

// HashLeaf returns the leaf hash of data. It panics if h is invalid, like
// crypto.Hash.New: a hasher is chosen by the program, and hashers read from
// untrusted input are checked by ParseHasher or the proof decoders.
func (h Hasher) HashLeaf(data []byte) Hash {
	var out Hash
	switch h {
	case SHA256:
		if len(data) < 256 {
			var buf [257]byte
			buf[0] = leafPrefix
			n := copy(buf[1:], data)
			return sha256.Sum256(buf[:1+n])
		}
		d := sha256.New()
		d.Write([]byte{leafPrefix})
		d.Write(data)
		d.Sum(out[:0])
	case BLAKE3:
		s := getState()
		s.leaf(&out, data)
		putState(s)
	default:
		panic(invalidHasher(h))
	}
	return out
}

// HashNode returns the hash of the interior node whose children hash to
// left and right. It panics if h is invalid (see HashLeaf).
func (h Hasher) HashNode(left, right Hash) Hash {
	var out Hash
	switch h {
	case SHA256:
		sha256Node(&out, &left, &right)
	case BLAKE3:
		s := getState()
		s.node(&out, &left, &right)
		putState(s)
	default:
		panic(invalidHasher(h))
	}
	return out
}

func invalidHasher(h Hasher) string {
	return fmt.Sprintf("merkle: invalid Hasher %d", uint8(h))
}

// errInvalidHasher is returned instead of panicking on paths that take a
// Hasher from their caller and report errors anyway.
func checkHasher(h Hasher) error {
	if !h.Valid() {
		return fmt.Errorf("%w: %d", ErrUnknownHasher, uint8(h))
	}
	return nil
}

// sha256Node keeps the 65-byte RFC 6962 node preimage on the stack.
func sha256Node(out, l, r *Hash) {
	var buf [1 + 2*HashSize]byte
	buf[0] = nodePrefix
	copy(buf[1:], l[:])
	copy(buf[1+HashSize:], r[:])
	*out = sha256.Sum256(buf[:])
}

// state is the per-goroutine hashing state. BLAKE3 hashers are large
// (about 9 KiB each) and carry the precomputed leaf context and node key,
// so they are made once per builder, per worker or per pooled use, never
// per hash.
type state struct {
	h     Hasher
	b3l   *blake3.Hasher // derive-key mode under LeafContext
	b3n   *blake3.Hasher // keyed mode under nodeKey
	shaLf []byte         // SHA-256 leaf preimage scratch
	x8    *b3x8          // eight-lane BLAKE3 scratch, nil without AVX2
	// A reused SHA-256 hasher saves a tenth of each node hash over
	// sha256.Sum256; its input and output live here, not on the caller's
	// stack, because they pass through an interface.
	sha    hash.Hash
	shaIn  [1 + 2*HashSize]byte
	shaOut []byte
}

func newState(h Hasher) *state {
	s := &state{h: h}
	if h == SHA256 {
		s.sha = sha256.New()
		s.shaOut = make([]byte, 0, HashSize)
		s.shaIn[0] = nodePrefix
	}
	if h == BLAKE3 {
		s.b3l = blake3.NewDeriveKey(LeafContext)
		var err error
		s.b3n, err = blake3.NewKeyed(nodeKey[:])
		if err != nil {
			// Unreachable: nodeKey has the one size NewKeyed accepts.
			panic(err)
		}
		if haveX8 {
			s.x8 = new(b3x8)
		}
	}
	return s
}

// leaves writes the leaf hashes of leaves to dst (same length), eight at a
// time where the hardware allows.
func (s *state) leaves(dst []Hash, leaves [][]byte) {
	i := 0
	if s.x8 != nil {
		for ; i+8 <= len(dst); i += 8 {
			if n, ok := sameLength8(leaves[i : i+8]); ok {
				leaves8(s.x8, (*[8]Hash)(dst[i:i+8]), leaves[i:i+8], n)
				continue
			}
			for j := i; j < i+8; j++ {
				s.leaf(&dst[j], leaves[j])
			}
		}
	}
	for ; i < len(dst); i++ {
		s.leaf(&dst[i], leaves[i])
	}
}

// b3Pool recycles BLAKE3 states for the one-shot HashLeaf, HashNode and
// the verifiers, which must not allocate per call. It holds scratch space
// only, never data.
var (
	b3Pool  = sync.Pool{New: func() any { return newState(BLAKE3) }}
	shaPool = sync.Pool{New: func() any { return newState(SHA256) }}
)

func getState() *state { return b3Pool.Get().(*state) }

func getSHAState() *state { return shaPool.Get().(*state) }

func putState(s *state) {
	if s.h == SHA256 {
		shaPool.Put(s)
		return
	}
	b3Pool.Put(s)
}

// leaf writes the leaf hash of data to out.
func (s *state) leaf(out *Hash, data []byte) {
	if s.h == SHA256 {
		if cap(s.shaLf) < 1+len(data) {
			s.shaLf = make([]byte, 0, 1+len(data)+len(data)/4)
		}
		b := append(s.shaLf[:0], leafPrefix)
		b = append(b, data...)
		s.sha.Reset()
		s.sha.Write(b)
		copy(out[:], s.sha.Sum(s.shaOut[:0]))
		return
	}
	s.b3l.Reset()
	s.b3l.Write(data)
	s.b3l.Sum(out[:0])
}

// node writes the hash of the node with children l and r to out; out may
// alias l or r.
func (s *state) node(out, l, r *Hash) {
	if s.h == SHA256 {
		copy(s.shaIn[1:], l[:])
		copy(s.shaIn[1+HashSize:], r[:])
		s.sha.Reset()
		s.sha.Write(s.shaIn[:])
		copy(out[:], s.sha.Sum(s.shaOut[:0]))
		return
	}
	var buf [2 * HashSize]byte
	copy(buf[:HashSize], l[:])
	copy(buf[HashSize:], r[:])
	s.b3n.Reset()
	s.b3n.Write(buf[:])
	s.b3n.Sum(out[:0])
}
