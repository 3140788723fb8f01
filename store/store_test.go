package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
)

func TestRoundTrip(t *testing.T) {
	gw := testIdentity(t, 1)
	for _, h := range []canon.HashFunc{0, canon.BLAKE3, canon.SHA256} {
		s, dir := openStore(t, Options{Hash: h})
		for _, n := range []int{0, 1, 63, 4096, 1 << 20} {
			t.Run(fmt.Sprintf("%s/%d", h, n), func(t *testing.T) {
				plain := bytes.Repeat([]byte{byte(n), 0xa5}, n/2+n%2)[:n]
				c, err := s.Put(bg, plain, gw.Recipient())
				if err != nil {
					t.Fatal(err)
				}
				want := h
				if want == 0 {
					want = canon.BLAKE3
				}
				if c.Version() != 1 || c.Type() != cid.Raw || c.Prefix().MhType != want.MultihashCode() {
					t.Fatalf("CID %s has prefix %+v", c, c.Prefix())
				}
				got, err := s.Get(bg, c, gw)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, plain) {
					t.Fatal("plaintext differs")
				}
				blob, _ := paths(t, dir, c)
				stored := readFile(t, blob)
				if len(stored) != n+blobOverhead {
					t.Fatalf("stored %d bytes for %d", len(stored), n)
				}
				if n >= 16 && bytes.Contains(stored, plain[:16]) {
					t.Fatal("plaintext visible in the stored blob")
				}
				if cidOf(want, stored) != c {
					t.Fatal("CID is not the hash of the stored file")
				}
				info, err := s.Stat(bg, c)
				if err != nil || info.Size != int64(len(stored)) || len(info.Recipients) != 1 || info.Recipients[0] != gw.Recipient().ID() {
					t.Fatalf("Stat = %+v, %v", info, err)
				}
			})
		}
	}
}

func TestSamePlaintextTwoCIDs(t *testing.T) {
	s, _ := openStore(t, Options{})
	gw := testIdentity(t, 1)
	a, err := s.Put(bg, []byte("same"), gw.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(bg, []byte("same"), gw.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("two seals of one plaintext share a CID")
	}
}

func TestGrantRevoke(t *testing.T) {
	s, dir := openStore(t, Options{})
	gw, buyer, other := testIdentity(t, 1), testIdentity(t, 2), testIdentity(t, 3)
	plain := []byte(`{"device":"truck-7","temp_mC":4210}` + "\n")
	c, err := s.Put(bg, plain, gw.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	blobPath, _ := paths(t, dir, c)
	blobBefore := readFile(t, blobPath)

	if _, err := s.Get(bg, c, buyer); !errors.Is(err, ErrNotRecipient) {
		t.Fatalf("buyer before grant: %v", err)
	}
	if err := s.Grant(bg, c, gw, buyer.Recipient()); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(bg, c, buyer)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("buyer after grant: %q, %v", got, err)
	}
	if !bytes.Equal(readFile(t, blobPath), blobBefore) {
		t.Fatal("Grant rewrote the blob")
	}
	// Idempotent.
	if err := s.Grant(bg, c, gw, buyer.Recipient()); err != nil {
		t.Fatal(err)
	}
	if info, _ := s.Stat(bg, c); len(info.Recipients) != 2 {
		t.Fatalf("recipients after a repeated grant: %d", len(info.Recipients))
	}
	// A buyer can pass access on (it holds the data key anyway).
	if err := s.Grant(bg, c, buyer, other.Recipient()); err != nil {
		t.Fatal(err)
	}
	// Someone without a wrapping cannot grant, whoever the grantee is: the
	// owner is checked before anything else, so a stranger neither gets nil
	// for a current recipient nor learns who is one.
	stranger := testIdentity(t, 9)
	for name, to := range map[string]Recipient{
		"a new recipient":     testIdentity(t, 10).Recipient(),
		"a current recipient": buyer.Recipient(),
		"the owner":           gw.Recipient(),
		"itself":              stranger.Recipient(),
	} {
		if err := s.Grant(bg, c, stranger, to); !errors.Is(err, ErrNotRecipient) {
			t.Fatalf("grant by a stranger to %s: %v", name, err)
		}
	}

	if err := s.Revoke(bg, c, buyer.Recipient().ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(bg, c, buyer); !errors.Is(err, ErrNotRecipient) {
		t.Fatalf("buyer after revoke: %v", err)
	}
	if err := s.Revoke(bg, c, buyer.Recipient().ID()); !errors.Is(err, ErrNotRecipient) {
		t.Fatalf("second revoke: %v", err)
	}
	for _, id := range []Identity{gw, other} {
		if got, err := s.Get(bg, c, id); err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("remaining recipient: %v", err)
		}
	}
	if err := s.Revoke(bg, c, other.Recipient().ID()); err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(bg, c, gw.Recipient().ID()); !errors.Is(err, ErrLastRecipient) {
		t.Fatalf("revoke of the last recipient: %v", err)
	}
	if !bytes.Equal(readFile(t, blobPath), blobBefore) {
		t.Fatal("Revoke rewrote the blob")
	}
	if got, err := s.Get(bg, c, gw); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("owner after revokes: %v", err)
	}
}

