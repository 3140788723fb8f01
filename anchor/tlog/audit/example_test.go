package audit_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/anchor/tlog/audit"
)

// An auditor holds a receipt that is not final yet and the log's public
// key; the log's files alone make it final.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "audit-example")
	defer os.RemoveAll(dir)

	// The operator's side: a log and an anchor.
	_, priv, _ := ed25519.GenerateKey(nil)
	signer, verifier, _ := tlog.NewEd25519Signer("example.com/anchors", priv)
	log, err := tlog.Open(ctx, tlog.Config{Dir: dir, Signer: signer, Verifier: verifier, CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		panic(err)
	}
	r, _ := log.Anchor(ctx, anchortest.Commitment("batch 1"))
	log.WaitFinal(ctx, r)
	log.Close()
	r.State, r.Proof = anchor.Included, nil // as handed out before the checkpoint

	// The auditor's side: the published key and the log's directory or URL.
	vkey, _ := note.NewEd25519VerifierKey("example.com/anchors", priv.Public().(ed25519.PublicKey))
	key, err := audit.ParseKey(vkey)
	if err != nil {
		panic(err)
	}
	src, _ := audit.Open(dir)
	final, err := audit.NewUpgrader(src, audit.Keys{key}).Upgrade(ctx, r)
	if err != nil {
		panic(err)
	}
	fmt.Println(final.State, key.Verifier.VerifyReceipt(ctx, final) == nil)
	// Output: final true
}
