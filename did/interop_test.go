package did

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/internal/jsinterop"
	"github.com/mr-tron/base58"
)

// TestInteropJS cross-checks did:key and signatures against independent
// JavaScript implementations: key-did-resolver (with did-resolver) resolves
// DIDs made here to the same keys, @noble/curves verifies signatures made
// here and rejects tampered ones, both reject malformed DIDs we reject, and
// DIDs and signatures made in JavaScript verify here.
//
// IOTRUST_NODE_MODULES names a node_modules folder holding key-did-resolver,
// did-resolver, @noble/curves, @noble/hashes and multiformats, as
// .ci/steps/30-did.sh installs them; without it the test is skipped unless
// IOTRUST_REQUIRE_INTEROP is set.
func TestInteropJS(t *testing.T) {
	mods := jsinterop.Modules(t, "IOTRUST_NODE_MODULES", ".ci/steps/30-did.sh")
	type vector struct {
		DID    string `json:"did"`
		Scheme string `json:"scheme,omitempty"`
		Msg    string `json:"msg"`
		Sig    string `json:"sig"`
	}
	var req struct {
		Vectors []vector `json:"vectors"`
		Bad     []string `json:"bad"`
		EdKeys  []string `json:"edKeys"`
	}
	// Ed25519 key encodings for @noble/curves to classify: the hostile
	// catalogue and random 32-byte strings (about half of them points).
	for _, c := range loadHostileEd25519(t) {
		req.EdKeys = append(req.EdKeys, c.Key)
	}
	for range 64 {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		req.EdKeys = append(req.EdKeys, hex.EncodeToString(b))
	}
	keys := map[string]PublicKey{}
	for i := range 200 {
		s := []Scheme{Ed25519, P256}[i%2]
		k, err := s.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := New(k.Public())
		msg := fmt.Appendf(nil, "reading %d", i)
		sig, _ := k.Sign(msg)
		req.Vectors = append(req.Vectors, vector{DID: d, Msg: hex.EncodeToString(msg), Sig: hex.EncodeToString(sig)})
		keys[d] = k.Public()
	}
	ed, _ := Ed25519.DeriveKey(bytes.Repeat([]byte{1}, 32))
	raw := append([]byte{0xed, 0x01}, ed.Public().Bytes()...)
	enc := func(b []byte) string { return "did:key:z" + base58.Encode(b) }
	req.Bad = []string{
		enc(append([]byte{0xec, 0x01}, raw[2:]...)),                              // x25519-pub: not a signing key
		enc(append([]byte{0x80, 0x24, 0x02}, bytes.Repeat([]byte{0xff}, 32)...)), // x ≥ p
		"did:key:z0OIl",                     // not base58
		"did:key:" + strings.Repeat("z", 3), // nothing in it
	}
	for _, b := range req.Bad {
		if _, err := ResolveKey(b); err == nil {
			t.Fatalf("Go accepts bad DID %s", b)
		}
	}

	var out struct {
		Resolved []struct {
			DID, Scheme, Pub, DIDFromKey, Error string
			SigOK, TamperedOK, OtherMsgOK       bool
		} `json:"resolved"`
		Bad []struct {
			DID      string
			Rejected bool
		} `json:"bad"`
		Generated []vector `json:"generated"`
		EdKeys    []struct {
			Key                        string
			Strict, Zip215, SmallOrder bool
		} `json:"edKeys"`
	}
	jsinterop.Run(t, mods, "testdata/interop/check.mjs", req, &out)
	if len(out.Resolved) != len(req.Vectors) || len(out.Bad) != len(req.Bad) || len(out.Generated) == 0 {
		t.Fatalf("node answered %d/%d/%d items", len(out.Resolved), len(out.Bad), len(out.Generated))
	}
	for _, r := range out.Resolved {
		k := keys[r.DID]
		switch {
		case r.Error != "":
			t.Errorf("%s: key-did-resolver: %s", r.DID, r.Error)
		case r.Scheme != k.Scheme().Name() || r.Pub != hex.EncodeToString(k.Bytes()):
			t.Errorf("%s: JS resolves %s key %s", r.DID, r.Scheme, r.Pub)
		case r.DIDFromKey != r.DID:
			t.Errorf("%s: JS encodes the key as %s", r.DID, r.DIDFromKey)
		case !r.SigOK:
			t.Errorf("%s: @noble/curves rejects our signature", r.DID)
		case r.TamperedOK || r.OtherMsgOK:
			t.Errorf("%s: @noble/curves accepts a tampered signature", r.DID)
		}
	}
	for _, b := range out.Bad {
		if !b.Rejected {
			t.Errorf("key-did-resolver accepts %s, which we reject", b.DID)
		}
	}
	for _, g := range out.Generated {
		k, err := ResolveKey(g.DID)
		if err != nil || k.Scheme().Name() != g.Scheme {
			t.Errorf("JS DID %s: %v", g.DID, err)
			continue
		}
		msg, _ := hex.DecodeString(g.Msg)
		sig, _ := hex.DecodeString(g.Sig)
		if !k.Verify(msg, sig) {
			t.Errorf("JS %s signature by %s rejected", g.Scheme, g.DID)
		}
	}
	if len(out.EdKeys) != len(req.EdKeys) {
		t.Fatalf("node classified %d of %d Ed25519 keys", len(out.EdKeys), len(req.EdKeys))
	}
	weak := 0
	for _, e := range out.EdKeys {
		key, _ := hex.DecodeString(e.Key)
		_, err := Ed25519.UnmarshalPublicKey(key)
		switch {
		case e.Strict && !e.SmallOrder:
			if err != nil {
				t.Errorf("%s: an honest key to @noble/curves, refused here: %v", e.Key, err)
			}
		case e.Zip215:
			weak++
			if !errors.Is(err, ErrWeakKey) {
				t.Errorf("%s: @noble/curves: strict %v, small order %v; here %v, want ErrWeakKey", e.Key, e.Strict, e.SmallOrder, err)
			}
		default:
			if err == nil || errors.Is(err, ErrWeakKey) {
				t.Errorf("%s: not a point to @noble/curves; here %v, want ErrInvalidKey", e.Key, err)
			}
		}
	}
	t.Logf("%d DIDs resolved and signatures verified by JavaScript, %d JavaScript DIDs and signatures verified here, %d malformed DIDs rejected by both, %d Ed25519 encodings classified alike (%d weak)",
		len(out.Resolved), len(out.Generated), len(out.Bad), len(out.EdKeys), weak)
}
