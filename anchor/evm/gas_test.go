package evm

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
)

// batchCommitment is a commitment as a gateway seals it: a BLAKE3 root, a
// CIDv1 (raw, SHA-256: 36 bytes) of the stored batch, a one-minute window,
// a topic of typical length and no metadata.
func batchCommitment(i uint64, events uint64) anchor.Commitment {
	var seed [8]byte
	binary.BigEndian.PutUint64(seed[:], i)
	sum := sha256.Sum256(seed[:])
	id, err := cid.Prefix{Version: 1, Codec: cid.Raw, MhType: 0x12, MhLength: -1}.Sum(seed[:])
	if err != nil {
		panic(err)
	}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	return anchor.Commitment{
		Root:        canon.Sum(canon.BLAKE3, seed[:]),
		CID:         id,
		WindowStart: start,
		WindowEnd:   start.Add(time.Minute - time.Millisecond),
		Count:       events,
		Topic:       fmt.Sprintf("coldchain/truck-%d/temp", sum[0]%100),
	}
}

func gasUsed(t testing.TB, c *testChain, r anchor.Receipt) uint64 {
	t.Helper()
	rcpt, err := c.client.TransactionReceipt(context.Background(), common.HexToHash(r.TxID))
	if err != nil {
		t.Fatal(err)
	}
	return rcpt.GasUsed
}

// maxAnchorGas is the gas budget of one anchor of a typical commitment:
// 21,000 for the transaction, about 22,100 for the one new storage slot,
// about 4,300 for the log, calldata and the gateway check. A change to
// the contract that breaks it has to justify itself.
const maxAnchorGas = 58_000

// TestAnchorGasBudget measures real anchors on the simulated EVM and fails
// if one costs more than maxAnchorGas.
func TestAnchorGasBudget(t *testing.T) {
	c := newTestChain(t)
	l := c.ledger(t, c.config(1))
	for i := range uint64(3) {
		r, err := l.Anchor(testCtx(t), batchCommitment(i, 1000))
		if err != nil {
			t.Fatal(err)
		}
		gas := gasUsed(t, c, r)
		t.Logf("anchor %d: %d gas", i, gas)
		if gas > maxAnchorGas {
			t.Errorf("anchor %d used %d gas, budget %d", i, gas, maxAnchorGas)
		}
		if gas < 21_000+20_000 {
			t.Errorf("anchor %d used %d gas: cannot have written its storage slot", i, gas)
		}
	}
}

// BenchmarkAnchorGas reports the gas of one anchor and what it means per
// 1,000 events for batches of 1,000 and 10,000 events.
func BenchmarkAnchorGas(b *testing.B) {
	c := newTestChain(b)
	l := c.ledger(b, c.config(1))
	ctx := context.Background()
	first, err := l.Anchor(ctx, batchCommitment(1<<40, 1000))
	if err != nil {
		b.Fatal(err)
	}
	var total uint64
	b.ResetTimer()
	for i := range uint64(b.N) {
		r, err := l.Anchor(ctx, batchCommitment(i, 1000))
		if err != nil {
			b.Fatal(err)
		}
		total += gasUsed(b, c, r)
	}
	b.StopTimer()
	per := float64(total) / float64(b.N)
	b.ReportMetric(float64(gasUsed(b, c, first)), "gas-first")
	b.ReportMetric(per, "gas/anchor")
	b.ReportMetric(per, "gas/1k-events@1k")
	b.ReportMetric(per/10, "gas/1k-events@10k")
}

// BenchmarkAnchorThroughput anchors from 32 goroutines through one Ledger
// (one key, serialised nonces) on a chain sealing a block every 5ms, and
// reports anchors per second including the wait for inclusion.
func BenchmarkAnchorThroughput(b *testing.B) {
	c := newTestChain(b)
	l := c.ledger(b, c.config(1))
	ctx := context.Background()
	var next atomic.Uint64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > uint64(b.N) {
					return
				}
				if _, err := l.Anchor(ctx, batchCommitment(i, 1000)); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "anchors/s")
}
