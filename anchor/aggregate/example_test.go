package aggregate_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"net/http/httptest"
	"os"
	"sync"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// Two gateways share one aggregator over HTTP; the aggregator anchors one
// aggregate for both on a transparency log, and every gateway's receipt
// verifies offline from the log's public key.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "aggregate-example")
	defer os.RemoveAll(dir)

	_, key, _ := ed25519.GenerateKey(nil)
	signer, verifier, _ := tlog.NewEd25519Signer("example.com/anchors", key)
	log, err := tlog.Open(ctx, tlog.Config{Dir: dir + "/log", Signer: signer, Verifier: verifier,
		CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		panic(err)
	}
	defer log.Close()
	// Seal an aggregate a minute after its first commitment, or at 2.
	agg, err := aggregate.Open(ctx, aggregate.Config{Inner: log, Dir: dir + "/aggregator",
		Interval: time.Minute, MaxLeaves: 2})
	if err != nil {
		panic(err)
	}
	defer agg.Close()
	srv := httptest.NewServer(aggregate.Handler(agg)) // in production: behind mutual TLS
	defer srv.Close()

	receipts := make([]anchor.Receipt, 2)
	var wg sync.WaitGroup
	for i, gateway := range []string{"gateway-a", "gateway-b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client, err := aggregate.NewClient(srv.URL, nil)
			if err != nil {
				panic(err)
			}
			// In practice: the sealed batch's root, CID, window, count, topic.
			r, err := client.Anchor(ctx, anchortest.Commitment(gateway))
			if err != nil {
				panic(err)
			}
			if receipts[i], err = client.WaitFinal(ctx, r); err != nil {
				panic(err)
			}
		}()
	}
	wg.Wait()

	logVerifier, _ := tlog.NewVerifier(verifier) // an auditor's: the log's public key
	v, _ := aggregate.NewVerifier(logVerifier)
	for _, r := range receipts {
		fmt.Println(r.Ledger, r.State, v.VerifyReceipt(ctx, r) == nil)
	}
	fmt.Println("one inner anchor:", receipts[0].TxID == receipts[1].TxID)
	// Output:
	// aggregate final true
	// aggregate final true
	// one inner anchor: true
}
