package tlog_test

import (
	"crypto/ed25519"
	"errors"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor/tlog"
)

// TestWeakLogKeys: a log key of small order (or non-canonically encoded)
// would let anyone sign checkpoints (one signature verifies on every
// message under ZIP-215 style rules); every way a log key enters refuses it.
func TestWeakLogKeys(t *testing.T) {
	identity := make([]byte, 32)
	identity[0] = 1 // the identity point (0, 1)
	nonCanonical := make([]byte, 32)
	for i := range nonCanonical {
		nonCanonical[i] = 0xff
	}
	nonCanonical[0], nonCanonical[31] = 0xee, 0x7f // y = p + 1 ≡ 1 (mod p): the identity, spelled non-canonically
	for name, pub := range map[string][]byte{"identity": identity, "non-canonical identity": nonCanonical} {
		t.Run(name, func(t *testing.T) {
			if _, err := tlog.NewEd25519Verifier("example.com/log", ed25519.PublicKey(pub)); !errors.Is(err, tlog.ErrBadKey) {
				t.Fatalf("NewEd25519Verifier: %v", err)
			}
			vkey, err := note.NewEd25519VerifierKey("example.com/log", ed25519.PublicKey(pub))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tlog.NewVerifierFromKey(vkey); !errors.Is(err, tlog.ErrBadKey) {
				t.Fatalf("NewVerifierFromKey: %v", err)
			}
		})
	}
}
