package tlog_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// Anchor a commitment to a log on disk, wait until a signed checkpoint
// covers it, and verify the receipt offline from the log's public key.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "tlog-example")
	defer os.RemoveAll(dir)

	_, key, _ := ed25519.GenerateKey(nil) // e.g. the key of the operator's did:key
	signer, verifier, err := tlog.NewEd25519Signer("example.com/iotrust/anchors", key)
	if err != nil {
		panic(err)
	}
	l, err := tlog.Open(ctx, tlog.Config{Dir: dir, Signer: signer, Verifier: verifier,
		CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		panic(err)
	}
	defer l.Close()

	c := anchortest.Commitment("example") // in practice: the batch's root, CID, window, count, topic
	r, err := l.Anchor(ctx, c)
	if err != nil {
		panic(err)
	}
	fmt.Println("anchored at index", r.Position) // durable: Included, or already Final
	if r, err = l.WaitFinal(ctx, r); err != nil {
		panic(err)
	}
	fmt.Println("state", r.State)

	// An auditor needs only the receipt and the log's public key.
	v, _ := tlog.NewVerifier(verifier)
	fmt.Println("verifies:", v.VerifyReceipt(ctx, r) == nil)

	tampered := r
	tampered.Commitment.Count++
	fmt.Println("tampered verifies:", v.VerifyReceipt(ctx, tampered) == nil)
	// Output:
	// anchored at index 0
	// state final
	// verifies: true
	// tampered verifies: false
}

// Anchor the same commitment to two independent logs, needing both.
func Example_multi() {
	ctx := context.Background()
	var ledgers []anchor.Anchorer
	for _, name := range []string{"example.com/log-a", "example.org/log-b"} {
		dir, _ := os.MkdirTemp("", "tlog-multi")
		defer os.RemoveAll(dir)
		_, key, _ := ed25519.GenerateKey(nil)
		s, v, _ := tlog.NewEd25519Signer(name, key)
		l, err := tlog.Open(ctx, tlog.Config{Dir: dir, Signer: s, Verifier: v})
		if err != nil {
			panic(err)
		}
		defer l.Close()
		ledgers = append(ledgers, l)
	}
	m, _ := anchor.NewMulti(anchor.All(), ledgers...)
	res, err := m.Anchor(ctx, anchortest.Commitment("redundant"))
	if err != nil {
		panic(err)
	}
	for _, r := range res.Receipts {
		fmt.Println(r.Chain, r.Position)
	}
	// Output:
	// example.com/log-a 0
	// example.org/log-b 0
}
