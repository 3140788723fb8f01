package store

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParseEnvelope: any bytes either fail with ErrCorrupt or are an
// envelope whose one encoding is exactly those bytes.
func FuzzParseEnvelope(f *testing.F) {
	for n := 1; n <= 3; n++ {
		_, good := sampleEnvelope(f, n)
		f.Add(good)
		f.Add(good[:len(good)-1])
		f.Add(append(append([]byte(nil), good...), 0))
	}
	f.Add([]byte{})
	f.Add([]byte("IOTE\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := parseEnvelope(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !bytes.Equal(e.encode(), b) {
			t.Fatalf("envelope has a second encoding: %x re-encodes as %x", b, e.encode())
		}
		if len(e.entries) == 0 || len(e.entries) > MaxRecipientsLimit {
			t.Fatalf("%d entries accepted", len(e.entries))
		}
	})
}

// FuzzOpenBlob: any stored bytes either fail with ErrCorrupt or are a blob
// sealed under the fuzzed key; nothing panics.
func FuzzOpenBlob(f *testing.F) {
	key := bytes.Repeat([]byte{3}, dataKeySize)
	f.Add(sealBlob(key, make([]byte, nonceSize), []byte("a reading")), key)
	f.Add(sealBlob(key, bytes.Repeat([]byte{9}, nonceSize), nil), key)
	f.Add([]byte("IOTB\x01\x01"), key)
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, b, k []byte) {
		h, err := parseBlob(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(k) != dataKeySize {
			return
		}
		pt, err := openBlob(h, k)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(pt) != len(b)-blobOverhead {
			t.Fatalf("%d plaintext bytes from a %d-byte blob", len(pt), len(b))
		}
	})
}

// FuzzParseKeys: key texts either fail with ErrBadKey or are the one
// spelling of a checked key.
func FuzzParseKeys(f *testing.F) {
	id, _ := GenerateIdentity(seeded(1))
	sk, _ := id.MarshalText()
	f.Add(string(sk))
	f.Add(id.Recipient().String())
	f.Add(id.Recipient().ID().String())
	for _, pk := range lowOrder {
		f.Add(RecipientPrefix + pk)
	}
	f.Add(RecipientPrefix)
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if r, err := ParseRecipient(s); err == nil {
			if r.String() != s {
				t.Fatalf("recipient %q re-encodes as %q", s, r.String())
			}
		} else if !errors.Is(err, ErrBadKey) {
			t.Fatalf("untyped error %v", err)
		}
		if id, err := ParseIdentity(s); err == nil {
			if b, _ := id.MarshalText(); string(b) != s {
				t.Fatalf("identity does not re-encode")
			}
			if _, err := ParseRecipient(id.Recipient().String()); err != nil {
				t.Fatalf("identity with a bad public key: %v", err)
			}
		} else if !errors.Is(err, ErrBadKey) {
			t.Fatalf("untyped error %v", err)
		}
		if rid, err := ParseRecipientID(s); err == nil {
			if rid.String() != s {
				t.Fatalf("ID %q re-encodes as %q", s, rid)
			}
		} else if !errors.Is(err, ErrBadKey) {
			t.Fatalf("untyped error %v", err)
		}
	})
}
