package anchor_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/canon"
)

// Anchor a batch's commitment on a ledger (here the embedded transparency
// log), wait until it is final, hand the receipt on as JSON, and let its
// holder bring it up to date later with Upgrade.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "anchor-example")
	defer os.RemoveAll(dir)
	_, key, _ := ed25519.GenerateKey(nil)
	signer, verifier, _ := tlog.NewEd25519Signer("example.com/anchors", key)
	l, err := tlog.Open(ctx, tlog.Config{Dir: dir, Signer: signer, Verifier: verifier,
		CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		panic(err)
	}
	defer l.Close()

	batch, _ := cid.Decode("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy")
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	c := anchor.Commitment{
		Root:        canon.Sum(canon.BLAKE3, []byte("stand-in for the batch's Merkle root")),
		CID:         batch,
		WindowStart: t0,
		WindowEnd:   t0.Add(time.Minute),
		Count:       120,
		Topic:       "coldchain/truck-7/temp",
	}
	r, err := l.Anchor(ctx, c) // durable once it returns
	if err != nil {
		panic(err)
	}
	if r, err = l.WaitFinal(ctx, r); err != nil {
		panic(err)
	}
	j, _ := json.Marshal(r) // e.g. into an evidence bundle

	held, err := anchor.ParseReceipt(j) // strict: one form only
	if err != nil {
		panic(err)
	}
	up, err := l.Upgrade(ctx, held)
	if err != nil {
		panic(err)
	}
	fmt.Println(up.State, up.Position)
	// Output: final 0
}
