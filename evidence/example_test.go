package evidence_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/reading"
)

// A gateway seals three signed readings into a batch, anchors its
// commitment on a transparency log and hands out the evidence for one
// reading; an auditor checks it offline with the log's public key alone.
func Example() {
	ctx := context.Background()

	// The ledger: a Tessera log in a directory, signed by the operator.
	dir, _ := os.MkdirTemp("", "evidence-example")
	defer os.RemoveAll(dir)
	logKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	signer, noteVerifier, _ := tlog.NewEd25519Signer("example.com/anchors", logKey)
	log, err := tlog.Open(ctx, tlog.Config{Dir: dir, Signer: signer, Verifier: noteVerifier,
		CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		panic(err)
	}
	defer log.Close()

	// Gateway: signed readings, their Merkle tree, the commitment, the receipt.
	devKey, _ := did.Ed25519.DeriveKey(bytes.Repeat([]byte{1}, 32))
	dev, _ := did.New(devKey.Public())
	t0 := time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)
	var readings []reading.Signed
	var leaves [][]byte
	for i := range 3 {
		s, _ := reading.Sign(devKey, reading.Reading{Device: dev, Topic: "coldchain/truck-7/temp",
			Seq: uint64(i), Time: t0.Add(time.Duration(i) * time.Minute), Sensor: "temperature",
			Value: 425 + int64(i), Scale: 2, Unit: "Cel"})
		leaf, _ := s.LeafBytes()
		readings, leaves = append(readings, s), append(leaves, leaf)
	}
	tree := merkle.NewTree(merkle.BLAKE3, leaves)
	batchID, _ := cid.Prefix{Version: 1, Codec: cid.Raw, MhType: 0x1e, MhLength: -1}.Sum(bytes.Join(leaves, nil))
	c := anchor.Commitment{Root: tree.Digest(), CID: batchID, WindowStart: readings[0].Time,
		WindowEnd: readings[2].Time, Count: 3, Topic: "coldchain/truck-7"}
	receipt, err := log.Anchor(ctx, c)
	if err == nil {
		receipt, err = log.WaitFinal(ctx, receipt) // or later: evidence.Upgrade
	}
	if err != nil {
		panic(err)
	}
	proof, _ := tree.InclusionProof(1)
	bundle, err := evidence.New(readings[1], proof, c, []anchor.Receipt{receipt})
	if err != nil {
		panic(err)
	}
	file, _ := bundle.Marshal() // a .evidence.json file

	// Auditor: the file and the log's public key.
	got, err := evidence.Parse(file)
	if err != nil {
		panic(err)
	}
	nv, _ := tlog.NewEd25519Verifier("example.com/anchors", logKey.Public().(ed25519.PublicKey))
	logVerifier, _ := tlog.NewVerifier(nv)
	report := evidence.Verify(ctx, got, evidence.Trust{
		Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: "example.com/anchors", Verifier: logVerifier}},
	})
	fmt.Print(report)
	fmt.Println("ok:", report.OK())
	// Output:
	// pass  bundle
	// pass  reading[0]
	// skip  credential: the bundle has no credential
	// pass  inclusion
	// pass  window
	// pass  receipt[0]: tlog example.com/anchors position 0
	// pass  anchored: 1 of 1 receipts verified, 1 needed
	// skip  zkp: the bundle has no zero-knowledge proof
	// ok: true
}
