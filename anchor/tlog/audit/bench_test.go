package audit

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// benchLog makes a log of n commitments, anchored concurrently so that
// Tessera batches them.
func benchLog(b *testing.B, n int) (string, Key, []anchor.Receipt) {
	b.Helper()
	ctx := context.Background()
	_, priv, _ := ed25519.GenerateKey(nil)
	s, v, _ := tlog.NewEd25519Signer(origin, priv)
	dir := b.TempDir()
	l, err := tlog.Open(ctx, tlog.Config{Dir: dir, Signer: s, Verifier: v, CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		b.Fatal(err)
	}
	rs := make([]anchor.Receipt, n)
	var wg sync.WaitGroup
	const workers = 64
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				r, err := l.Anchor(ctx, anchortest.Commitment(fmt.Sprint(i)))
				if err != nil {
					b.Error(err)
					return
				}
				rs[i] = r
			}
		}()
	}
	wg.Wait()
	if _, err := l.WaitFinal(ctx, rs[n-1]); err != nil {
		b.Fatal(err)
	}
	for _, r := range rs {
		if _, err := l.WaitFinal(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	l.Close()
	vkey, _ := note.NewEd25519VerifierKey(origin, priv.Public().(ed25519.PublicKey))
	k, _ := ParseKey(vkey)
	return dir, k, rs
}

// BenchmarkFsck reports the entries per second `iotrust log check`
// re-derives from a log directory.
func BenchmarkFsck(b *testing.B) {
	const n = 1 << 14
	dir, k, _ := benchLog(b, n)
	src, _ := Open(dir)
	cp, _, err := Checkpoint(context.Background(), src, Keys{k})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := Fsck(context.Background(), src, k, cp, 2, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkUpgrade reports the time to make one receipt final from the
// log's files, the proof builder's tile cache warm.
func BenchmarkUpgrade(b *testing.B) {
	const n = 1 << 14
	dir, k, rs := benchLog(b, n)
	src, _ := Open(dir)
	u := NewUpgrader(src, Keys{k})
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		r := rs[i%n]
		r.State, r.Proof = anchor.Included, nil
		if _, err := u.Upgrade(context.Background(), r); err != nil {
			b.Fatal(err)
		}
		i += 7919
	}
}
