package audit

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/iotrust/iotrust/internal/edkey"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor/tlog"
)

// Why ParseKey checks log keys as did checks device keys: under the
// identity point as an Ed25519 key, crypto/ed25519 (which note uses)
// accepts the same signature of every message, so anyone could sign
// checkpoints of a log that published such a key.
func TestWeakLogKeyWouldLetAnyoneSign(t *testing.T) {
	const name = "example.com/weak"
	identity := append([]byte{1, 1}, make([]byte, 31)...) // algorithm byte, then the neutral element
	vkey := fmt.Sprintf("%s+%08x+%s", name, keyHash(name, identity), base64.StdEncoding.EncodeToString(identity))

	// R = [0]B (the neutral element), S = 0: [S]B = R + [k]A for any k.
	sig := binary.BigEndian.AppendUint32(nil, keyHash(name, identity))
	sig = append(sig, identity[1:]...)
	sig = append(sig, make([]byte, 32)...)
	forged := []byte("example.com/weak\n1\nKPsQRc+5soNlwG+X0fjY+3uGqAwhObQqpQC6hblud0s=\n\n\u2014 " + name + " " + base64.StdEncoding.EncodeToString(sig) + "\n")

	if _, err := ParseKey(vkey); !errors.Is(err, tlog.ErrBadKey) || !errors.Is(err, edkey.ErrSmallOrder) {
		t.Fatalf("ParseKey(weak key) = %v, want ErrBadKey and edkey.ErrSmallOrder", err)
	}
	nv, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open(forged, note.VerifierList(nv)); err != nil {
		t.Logf("note no longer accepts the forgery (%v); the check stays as defence in depth", err)
	}
}
