package tlog_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/api/layout"
	"github.com/transparency-dev/tessera/client"
	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// Audit a log as an outsider: with nothing but its verifier key (one
// string) and its tiles over HTTP, using standard packages only
// (golang.org/x/mod/sumdb/note, transparency-dev/merkle, Tessera's tile
// client); no iotrust code takes part in the audit.
func Example_audit() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "tlog-audit")
	defer os.RemoveAll(dir)
	_, key, _ := ed25519.GenerateKey(nil)
	signer, verifier, _ := tlog.NewEd25519Signer("example.com/iotrust/audited", key)
	l, err := tlog.Open(ctx, tlog.Config{Dir: dir, Signer: signer, Verifier: verifier,
		CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		panic(err)
	}
	defer l.Close()
	anchorFinal := func(seed string) (index uint64, leafHash string) {
		r, err := l.Anchor(ctx, anchortest.Commitment(seed))
		if err == nil {
			r, err = l.WaitFinal(ctx, r)
		}
		if err != nil {
			panic(err)
		}
		return r.Position, r.TxID // a receipt's TxID is its entry's RFC 6962 leaf hash
	}
	anchorFinal("a")
	index, leaf := anchorFinal("b")
	srv := httptest.NewServer(l.Handler()) // a POSIX log's Dir is the same files, servable as they are
	defer srv.Close()
	vkey := l.VerifierKey() // published by the operator, e.g. beside its did:key

	// The auditor's side: the key, the URL, and a receipt's position and
	// TxID if it wants one entry proven.
	fetch := httpFetcher(srv.URL)
	first, err := audit(ctx, vkey, fetch, nil, index, leaf)
	if err != nil {
		panic(err)
	}
	fmt.Printf("audited tree of size %d: entry %d included\n", first.Size, index)

	index, leaf = anchorFinal("c")
	second, err := audit(ctx, vkey, fetch, &first, index, leaf)
	if err != nil {
		panic(err)
	}
	fmt.Printf("audited tree of size %d: entry %d included, extends size %d\n", second.Size, index, first.Size)

	// Under another key of the same name, the checkpoint does not verify.
	otherPub, _, _ := ed25519.GenerateKey(nil)
	wrongKey, _ := note.NewEd25519VerifierKey("example.com/iotrust/audited", otherPub)
	_, err = audit(ctx, wrongKey, fetch, nil, index, leaf)
	fmt.Println("audit under another key fails:", err != nil)
	// Output:
	// audited tree of size 2: entry 1 included
	// audited tree of size 3: entry 2 included, extends size 2
	// audit under another key fails: true
}

// auditedTree is what an auditor remembers of a log between audits.
type auditedTree struct {
	Size       uint64
	Root       []byte
	Checkpoint []byte
}

// audit checks a log from its verifier key vkey and the tlog-tiles
// resources fetch returns: the checkpoint is signed by vkey; the root
// recomputed from every entry is the checkpoint's; the entry at index has
// the leaf hash leafHex (hex, as in a receipt's TxID; "" skips the check)
// and is included by an RFC 6962 proof; and the tree extends prev, the
// tree of an earlier audit, by a consistency proof.
func audit(ctx context.Context, vkey string, fetch func(ctx context.Context, path string) ([]byte, error), prev *auditedTree, index uint64, leafHex string) (auditedTree, error) {
	// 1. The checkpoint: a signed note whose text is origin, size and root.
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return auditedTree{}, err
	}
	raw, err := fetch(ctx, "checkpoint")
	if err != nil {
		return auditedTree{}, err
	}
	n, err := note.Open(raw, note.VerifierList(v)) // witnesses' cosignatures are ignored here
	if err != nil {
		return auditedTree{}, fmt.Errorf("checkpoint: %w", err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 || lines[0] != v.Name() {
		return auditedTree{}, fmt.Errorf("checkpoint of another log: %q", n.Text)
	}
	size, err := strconv.ParseUint(lines[1], 10, 64)
	if err != nil {
		return auditedTree{}, fmt.Errorf("checkpoint size: %w", err)
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != 32 {
		return auditedTree{}, fmt.Errorf("checkpoint root %q", lines[2])
	}

	// 2. Every entry: bundles of 256 (each entry a big-endian 16-bit
	// length and its bytes), hashed into the tree the checkpoint signs.
	tree := (&compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}).NewEmptyRange(0)
	var leafAtIndex []byte
	for b := uint64(0); b*layout.EntryBundleWidth < size; b++ {
		bundle, err := fetch(ctx, layout.EntriesPath(b, layout.PartialTileSize(0, b, size)))
		if err != nil {
			return auditedTree{}, err
		}
		for len(bundle) > 0 && tree.End() < size {
			if len(bundle) < 2 || len(bundle) < 2+int(binary.BigEndian.Uint16(bundle)) {
				return auditedTree{}, fmt.Errorf("entry bundle %d truncated", b)
			}
			entry := bundle[2 : 2+int(binary.BigEndian.Uint16(bundle))]
			bundle = bundle[2+len(entry):]
			leaf := rfc6962.DefaultHasher.HashLeaf(entry)
			if tree.End() == index {
				leafAtIndex = leaf
			}
			if err := tree.Append(leaf, nil); err != nil {
				return auditedTree{}, err
			}
		}
	}
	if tree.End() != size {
		return auditedTree{}, fmt.Errorf("the bundles hold %d entries, the checkpoint says %d", tree.End(), size)
	}
	if got, err := tree.GetRootHash(nil); size > 0 && (err != nil || !bytes.Equal(got, root)) {
		return auditedTree{}, fmt.Errorf("entries hash to %x, checkpoint says %x", got, root)
	}

	// 3. Proofs from the hash tiles: inclusion of the entry at index, and
	// consistency with the tree audited before.
	pb, err := client.NewProofBuilder(ctx, size, func(ctx context.Context, level, i uint64, p uint8) ([]byte, error) {
		return fetch(ctx, layout.TilePath(level, i, p))
	})
	if err != nil {
		return auditedTree{}, err
	}
	if leafHex != "" {
		if hex.EncodeToString(leafAtIndex) != leafHex {
			return auditedTree{}, fmt.Errorf("entry %d has leaf hash %x, not %s", index, leafAtIndex, leafHex)
		}
		hashes, err := pb.InclusionProof(ctx, index)
		if err != nil {
			return auditedTree{}, err
		}
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, index, size, leafAtIndex, hashes, root); err != nil {
			return auditedTree{}, fmt.Errorf("inclusion of %d: %w", index, err)
		}
	}
	if prev != nil {
		if size < prev.Size {
			return auditedTree{}, fmt.Errorf("log shrank from %d to %d", prev.Size, size)
		}
		var hashes [][]byte
		if prev.Size > 0 && prev.Size < size {
			if hashes, err = pb.ConsistencyProof(ctx, prev.Size, size); err != nil {
				return auditedTree{}, err
			}
		}
		if err := proof.VerifyConsistency(rfc6962.DefaultHasher, prev.Size, size, hashes, prev.Root, root); err != nil {
			return auditedTree{}, fmt.Errorf("tree of size %d does not extend the one of size %d: %w", size, prev.Size, err)
		}
	}
	return auditedTree{Size: size, Root: root, Checkpoint: raw}, nil
}

// httpFetcher reads tlog-tiles resources under base over HTTP.
func httpFetcher(base string) func(ctx context.Context, path string) ([]byte, error) {
	return func(ctx context.Context, path string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/"+path, nil)
		if err != nil {
			return nil, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	}
}
