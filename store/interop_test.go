package store

import (
	"bytes"
	"encoding/hex"
	"io"
	"testing"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/jsinterop"
)

// TestInteropJS checks blobs and CIDs against independent JavaScript
// implementations (multiformats, @noble/hashes, @noble/ciphers): node
// recomputes and parses the CIDs of blobs this package stored, checks their
// key commitments and decrypts them with the data key; and it seals blobs
// of its own that this package must open under the CIDs node computed. It
// runs when IOTRUST_NODE_MODULES names a node_modules folder holding those
// packages, as .ci/steps/75-store.sh arranges; CI sets
// IOTRUST_REQUIRE_INTEROP so a missing toolchain fails instead of skipping.
func TestInteropJS(t *testing.T) {
	mods := jsinterop.Modules(t, "IOTRUST_NODE_MODULES", ".ci/steps/75-store.sh")
	type readItem struct {
		Blob    string `json:"blob"`
		CID     string `json:"cid"`
		DataKey string `json:"dataKey"`
	}
	type sealItem struct {
		Plaintext string `json:"plaintext"`
		DataKey   string `json:"dataKey"`
		Nonce     string `json:"nonce"`
		Code      uint64 `json:"code"`
	}
	var req struct {
		Read []readItem `json:"read"`
		Seal []sealItem `json:"seal"`
	}
	var plains [][]byte
	gw := testIdentity(t, 1)
	r := seeded(42)
	for i, n := range []int{0, 1, 15, 16, 17, 64, 1000, 4096, 65537} {
		h := canon.BLAKE3
		if i%2 == 1 {
			h = canon.SHA256
		}
		plain := make([]byte, n)
		r.Read(plain)
		plains = append(plains, plain)
		// A Store whose randomness is known: Put's first read is the data
		// key followed by the nonce.
		dir := t.TempDir()
		s, err := Open(dir, Options{Hash: h, Rand: seeded(byte(i))})
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Put(bg, plain, gw.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		var key [dataKeySize]byte
		io.ReadFull(seeded(byte(i)), key[:])
		blob, _ := paths(t, dir, c)
		req.Read = append(req.Read, readItem{hex.EncodeToString(readFile(t, blob)), c.String(), hex.EncodeToString(key[:])})

		k, nonce := make([]byte, dataKeySize), make([]byte, nonceSize)
		r.Read(k)
		r.Read(nonce)
		req.Seal = append(req.Seal, sealItem{hex.EncodeToString(plain), hex.EncodeToString(k), hex.EncodeToString(nonce), h.MultihashCode()})
	}
	var out struct {
		Read []struct {
			CID         string `json:"cid"`
			ParsedEqual bool   `json:"parsedEqual"`
			Version     int    `json:"version"`
			Codec       int    `json:"codec"`
			CommitOK    bool   `json:"commitOK"`
			Plaintext   string `json:"plaintext"`
		} `json:"read"`
		Sealed []struct {
			Blob string `json:"blob"`
			CID  string `json:"cid"`
		} `json:"sealed"`
	}
	jsinterop.Run(t, mods, "testdata/interop/check.mjs", req, &out)
	if len(out.Read) != len(req.Read) || len(out.Sealed) != len(req.Seal) {
		t.Fatalf("node answered %d/%d items", len(out.Read), len(out.Sealed))
	}
	for i, got := range out.Read {
		if got.CID != req.Read[i].CID || !got.ParsedEqual || got.Version != 1 || got.Codec != 0x55 {
			t.Fatalf("blob %d: go CID %s, node %+v", i, req.Read[i].CID, got)
		}
		if !got.CommitOK {
			t.Fatalf("blob %d: key commitment differs", i)
		}
		if got.Plaintext != hex.EncodeToString(plains[i]) {
			t.Fatalf("blob %d: node decrypts another plaintext", i)
		}
	}
	for i, got := range out.Sealed {
		blob, _ := hex.DecodeString(got.Blob)
		h := canon.BLAKE3
		if req.Seal[i].Code == canon.MultihashSHA256 {
			h = canon.SHA256
		}
		if c := cidOf(h, blob).String(); c != got.CID {
			t.Fatalf("node blob %d: CID %s here, %s in node", i, c, got.CID)
		}
		hd, err := parseBlob(blob)
		if err != nil {
			t.Fatalf("node blob %d: %v", i, err)
		}
		k, _ := hex.DecodeString(req.Seal[i].DataKey)
		pt, err := openBlob(hd, k)
		if err != nil || !bytes.Equal(pt, plains[i]) {
			t.Fatalf("node blob %d does not open: %v", i, err)
		}
	}
	t.Logf("interop: %d stored blobs and %d node-sealed blobs agree with multiformats and @noble", len(out.Read), len(out.Sealed))
}
