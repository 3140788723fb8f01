package merkle

import (
	"encoding/binary"
	"unsafe"
)

// Eight-lane BLAKE3. Trees hash many independent 64-byte nodes and
// many short leaves; hashing eight of them at once in the lanes of the
// AVX2 registers (compress8) is several times faster than one at a time.
// The lanes compute exactly BLAKE3's compression function, so results are
// identical to the one-at-a-time path through github.com/zeebo/blake3;
// tests compare the two on random inputs.

// b3x8 is the working memory of compress8: word-major, lane-minor.
type b3x8 struct {
	v [16][8]uint32
	m [16][8]uint32
}

// BLAKE3 constants (BLAKE3 specification §2.2, §2.1).
var b3IV = [8]uint32{0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19}

const (
	b3ChunkStart        = 1 << 0
	b3ChunkEnd          = 1 << 1
	b3Root              = 1 << 3
	b3KeyedHash         = 1 << 4
	b3DeriveKeyContext  = 1 << 5
	b3DeriveKeyMaterial = 1 << 6
	b3ChunkLen          = 1024
)

// x8Templates are the initial states of node and leaf compressions.
type x8Templates struct {
	node    [16][8]uint32 // keyed by nodeKey, one 64-byte block
	leafKey [8]uint32     // the derive-key key of LeafContext
}

var x8 = func() *x8Templates {
	if !haveX8 {
		return nil
	}
	t := new(x8Templates)
	var key [8]uint32
	for i := range key {
		key[i] = binary.LittleEndian.Uint32(nodeKey[4*i:])
	}
	t.node = initState(key, 2*HashSize, b3KeyedHash|b3ChunkStart|b3ChunkEnd|b3Root)
	// The context key is the root output of hashing the context string in
	// derive-key-context mode; LeafContext fits one block.
	var s b3x8
	s.v = initState(b3IV, uint32(len(LeafContext)), b3DeriveKeyContext|b3ChunkStart|b3ChunkEnd|b3Root)
	var block [64]byte
	copy(block[:], LeafContext)
	for w := 0; w < 16; w++ {
		s.m[w] = broadcast(binary.LittleEndian.Uint32(block[4*w:]))
	}
	compress8(&s)
	for i := range t.leafKey {
		t.leafKey[i] = s.v[i][0]
	}
	return t
}()

func broadcast(x uint32) [8]uint32 { return [8]uint32{x, x, x, x, x, x, x, x} }

func initState(cv [8]uint32, blockLen, flags uint32) (v [16][8]uint32) {
	for i := 0; i < 8; i++ {
		v[i] = broadcast(cv[i])
	}
	for i := 0; i < 4; i++ {
		v[8+i] = broadcast(b3IV[i])
	}
	// v[12], v[13]: chunk counter 0 — every leaf and node is its own
	// single-chunk message.
	v[14] = broadcast(blockLen)
	v[15] = broadcast(flags)
	return v
}

// nodes8 hashes the eight nodes whose children are src[2i], src[2i+1]
// into dst[i]. dst may overlap src.
func nodes8(x *b3x8, dst *[8]Hash, src *[16]Hash) {
	var blocks [8]*byte
	for lane := range blocks {
		blocks[lane] = &src[2*lane][0]
	}
	transpose8(&x.m, &blocks)
	x.v = x8.node
	compress8(x)
	storeLanes(x, dst)
}

func storeLanes(x *b3x8, dst *[8]Hash) {
	untranspose8((*[8][8]uint32)(unsafe.Pointer(dst)), &x.v)
}

// leaves8 hashes eight leaves of the same length n ≤ 1024 (one BLAKE3
// chunk) into dst.
func leaves8(x *b3x8, dst *[8]Hash, leaves [][]byte, n int) {
	blocks := max(1, (n+63)/64)
	for i := 0; i < 8; i++ {
		x.v[i] = broadcast(x8.leafKey[i])
	}
	for blk := 0; blk < blocks; blk++ {
		off := 64 * blk
		blen := min(64, n-off)
		flags := uint32(b3DeriveKeyMaterial)
		if blk == 0 {
			flags |= b3ChunkStart
		}
		if blk == blocks-1 {
			flags |= b3ChunkEnd | b3Root
		}
		for i := 0; i < 4; i++ {
			x.v[8+i] = broadcast(b3IV[i])
		}
		x.v[12], x.v[13] = [8]uint32{}, [8]uint32{}
		x.v[14] = broadcast(uint32(blen))
		x.v[15] = broadcast(flags)
		var blocks [8]*byte
		if blen == 64 {
			for lane := range blocks {
				blocks[lane] = &leaves[lane][off]
			}
		} else { // the last block, zero-padded
			var pad [8][64]byte
			for lane := range blocks {
				copy(pad[lane][:], leaves[lane][off:n])
				blocks[lane] = &pad[lane][0]
			}
		}
		transpose8(&x.m, &blocks)
		compress8(x)
	}
	storeLanes(x, dst)
}

// sameLength8 reports whether the eight leaves have one length that fits
// a BLAKE3 chunk, and returns it.
func sameLength8(leaves [][]byte) (int, bool) {
	n := len(leaves[0])
	if n > b3ChunkLen {
		return 0, false
	}
	for _, l := range leaves[1:8] {
		if len(l) != n {
			return 0, false
		}
	}
	return n, true
}
