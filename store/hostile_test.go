package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/iotrust/iotrust/canon"
)

// sampleEnvelope returns a valid envelope with n entries for a blob CID.
func sampleEnvelope(t testing.TB, n int) (*envelope, []byte) {
	t.Helper()
	c := cidOf(canon.BLAKE3, []byte("blob"))
	e := &envelope{cid: c}
	key := bytes.Repeat([]byte{7}, dataKeySize)
	for i := range n {
		r := testIdentity(t, byte(i+1)).Recipient()
		enc, ct, err := hpkeSeal(seeded(byte(i)), r.pk[:], wrapInfo(c), nil, key)
		if err != nil {
			t.Fatal(err)
		}
		x := entry{id: r.id}
		copy(x.enc[:], enc)
		copy(x.wrapped[:], ct)
		i, _ := e.find(r.id)
		e.entries = append(e.entries[:i], append([]entry{x}, e.entries[i:]...)...)
	}
	return e, e.encode()
}

func mutate(b []byte, f func([]byte) []byte) []byte {
	return f(append([]byte(nil), b...))
}

// TestHostileEnvelopes is the catalogue of stored envelopes that must be
// refused, each with ErrCorrupt.
func TestHostileEnvelopes(t *testing.T) {
	_, good := sampleEnvelope(t, 3)
	cl := int(good[11])
	countAt := 12 + cl
	entriesAt := countAt + 2
	v0, _ := cid.Decode("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n")
	withCID := func(cb []byte) []byte {
		out := append([]byte(nil), good[:11]...)
		out = append(out, byte(len(cb)))
		out = append(out, cb...)
		return append(out, good[countAt:]...)
	}
	dagcbor := cid.NewCidV1(cid.DagCBOR, mustMH(t, mh.BLAKE3))
	sha512, _ := mh.Sum([]byte("x"), mh.SHA2_512, -1)
	cases := map[string][]byte{
		"empty":                  nil,
		"magic only":             good[:4],
		"truncated header":       good[:13],
		"truncated in CID":       good[:20],
		"no count":               good[:countAt+1],
		"wrong magic":            mutate(good, func(b []byte) []byte { b[0] = 'X'; return b }),
		"blob magic":             mutate(good, func(b []byte) []byte { copy(b, blobMagic[:]); return b }),
		"version 0":              mutate(good, func(b []byte) []byte { b[4] = 0; return b }),
		"version 2":              mutate(good, func(b []byte) []byte { b[4] = 2; return b }),
		"other KEM (P-256)":      mutate(good, func(b []byte) []byte { b[6] = 0x10; return b }),
		"other KDF":              mutate(good, func(b []byte) []byte { b[8] = 2; return b }),
		"other AEAD (AES-GCM)":   mutate(good, func(b []byte) []byte { b[10] = 1; return b }),
		"CID length 0":           mutate(good, func(b []byte) []byte { b[11] = 0; return b }),
		"CID length 255":         mutate(good, func(b []byte) []byte { b[11] = 255; return b }),
		"CID length short":       mutate(good, func(b []byte) []byte { b[11]--; return b }),
		"CID length long":        mutate(good, func(b []byte) []byte { b[11]++; return b }),
		"CIDv0":                  withCID(v0.Bytes()),
		"dag-cbor CID":           withCID(dagcbor.Bytes()),
		"sha2-512 CID":           withCID(cid.NewCidV1(cid.Raw, sha512).Bytes()),
		"CID version 2 byte":     mutate(good, func(b []byte) []byte { b[12] = 2; return b }),
		"CID non-minimal varint": withCID(append([]byte{0x81, 0x00}, good[13:12+cl]...)),
		"count 0":                mutate(good, func(b []byte) []byte { binary.BigEndian.PutUint16(b[countAt:], 0); return b[:entriesAt] }),
		"count too high":         mutate(good, func(b []byte) []byte { binary.BigEndian.PutUint16(b[countAt:], 4); return b }),
		"count too low":          mutate(good, func(b []byte) []byte { binary.BigEndian.PutUint16(b[countAt:], 2); return b }),
		"count above limit":      mutate(good, func(b []byte) []byte { binary.BigEndian.PutUint16(b[countAt:], MaxRecipientsLimit+1); return b }),
		"count 65535":            mutate(good, func(b []byte) []byte { binary.BigEndian.PutUint16(b[countAt:], 0xffff); return b }),
		"truncated entry":        good[:len(good)-1],
		"trailing byte":          append(append([]byte(nil), good...), 0),
		"trailing entry":         append(append([]byte(nil), good...), good[entriesAt:entriesAt+entrySize]...),
		"duplicate recipient": mutate(good, func(b []byte) []byte {
			copy(b[entriesAt+entrySize:], b[entriesAt:entriesAt+32])
			return b
		}),
		"recipients out of order": mutate(good, func(b []byte) []byte {
			a := append([]byte(nil), b[entriesAt:entriesAt+entrySize]...)
			copy(b[entriesAt:], b[entriesAt+entrySize:entriesAt+2*entrySize])
			copy(b[entriesAt+entrySize:], a)
			return b
		}),
		"oversized": make([]byte, maxEnvelopeSize+1),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			e, err := parseEnvelope(b)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("parseEnvelope = %v, %v; want ErrCorrupt", e, err)
			}
		})
	}
	// The good one parses and re-encodes to itself.
	e, err := parseEnvelope(good)
	if err != nil || !bytes.Equal(e.encode(), good) {
		t.Fatalf("good envelope: %v", err)
	}
}

