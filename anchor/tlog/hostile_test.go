package tlog_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/tessera"
	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/merkle"
)

const hostileOrigin = "hostile.example/log"

// offlineLog makes signed checkpoints and receipts for a tree of the
// given commitments without running a log: the shape is RFC 6962, which
// merkle.SHA256 computes independently of Tessera.
type offlineLog struct {
	signer note.Signer
	v      *tlog.Verifier
	cs     []anchor.Commitment
	tree   *merkle.Tree
}

func newOfflineLog(t testing.TB, n int) *offlineLog {
	t.Helper()
	s, nv, err := tlog.NewEd25519Signer(hostileOrigin, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	v, err := tlog.NewVerifier(nv)
	if err != nil {
		t.Fatal(err)
	}
	o := &offlineLog{signer: s, v: v}
	var leaves [][]byte
	for i := range n {
		c := anchortest.Commitment(fmt.Sprintf("hostile-%d", i))
		enc, err := c.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		o.cs = append(o.cs, c)
		leaves = append(leaves, enc)
	}
	o.tree = merkle.NewTree(merkle.SHA256, leaves)
	return o
}

func (o *offlineLog) body() string {
	root := o.tree.Root()
	return fmt.Sprintf("%s\n%d\n%s\n", hostileOrigin, o.tree.Size(), base64.StdEncoding.EncodeToString(root[:]))
}

func (o *offlineLog) sign(t testing.TB, body string, signers ...note.Signer) []byte {
	t.Helper()
	if len(signers) == 0 {
		signers = []note.Signer{o.signer}
	}
	b, err := note.Sign(&note.Note{Text: body}, signers...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (o *offlineLog) proof(t testing.TB, i uint64, cp []byte) tlog.InclusionProof {
	t.Helper()
	p, err := o.tree.InclusionProof(i)
	if err != nil {
		t.Fatal(err)
	}
	ip := tlog.InclusionProof{Index: i, TreeSize: o.tree.Size(), Checkpoint: cp}
	for _, h := range p.Path {
		ip.Hashes = append(ip.Hashes, h)
	}
	return ip
}

func (o *offlineLog) receipt(t testing.TB, i uint64) anchor.Receipt {
	t.Helper()
	pb, err := o.proof(t, i, o.sign(t, o.body())).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := o.cs[i].MarshalBinary()
	lh := merkle.SHA256.HashLeaf(enc)
	return anchor.Receipt{Ledger: tlog.LedgerName, Chain: hostileOrigin, Commitment: o.cs[i], Position: i,
		TxID: hex.EncodeToString(lh[:]), Time: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), State: anchor.Final, Proof: pb}
}

// hostileCheckpoints is the catalogue of checkpoints a Verifier must
// refuse; each must match ErrBadCheckpoint.
func hostileCheckpoints(t testing.TB, o *offlineLog) map[string][]byte {
	body := o.body()
	lines := strings.SplitN(body, "\n", 4)
	good := o.sign(t, body)
	_, otherKey, _ := ed25519.GenerateKey(nil)
	otherSigner, _, _ := tlog.NewEd25519Signer(hostileOrigin, otherKey)
	flipped := bytes.Clone(good)
	flipped[len(flipped)-5] ^= 1
	// The log's signature line is 68 bytes in base64 ("…X=\n"): the last
	// character before the padding carries two unused bits. Setting one
	// spells the same signature another way.
	padBits := bytes.Clone(good)
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	if i := len(padBits) - 3; padBits[i+1] == '=' {
		padBits[i] = alphabet[strings.IndexByte(alphabet, padBits[i])^1]
	} else {
		t.Fatalf("signature line does not end in one padding character: %q", padBits[len(padBits)-8:])
	}
	return map[string][]byte{
		"signature padding bits set": padBits,
		"size with a plus sign":      o.sign(t, lines[0]+"\n+"+lines[1]+"\n"+lines[2]+"\n"),
		"size with a leading zero":   o.sign(t, lines[0]+"\n0"+lines[1]+"\n"+lines[2]+"\n"),
		"root of 3 bytes":            o.sign(t, lines[0]+"\n"+lines[1]+"\nAAAA\n"),
		"root not base64":            o.sign(t, lines[0]+"\n"+lines[1]+"\n!!!!\n"),
		"another origin":             o.sign(t, "other.example/log\n"+lines[1]+"\n"+lines[2]+"\n"),
		"origin in another case":     o.sign(t, strings.ToUpper(lines[0])+"\n"+lines[1]+"\n"+lines[2]+"\n"),
		"extension line":             o.sign(t, body+"ext\n"),
		"CRLF line endings":          []byte(strings.ReplaceAll(string(good), "\n", "\r\n")),
		"signed by another key":      o.sign(t, body, otherSigner),
		"signature bit flipped":      flipped,
		"no signature":               []byte(body + "\n"),
		"body only":                  []byte(body),
		"empty":                      nil,
		"over MaxCheckpointLen":      append(bytes.Clone(good), bytes.Repeat([]byte("— x AAAA\n"), tlog.MaxCheckpointLen/8)...),
		"garbage after signatures":   append(bytes.Clone(good), "trailing"...),
		"two bodies in one note":     o.sign(t, body+body),
		"negative size":              o.sign(t, lines[0]+"\n-"+lines[1]+"\n"+lines[2]+"\n"),
		"size beyond uint64":         o.sign(t, lines[0]+"\n18446744073709551616\n"+lines[2]+"\n"),
		"invalid UTF-8 in origin":    o.sign(t, "hostile.example/log\xff\n"+lines[1]+"\n"+lines[2]+"\n"),
		"missing trailing newline":   []byte(strings.Replace(string(good), lines[2]+"\n", lines[2], 1)),
	}
}

func TestHostileCheckpoints(t *testing.T) {
	o := newOfflineLog(t, 3)
	if _, err := o.v.ParseCheckpoint(o.sign(t, o.body())); err != nil {
		t.Fatalf("the catalogue's base checkpoint: %v", err)
	}
	for name, raw := range hostileCheckpoints(t, o) {
		if _, err := o.v.ParseCheckpoint(raw); !errors.Is(err, tlog.ErrBadCheckpoint) {
			t.Errorf("%s: %v, want ErrBadCheckpoint", name, err)
		}
	}
	// A witness policy: a checkpoint without the witness's cosignature.
	wSkey, wVkey, _ := note.GenerateKey(nil, "witness.example/w")
	_ = wSkey
	wv, _ := note.NewVerifier(wVkey)
	strict, err := o.v.RequireWitnesses(1, wv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strict.ParseCheckpoint(o.sign(t, o.body())); !errors.Is(err, tlog.ErrBadCheckpoint) {
		t.Errorf("uncosigned checkpoint under a witness policy: %v, want ErrBadCheckpoint", err)
	}
}

// hostileProofs is the catalogue of proof encodings UnmarshalBinary must
// refuse with ErrBadProof.
func hostileProofs(t testing.TB, o *offlineLog) map[string][]byte {
	good, err := o.proof(t, 1, []byte("cp\n")).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// Layout: version, index, size, count, hashes, checkpoint length, checkpoint.
	n := int(good[17])
	set := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	return map[string][]byte{
		"empty":                {},
		"version only":         {1},
		"version 2":            set(func(b []byte) []byte { b[0] = 2; return b }),
		"index at tree size":   set(func(b []byte) []byte { binary.BigEndian.PutUint64(b[1:], 3); return b }),
		"index beyond size":    set(func(b []byte) []byte { binary.BigEndian.PutUint64(b[1:], 1<<40); return b }),
		"tree size zero":       set(func(b []byte) []byte { binary.BigEndian.PutUint64(b[9:], 0); return b }),
		"one hash too few":     append(append(append([]byte{}, good[:17]...), byte(n-1)), good[18+32:]...),
		"one hash too many":    append(append(append(append([]byte{}, good[:17]...), byte(n+1)), make([]byte, 32)...), good[18:]...),
		"65 hashes":            append(append(append([]byte{}, good[:17]...), 65), make([]byte, 65*32+2)...),
		"truncated hashes":     good[:18+16],
		"no checkpoint length": good[:18+32*n],
		"checkpoint truncated": good[:len(good)-1],
		"trailing byte":        append(bytes.Clone(good), 0),
		"checkpoint too long":  append(append(append([]byte{}, good[:18+32*n]...), 0xff, 0xff), make([]byte, 0xffff)...),
	}
}

func TestHostileProofs(t *testing.T) {
	o := newOfflineLog(t, 3)
	for name, b := range hostileProofs(t, o) {
		var p tlog.InclusionProof
		if err := p.UnmarshalBinary(b); !errors.Is(err, tlog.ErrBadProof) {
			t.Errorf("%s: %v, want ErrBadProof", name, err)
		}
	}
}

// hostileReceipts is the catalogue of receipts VerifyReceipt must refuse
// with anchor.ErrBadReceipt: each changes one thing of a valid receipt.
func hostileReceipts(t testing.TB, o *offlineLog) map[string]anchor.Receipt {
	good := o.receipt(t, 1)
	edit := func(f func(r *anchor.Receipt)) anchor.Receipt {
		r := good
		r.Proof = bytes.Clone(good.Proof)
		f(&r)
		return r
	}
	otherTree := func(i uint64, p tlog.InclusionProof) []byte {
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cp := o.sign(t, o.body())
	return map[string]anchor.Receipt{
		"state relabelled included":   edit(func(r *anchor.Receipt) { r.State = anchor.Included }),
		"state relabelled pending":    edit(func(r *anchor.Receipt) { r.State = anchor.Pending }),
		"state zero":                  edit(func(r *anchor.Receipt) { r.State = 0 }),
		"no proof":                    edit(func(r *anchor.Receipt) { r.Proof = nil }),
		"another ledger":              edit(func(r *anchor.Receipt) { r.Ledger = "evm" }),
		"another chain":               edit(func(r *anchor.Receipt) { r.Chain = "other.example/log" }),
		"position moved":              edit(func(r *anchor.Receipt) { r.Position = 2 }),
		"txid not the leaf hash":      edit(func(r *anchor.Receipt) { r.TxID = strings.Repeat("0", 64) }),
		"txid in upper case":          edit(func(r *anchor.Receipt) { r.TxID = strings.ToUpper(r.TxID) }),
		"commitment count changed":    edit(func(r *anchor.Receipt) { r.Commitment.Count++ }),
		"another anchor's commitment": edit(func(r *anchor.Receipt) { r.Commitment = o.cs[0] }),
		"invalid commitment":          edit(func(r *anchor.Receipt) { r.Commitment.Topic = "" }),
		"proof hash flipped":          edit(func(r *anchor.Receipt) { r.Proof[20] ^= 1 }),
		"proof of another index": edit(func(r *anchor.Receipt) {
			r.Proof = otherTree(0, o.proof(t, 0, cp))
		}),
		"proof for a smaller tree": edit(func(r *anchor.Receipt) {
			p := o.proof(t, 1, cp)
			p.TreeSize, p.Hashes = 2, p.Hashes[:1]
			r.Proof = otherTree(1, p)
		}),
		"checkpoint of another key": edit(func(r *anchor.Receipt) {
			_, k, _ := ed25519.GenerateKey(nil)
			s, _, _ := tlog.NewEd25519Signer(hostileOrigin, k)
			r.Proof = otherTree(1, o.proof(t, 1, o.sign(t, o.body(), s)))
		}),
		"proof not decodable": edit(func(r *anchor.Receipt) { r.Proof = r.Proof[:10] }),
	}
}

func TestHostileReceipts(t *testing.T) {
	o := newOfflineLog(t, 3)
	good := o.receipt(t, 1)
	if err := o.v.VerifyReceipt(t.Context(), good); err != nil {
		t.Fatalf("the catalogue's base receipt: %v", err)
	}
	for name, r := range hostileReceipts(t, o) {
		err := o.v.VerifyReceipt(t.Context(), r)
		if !errors.Is(err, anchor.ErrBadReceipt) {
			t.Errorf("%s: %v, want ErrBadReceipt", name, err)
		} else if strings.Count(err.Error(), "anchor: ") > 1 || strings.Count(err.Error(), "tlog: ") > 1 {
			t.Errorf("%s: error stutters: %v", name, err)
		}
	}
	// Time is advisory, as VerifyReceipt documents: a backdated receipt
	// verifies, and Verify does not return it among what it proved.
	backdated := good
	backdated.Time = time.Unix(0, 0).UTC()
	cp, err := o.v.Verify(backdated)
	if err != nil {
		t.Fatalf("a receipt with another time: %v (Time is documented as advisory)", err)
	}
	if cp.Size != 3 || !cp.WitnessedBy.IsZero() {
		t.Errorf("Verify returned size %d, witnessed by %v; want 3 and no time without witnesses", cp.Size, cp.WitnessedBy)
	}
}

// TestWitnessedTime: with witnesses required, Verify returns the time by
// which a quorum of them cosigned the checkpoint (c2sp.org/tlog-cosignature
// timestamps) — the authenticated latest time of the anchor.
func TestWitnessedTime(t *testing.T) {
	o := newOfflineLog(t, 2)
	var signers []note.Signer
	var verifiers []note.Verifier
	for i := range 3 {
		skey, _, err := note.GenerateKey(nil, fmt.Sprintf("witness.example/w%d", i))
		if err != nil {
			t.Fatal(err)
		}
		s, err := fnote.NewSignerForCosignatureV1(skey)
		if err != nil {
			t.Fatal(err)
		}
		signers = append(signers, s)
		verifiers = append(verifiers, s.Verifier())
	}
	strict, err := o.v.RequireWitnesses(2, verifiers...)
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().Truncate(time.Second)
	cp := o.sign(t, o.body(), o.signer, signers[0], signers[2])
	after := time.Now()
	r := o.receipt(t, 1)
	p, _ := o.proof(t, 1, cp).MarshalBinary()
	r.Proof = p
	got, err := strict.Verify(r)
	if err != nil {
		t.Fatal(err)
	}
	if got.WitnessedBy.Before(before) || got.WitnessedBy.After(after) {
		t.Errorf("witnessed by %v, signed between %v and %v", got.WitnessedBy, before, after)
	}
	// One cosignature is below the quorum of 2.
	p, _ = o.proof(t, 1, o.sign(t, o.body(), o.signer, signers[1])).MarshalBinary()
	r.Proof = p
	if _, err := strict.Verify(r); !errors.Is(err, anchor.ErrBadReceipt) || !errors.Is(err, tlog.ErrBadCheckpoint) {
		t.Errorf("one cosignature under a 2-of-3 policy: %v", err)
	}
}

// TestOpenTellsIOFromCorruption: storage that cannot be read or written
// is ErrIO; storage that reads but holds the wrong bytes is ErrCorrupt.
func TestOpenTellsIOFromCorruption(t *testing.T) {
	open := func(t *testing.T, dir string) error {
		l, err := tlog.Open(t.Context(), testConfig(t, dir))
		if err == nil {
			l.Close()
		}
		return err
	}
	t.Run("dir is a file", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := open(t, f); !errors.Is(err, tlog.ErrIO) || errors.Is(err, tlog.ErrCorrupt) {
			t.Errorf("Open of a regular file: %v, want ErrIO", err)
		}
	})
	t.Run("index dir is a file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ".iotrust"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := open(t, dir); !errors.Is(err, tlog.ErrIO) || errors.Is(err, tlog.ErrCorrupt) {
			t.Errorf("Open with .iotrust a file: %v, want ErrIO", err)
		}
	})
	t.Run("index locked", func(t *testing.T) {
		dir := t.TempDir()
		l := openTestLog(t, testConfig(t, dir))
		_ = l
		if err := open(t, dir); !errors.Is(err, tlog.ErrIO) || errors.Is(err, tlog.ErrCorrupt) {
			t.Errorf("second Open of a log in use: %v, want ErrIO", err)
		}
	})
	t.Run("index garbage", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, ".iotrust"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, ".iotrust", "index.db"), bytes.Repeat([]byte("garbage!"), 4096), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := open(t, dir); !errors.Is(err, tlog.ErrCorrupt) || errors.Is(err, tlog.ErrIO) {
			t.Errorf("Open with a garbage index: %v, want ErrCorrupt", err)
		}
	})
	t.Run("checkpoint of another key", func(t *testing.T) {
		dir := t.TempDir()
		l, err := tlog.Open(t.Context(), testConfig(t, dir))
		if err != nil {
			t.Fatal(err)
		}
		anchorAll(t, l, "cp")
		l.Close()
		o := newOfflineLog(t, 1)
		raw, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
		if err != nil {
			t.Fatal(err)
		}
		n, err := note.Open(raw, note.VerifierList(testConfig(t, dir).Verifier))
		if err != nil {
			t.Fatal(err)
		}
		_, k, _ := ed25519.GenerateKey(nil)
		s, _, _ := tlog.NewEd25519Signer(testOrigin, k)
		if err := os.WriteFile(filepath.Join(dir, "checkpoint"), o.sign(t, n.Text, s), 0o644); err != nil {
			t.Fatal(err)
		}
		err = open(t, dir)
		if !errors.Is(err, tlog.ErrCorrupt) || errors.Is(err, tlog.ErrIO) {
			t.Errorf("Open with a checkpoint of another key: %v, want ErrCorrupt", err)
		}
	})
}

// TestOpenWithoutWitnesses: a new log whose witnesses cannot be reached
// publishes no checkpoint, and Open says so as ErrIO (the storage is
// fine), not ErrCorrupt.
func TestOpenWithoutWitnesses(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	vkey := cosignatureVerifierKey("witness.example/down", pub)
	u, _ := url.Parse("http://" + freePort(t)) // nobody listens there
	w, err := tessera.NewWitness(vkey, u)
	if err != nil {
		t.Fatal(err)
	}
	g := tessera.NewWitnessGroup(1, w)
	cfg := testConfig(t, t.TempDir())
	cfg.Witnesses = &g
	l, err := tlog.Open(t.Context(), cfg)
	if err == nil {
		l.Close()
		t.Fatal("a log opened although its only witness is unreachable")
	}
	if !errors.Is(err, tlog.ErrIO) || errors.Is(err, tlog.ErrCorrupt) {
		t.Fatalf("unreachable witness: %v, want ErrIO and not ErrCorrupt", err)
	}
}