func TestRecipientLimits(t *testing.T) {
	s, _ := openStore(t, Options{MaxRecipients: 2})
	a, b, c3 := testIdentity(t, 1), testIdentity(t, 2), testIdentity(t, 3)
	if _, err := s.Put(bg, []byte("x"), a.Recipient(), b.Recipient(), c3.Recipient()); !errors.Is(err, ErrTooManyRecipients) {
		t.Fatalf("Put to 3 with limit 2: %v", err)
	}
	// Repeats count once.
	c, err := s.Put(bg, []byte("x"), a.Recipient(), b.Recipient(), a.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := s.Stat(bg, c); len(info.Recipients) != 2 {
		t.Fatalf("%d recipients", len(info.Recipients))
	}
	if err := s.Grant(bg, c, a, c3.Recipient()); !errors.Is(err, ErrTooManyRecipients) {
		t.Fatalf("Grant past the limit: %v", err)
	}
	// A stranger is refused as a stranger, not for the limit.
	if err := s.Grant(bg, c, c3, testIdentity(t, 4).Recipient()); !errors.Is(err, ErrNotRecipient) {
		t.Fatalf("Grant by a stranger at the limit: %v", err)
	}
	if _, err := s.Put(bg, []byte("x")); !errors.Is(err, ErrNoRecipients) {
		t.Fatalf("Put without recipients: %v", err)
	}
	if _, err := s.Put(bg, []byte("x"), Recipient{}); !errors.Is(err, ErrBadKey) {
		t.Fatalf("Put to the zero Recipient: %v", err)
	}
	if err := s.Grant(bg, c, a, Recipient{}); !errors.Is(err, ErrBadKey) {
		t.Fatalf("Grant to the zero Recipient: %v", err)
	}
	if err := s.Grant(bg, c, Identity{}, c3.Recipient()); !errors.Is(err, ErrBadKey) {
		t.Fatalf("Grant by the zero Identity: %v", err)
	}
	if _, err := s.Get(bg, c, Identity{}); !errors.Is(err, ErrBadKey) {
		t.Fatalf("Get with the zero Identity: %v", err)
	}
}

func TestMaxBlobSize(t *testing.T) {
	dir := t.TempDir()
	gw := testIdentity(t, 1)
	big, err := Open(dir, Options{MaxBlobSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := big.Put(bg, make([]byte, 1001), gw.Recipient()); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Put above the bound: %v", err)
	}
	c, err := big.Put(bg, make([]byte, 1000), gw.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	big.Close()
	small, err := Open(dir, Options{MaxBlobSize: 999})
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	if _, err := small.Get(bg, c, gw); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Get of a blob above the bound: %v", err)
	}
}

func TestOptions(t *testing.T) {
	for _, o := range []Options{
		{Hash: 3}, {MaxBlobSize: -1}, {MaxBlobSize: MaxBlobSizeLimit + 1},
		{MaxRecipients: -1}, {MaxRecipients: MaxRecipientsLimit + 1},
	} {
		if _, err := Open(t.TempDir(), o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("Open(%+v): %v", o, err)
		}
	}
	if _, err := New(nil, Options{}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("New(nil): %v", err)
	}
	if _, err := Open("", Options{}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf(`Open(""): %v`, err)
	}
}

func TestLockAndClose(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v", err)
	}
	gw := testIdentity(t, 1)
	c, err := s.Put(bg, []byte("kept"), gw.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(bg, c, gw); !errors.Is(err, ErrClosed) {
		t.Fatalf("Get after Close: %v", err)
	}
	// A temp file left by a crash is cleared on the next Open.
	writeFile(t, filepath.Join(dir, tmpDirName, "put-123"), []byte("torn"))
	s2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, err := s2.Get(bg, c, gw); err != nil || string(got) != "kept" {
		t.Fatalf("after reopen: %q %v", got, err)
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, tmpDirName)); len(ents) != 0 {
		t.Fatalf("temp files survive Open: %v", ents)
	}
}

func TestContextCanceled(t *testing.T) {
	s, _ := openStore(t, Options{})
	gw := testIdentity(t, 1)
	c, _ := s.Put(bg, []byte("x"), gw.Recipient())
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if _, err := s.Put(ctx, []byte("x"), gw.Recipient()); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, c, gw); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, c); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}

