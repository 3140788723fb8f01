package audit

import (
	"crypto/sha256"
	"encoding/binary"
)

// keyHash is the note key hash (golang.org/x/mod/sumdb/note): the first
// four bytes of SHA-256(name || "\n" || key), for building hostile keys
// with a correct hash.
func keyHash(name string, key []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte("\n"))
	h.Write(key)
	return binary.BigEndian.Uint32(h.Sum(nil))
}
