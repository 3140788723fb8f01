package batch_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
)

// A gateway on the embedded defaults: a Tessera log and an encrypted store
// in a directory. A device's signed readings go in; an evidence bundle that
// verifies from the log's public key alone comes out.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "batch-example")
	defer os.RemoveAll(dir)

	_, logKey, _ := ed25519.GenerateKey(nil)
	signer, verifier, _ := tlog.NewEd25519Signer("example.com/gateway-log", logKey)
	log, err := tlog.Open(ctx, tlog.Config{Dir: filepath.Join(dir, "log"), Signer: signer, Verifier: verifier})
	if err != nil {
		panic(err)
	}
	defer log.Close()
	blobs, err := store.Open(filepath.Join(dir, "store"), store.Options{})
	if err != nil {
		panic(err)
	}
	defer blobs.Close()
	gwID, _ := store.GenerateIdentity(nil)

	gw, err := batch.Open(ctx, batch.Config{
		Dir: filepath.Join(dir, "gateway"), Topic: "example/site-1",
		Store: blobs, Identity: gwID, Ledgers: []anchor.Anchorer{log},
	})
	if err != nil {
		panic(err)
	}

	key, _ := did.Ed25519.GenerateKey(nil)
	device, _ := did.New(key.Public())
	s, _ := reading.Sign(key, reading.Reading{
		Device: device, Topic: "example/site-1/temp", Seq: 1, Time: time.Now().Truncate(time.Millisecond),
		Sensor: "temperature", Value: 415, Scale: 2, Unit: "Cel",
	})
	fmt.Println("acknowledged:", gw.Submit(ctx, s) == nil)
	fmt.Println("replay refused:", gw.Submit(ctx, s) != nil)

	if err := gw.Close(ctx); err != nil { // seals and anchors what it holds
		panic(err)
	}
	gw, _ = batch.Open(ctx, batch.Config{
		Dir: filepath.Join(dir, "gateway"), Topic: "example/site-1",
		Store: blobs, Identity: gwID, Ledgers: []anchor.Anchorer{log},
	})
	defer gw.Close(ctx)
	id, _ := s.ID()
	bundle, err := gw.Evidence(ctx, id)
	if err != nil {
		panic(err)
	}
	v, _ := tlog.NewVerifier(verifier)
	report := evidence.Verify(ctx, bundle, evidence.Trust{
		Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: log.Origin(), Verifier: v}},
	})
	fmt.Println("evidence verifies:", report.OK())
	// Output:
	// acknowledged: true
	// replay refused: true
	// evidence verifies: true
}