func mustMH(t *testing.T, code uint64) mh.Multihash {
	m, err := mh.Encode(make([]byte, 32), code)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestHostileBlobHeaders: stored blobs with a header this version does not
// write are ErrCorrupt (the CID check comes first in Get; these reach the
// parser only if someone stored them under their own CID).
func TestHostileBlobHeaders(t *testing.T) {
	good := sealBlob(make([]byte, 32), make([]byte, nonceSize), []byte("plain"))
	cases := map[string][]byte{
		"empty":         nil,
		"header only":   good[:blobHeaderSize],
		"one short":     good[:blobOverhead-1],
		"wrong magic":   mutate(good, func(b []byte) []byte { b[3] = 'E'; return b }),
		"version 0":     mutate(good, func(b []byte) []byte { b[4] = 0; return b }),
		"version 2":     mutate(good, func(b []byte) []byte { b[4] = 2; return b }),
		"AEAD 0":        mutate(good, func(b []byte) []byte { b[5] = 0; return b }),
		"AEAD 2":        mutate(good, func(b []byte) []byte { b[5] = 2; return b }),
		"envelope data": mutate(good, func(b []byte) []byte { copy(b, envMagic[:]); return b }),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := parseBlob(b); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("parseBlob: %v", err)
			}
		})
	}
	// A key other than the committed one is refused by the commitment,
	// before the AEAD is tried.
	h, _ := parseBlob(good)
	if _, err := openBlob(h, bytes.Repeat([]byte{1}, 32)); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "commits to") {
		t.Errorf("other key: %v", err)
	}
	if pt, err := openBlob(h, make([]byte, 32)); err != nil || string(pt) != "plain" {
		t.Fatalf("good blob: %q %v", pt, err)
	}
	// Relabelled or altered authenticated parts do not open.
	for name, f := range map[string]func([]byte) []byte{
		"nonce":      func(b []byte) []byte { b[40] ^= 1; return b },
		"commitment": func(b []byte) []byte { b[10] ^= 1; return b },
		"ciphertext": func(b []byte) []byte { b[blobHeaderSize] ^= 1; return b },
		"tag":        func(b []byte) []byte { b[len(b)-1] ^= 1; return b },
	} {
		h, err := parseBlob(mutate(good, f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := openBlob(h, make([]byte, 32)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("altered %s: %v", name, err)
		}
	}
}

// TestHostileStoredState: damage and substitution of files on disk is
// detected by Get with the typed error, never returned as data.
func TestHostileStoredState(t *testing.T) {
	gw, buyer := testIdentity(t, 1), testIdentity(t, 2)
	type setup struct {
		s           *Store
		dir         string
		c, other    cid.Cid
		blob, env   string
		oBlob, oEnv string
	}
	prepare := func(t *testing.T) setup {
		s, dir := openStore(t, Options{})
		c, err := s.Put(bg, bytes.Repeat([]byte("reading "), 100), gw.Recipient(), buyer.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.Put(bg, []byte("other batch"), gw.Recipient(), buyer.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		b, e := paths(t, dir, c)
		ob, oe := paths(t, dir, o)
		return setup{s, dir, c, o, b, e, ob, oe}
	}
	cases := []struct {
		name   string
		damage func(t *testing.T, x setup)
		want   error
	}{
		{"flipped bit in the ciphertext", func(t *testing.T, x setup) {
			writeFile(t, x.blob, mutate(readFile(t, x.blob), func(b []byte) []byte { b[len(b)/2] ^= 0x20; return b }))
		}, ErrCIDMismatch},
		{"flipped bit in the header", func(t *testing.T, x setup) {
			writeFile(t, x.blob, mutate(readFile(t, x.blob), func(b []byte) []byte { b[4] ^= 1; return b }))
		}, ErrCIDMismatch},
		{"truncated blob", func(t *testing.T, x setup) {
			b := readFile(t, x.blob)
			writeFile(t, x.blob, b[:len(b)-1])
		}, ErrCIDMismatch},
		{"empty blob", func(t *testing.T, x setup) { writeFile(t, x.blob, nil) }, ErrCIDMismatch},
		{"blob swapped with another blob", func(t *testing.T, x setup) {
			a, b := readFile(t, x.blob), readFile(t, x.oBlob)
			writeFile(t, x.blob, b)
			writeFile(t, x.oBlob, a)
		}, ErrCIDMismatch},
		{"envelope swapped with another envelope", func(t *testing.T, x setup) {
			a, b := readFile(t, x.env), readFile(t, x.oEnv)
			writeFile(t, x.env, b)
			writeFile(t, x.oEnv, a)
		}, ErrCIDMismatch},
		{"both swapped (blob and envelope of another CID)", func(t *testing.T, x setup) {
			writeFile(t, x.blob, readFile(t, x.oBlob))
			writeFile(t, x.env, readFile(t, x.oEnv))
		}, ErrCIDMismatch},
		{"wrapping copied from another blob's envelope", func(t *testing.T, x setup) {
			// Same recipient, same entry position, but bound to the other CID.
			e, _ := parseEnvelope(readFile(t, x.env))
			o, _ := parseEnvelope(readFile(t, x.oEnv))
			i, _ := e.find(gw.Recipient().ID())
			j, _ := o.find(gw.Recipient().ID())
			e.entries[i].enc, e.entries[i].wrapped = o.entries[j].enc, o.entries[j].wrapped
			writeFile(t, x.env, e.encode())
		}, ErrCorrupt},
		{"valid wrapping of a different data key", func(t *testing.T, x setup) {
			// Anyone with the recipient's public key can wrap some key; the
			// blob's key commitment refuses it before decryption.
			e, _ := parseEnvelope(readFile(t, x.env))
			i, _ := e.find(gw.Recipient().ID())
			r := gw.Recipient()
			enc, ct, err := hpkeSeal(seeded(99), r.pk[:], wrapInfo(x.c), nil, bytes.Repeat([]byte{1}, dataKeySize))
			if err != nil {
				t.Fatal(err)
			}
			copy(e.entries[i].enc[:], enc)
			copy(e.entries[i].wrapped[:], ct)
			writeFile(t, x.env, e.encode())
		}, ErrCorrupt},
		{"flipped bit in the wrapped key", func(t *testing.T, x setup) {
			e, _ := parseEnvelope(readFile(t, x.env))
			i, _ := e.find(gw.Recipient().ID())
			e.entries[i].wrapped[3] ^= 1
			writeFile(t, x.env, e.encode())
		}, ErrCorrupt},
		{"recipient ID relabelled", func(t *testing.T, x setup) {
			// The buyer's wrapping filed under the gateway's ID.
			e, _ := parseEnvelope(readFile(t, x.env))
			i, _ := e.find(gw.Recipient().ID())
			j, _ := e.find(buyer.Recipient().ID())
			e.entries[i].enc, e.entries[i].wrapped = e.entries[j].enc, e.entries[j].wrapped
			writeFile(t, x.env, e.encode())
		}, ErrCorrupt},
		{"garbage envelope", func(t *testing.T, x setup) { writeFile(t, x.env, []byte("not an envelope")) }, ErrCorrupt},
		{"oversized envelope", func(t *testing.T, x setup) { writeFile(t, x.env, make([]byte, maxEnvelopeSize+1)) }, ErrCorrupt},
		{"truncated envelope", func(t *testing.T, x setup) {
			b := readFile(t, x.env)
			writeFile(t, x.env, b[:len(b)-5])
		}, ErrCorrupt},
		{"blob removed", func(t *testing.T, x setup) { os.Remove(x.blob) }, ErrNotFound},
		{"envelope removed", func(t *testing.T, x setup) { os.Remove(x.env) }, ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := prepare(t)
			tc.damage(t, x)
			got, err := x.s.Get(bg, x.c, gw)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Get = %q, %v; want %v", got, err, tc.want)
			}
			if got != nil {
				t.Fatal("Get returned bytes with an error")
			}
		})
	}
}