// TestBadCIDs: CIDs this package never makes are refused by every method
// before the backend is asked.
func TestBadCIDs(t *testing.T) {
	s, _ := openStore(t, Options{})
	gw := testIdentity(t, 1)
	sum := func(code uint64, n int) mh.Multihash {
		m, err := mh.Encode(make([]byte, n), code)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	v0, _ := cid.Decode("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n")
	cases := map[string]cid.Cid{
		"undefined":        cid.Undef,
		"CIDv0":            v0,
		"dag-cbor codec":   cid.NewCidV1(cid.DagCBOR, sum(mh.BLAKE3, 32)),
		"identity hash":    cid.NewCidV1(cid.Raw, sum(mh.IDENTITY, 4)),
		"sha2-512":         cid.NewCidV1(cid.Raw, sum(mh.SHA2_512, 64)),
		"short blake3":     cid.NewCidV1(cid.Raw, sum(mh.BLAKE3, 16)),
		"sha3-256":         cid.NewCidV1(cid.Raw, sum(mh.SHA3_256, 32)),
		"dag-pb codec v1":  cid.NewCidV1(cid.DagProtobuf, sum(mh.SHA2_256, 32)),
		"blake3 64 digest": cid.NewCidV1(cid.Raw, sum(mh.BLAKE3, 64)),
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Get(bg, c, gw); !errors.Is(err, ErrBadCID) {
				t.Errorf("Get: %v", err)
			}
			if err := s.Grant(bg, c, gw, gw.Recipient()); !errors.Is(err, ErrBadCID) {
				t.Errorf("Grant: %v", err)
			}
			if err := s.Revoke(bg, c, gw.Recipient().ID()); !errors.Is(err, ErrBadCID) {
				t.Errorf("Revoke: %v", err)
			}
			if err := s.Delete(bg, c); !errors.Is(err, ErrBadCID) {
				t.Errorf("Delete: %v", err)
			}
			if _, err := s.Stat(bg, c); !errors.Is(err, ErrBadCID) {
				t.Errorf("Stat: %v", err)
			}
		})
	}
	// Well-formed but never stored.
	absent := cidOf(canon.BLAKE3, []byte("absent"))
	if _, err := s.Get(bg, absent, gw); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get of an absent CID: %v", err)
	}
	if err := s.Grant(bg, absent, gw, gw.Recipient()); !errors.Is(err, ErrNotFound) {
		t.Errorf("Grant on an absent CID: %v", err)
	}
	if err := s.Revoke(bg, absent, gw.Recipient().ID()); !errors.Is(err, ErrNotFound) {
		t.Errorf("Revoke on an absent CID: %v", err)
	}
	if err := s.Delete(bg, absent); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete of an absent CID: %v", err)
	}
}

