package canon

import (
	"crypto/sha256"
	"sync"

	"github.com/zeebo/blake3"
)

// TaggedHasher computes TaggedSum for one hash function and tag without
// allocating per call: the tag's context (BLAKE3) or prefix (SHA-256) is
// processed once, at construction. It is safe for concurrent use. Use it on
// hot paths such as hashing every reading a gateway ingests; TaggedSum is
// the simple form of the same function.
type TaggedHasher struct {
	fn     HashFunc
	tag    Tag
	prefix [2 * Size]byte // SHA256: SHA-256(tag) twice
	base   *blake3.Hasher // BLAKE3: derive-key state after the context
	pool   sync.Pool      // of *blake3.Hasher clones of base
}

// NewTaggedHasher returns a TaggedHasher for function h and tag.
func NewTaggedHasher(h HashFunc, tag Tag) (*TaggedHasher, error) {
	if err := tag.Validate(); err != nil {
		return nil, err
	}
	t := &TaggedHasher{fn: h, tag: tag}
	switch h {
	case BLAKE3:
		t.base = blake3.NewDeriveKey(string(tag))
		t.pool.New = func() any { return t.base.Clone() }
	case SHA256:
		th := sha256.Sum256([]byte(tag))
		copy(t.prefix[:Size], th[:])
		copy(t.prefix[Size:], th[:])
	default:
		return nil, errUnknown(h)
	}
	return t, nil
}

// Func returns the hash function of t.
func (t *TaggedHasher) Func() HashFunc { return t.fn }

// Tag returns the tag of t.
func (t *TaggedHasher) Tag() Tag { return t.tag }

// Sum returns TaggedSum(t.Func(), t.Tag(), data).
func (t *TaggedHasher) Sum(data []byte) Digest {
	d := Digest{Func: t.fn}
	if t.fn == BLAKE3 {
		h := t.pool.Get().(*blake3.Hasher)
		h.Reset()
		_, _ = h.Write(data)
		h.Sum(d.Sum[:0])
		t.pool.Put(h)
		return d
	}
	s := sha256.New()
	s.Write(t.prefix[:])
	s.Write(data)
	s.Sum(d.Sum[:0])
	return d
}