// snapshot maps every file under dir to its contents.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		m[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDelete: Delete erases the blob and its envelope and nothing else; an
// inclusion proof of a reading of the deleted batch (what evidence holds)
// still verifies against the root (what is anchored).
func TestDelete(t *testing.T) {
	s, dir := openStore(t, Options{})
	gw, buyer := testIdentity(t, 1), testIdentity(t, 2)
	var leaves [][]byte
	var batch []byte
	for i := range 8 {
		l := fmt.Appendf(nil, `{"device":"truck-7","seq":%d,"temp_mC":%d}`, i, 4000+i)
		leaves = append(leaves, l)
		batch = append(append(batch, l...), '\n')
	}
	tree := merkle.NewTree(merkle.BLAKE3, leaves)
	root := tree.Root()
	proof, err := tree.InclusionProof(3)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Put(bg, batch, gw.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Grant(bg, c, gw, buyer.Recipient()); err != nil {
		t.Fatal(err)
	}
	keep, err := s.Put(bg, []byte("another batch"), gw.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	blobPath, envPath := paths(t, dir, c)

	if err := s.Delete(bg, c); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, dir)
	for p, v := range before {
		if p == blobPath || p == envPath {
			if _, ok := after[p]; ok {
				t.Errorf("%s survives Delete", p)
			}
			continue
		}
		if after[p] != v {
			t.Errorf("Delete touched %s", p)
		}
	}
	if len(after) != len(before)-2 {
		t.Errorf("%d files before, %d after", len(before), len(after))
	}
	for _, id := range []Identity{gw, buyer} {
		if _, err := s.Get(bg, c, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get after Delete: %v", err)
		}
	}
	if _, err := s.Stat(bg, c); !errors.Is(err, ErrNotFound) {
		t.Errorf("Stat after Delete: %v", err)
	}
	if err := s.Delete(bg, c); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: %v", err)
	}
	if _, err := s.Get(bg, keep, gw); err != nil {
		t.Errorf("other blob after Delete: %v", err)
	}
	if err := proof.Verify(merkle.BLAKE3.HashLeaf(leaves[3]), root); err != nil {
		t.Errorf("evidence after Delete: %v", err)
	}

	// A Delete interrupted after the envelope went is finished by the next.
	c2, _ := s.Put(bg, []byte("half"), gw.Recipient())
	b2, e2 := paths(t, dir, c2)
	if err := os.Remove(e2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(bg, c2, gw); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get without envelope: %v", err)
	}
	if err := s.Delete(bg, c2); err != nil {
		t.Fatalf("Delete of a half-deleted blob: %v", err)
	}
	if _, err := os.Stat(b2); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("blob survives: %v", err)
	}
}

// TestConcurrent: Put, Get, Grant, Revoke and Stat from many goroutines
// (run with -race). Concurrent Grants on one blob lose none.
func TestConcurrent(t *testing.T) {
	s, _ := openStore(t, Options{MaxRecipients: 64})
	gw := testIdentity(t, 1)
	shared, err := s.Put(bg, []byte("shared"), gw.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*10)
	buyers := make([]Identity, workers)
	for w := range workers {
		buyers[w] = testIdentity(t, byte(100+w))
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				plain := fmt.Appendf(nil, "worker %d blob %d", w, i)
				c, err := s.Put(bg, plain, gw.Recipient())
				if err != nil {
					errs <- err
					return
				}
				got, err := s.Get(bg, c, gw)
				if err != nil || !bytes.Equal(got, plain) {
					errs <- fmt.Errorf("get: %q %v", got, err)
					return
				}
				if _, err := s.Get(bg, shared, gw); err != nil {
					errs <- err
				}
				if _, err := s.Stat(bg, shared); err != nil {
					errs <- err
				}
			}
			if err := s.Grant(bg, shared, gw, buyers[w].Recipient()); err != nil {
				errs <- err
			}
			if _, err := s.Get(bg, shared, buyers[w]); err != nil {
				errs <- err
			}
			if w%2 == 1 {
				if err := s.Revoke(bg, shared, buyers[w].Recipient().ID()); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	info, err := s.Stat(bg, shared)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Recipients) != 1+workers/2 {
		t.Fatalf("%d recipients after %d grants and %d revokes", len(info.Recipients), workers, workers/2)
	}
	for w := range workers {
		_, err := s.Get(bg, shared, buyers[w])
		if (w%2 == 0) != (err == nil) {
			t.Errorf("buyer %d: %v", w, err)
		}
	}
}

// TestFSBackendRefusesTempNames: the filesystem backend's temp folder,
// which Open empties, is not a place for objects.
func TestFSBackendRefusesTempNames(t *testing.T) {
	b, err := openFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, name := range []string{"tmp", "tmp/x", "tmp/00/y"} {
		if err := b.Put(bg, name, []byte("x")); err == nil {
			t.Errorf("Put(%q) accepted", name)
		}
	}
	if err := b.Put(bg, "blob/00/x", []byte("x")); err != nil {
		t.Error(err)
	}
}
