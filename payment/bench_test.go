package payment

import (
	"context"
	"crypto/ed25519"
	"math/big"
	"path/filepath"
	"testing"

	"github.com/hdevalence/ed25519consensus"
)

// Voucher throughput on one core (go test -bench Voucher -cpu 1). Create =
// build + EIP-712 encode + sign; Verify = the payee's signature check on a
// received voucher; Roundtrip = both, the figure the ≥ 20,000/s target is
// about; the batch variant verifies with ed25519consensus batches of 64.
func benchSigner(b *testing.B, scheme string) Signer {
	if scheme == "secp256k1" {
		return ethSigner(b, 1)
	}
	return ed25519Signer(b, 1)
}

func BenchmarkVoucherCreate(b *testing.B) {
	for _, scheme := range []string{"Ed25519", "secp256k1"} {
		b.Run(scheme, func(b *testing.B) {
			s := benchSigner(b, scheme)
			c := testChannel(s, newTestClock(), 1<<62)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				v := &Voucher{Domain: c.Domain, Channel: c.ID, Lane: 0, Nonce: uint64(i), Amount: big.NewInt(int64(i))}
				if err := Sign(s, v); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "vouchers/s")
		})
	}
}

func BenchmarkVoucherVerify(b *testing.B) {
	for _, scheme := range []string{"Ed25519", "secp256k1"} {
		b.Run(scheme, func(b *testing.B) {
			s := benchSigner(b, scheme)
			c := testChannel(s, newTestClock(), 1<<62)
			ver, _ := c.Signer.Verifier()
			vs := make([]*Voucher, 1024)
			for i := range vs {
				vs[i] = signed(b, s, c, 0, uint64(i), int64(i))
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if err := Verify(ver, vs[i%len(vs)]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "vouchers/s")
		})
	}
}

func BenchmarkVoucherRoundtrip(b *testing.B) {
	for _, scheme := range []string{"Ed25519", "secp256k1"} {
		b.Run(scheme, func(b *testing.B) {
			s := benchSigner(b, scheme)
			c := testChannel(s, newTestClock(), 1<<62)
			ver, _ := c.Signer.Verifier()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				v := &Voucher{Domain: c.Domain, Channel: c.ID, Lane: 0, Nonce: uint64(i), Amount: big.NewInt(int64(i))}
				if err := Sign(s, v); err != nil {
					b.Fatal(err)
				}
				if err := Verify(ver, v); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "vouchers/s")
		})
	}
}

// BenchmarkVoucherRoundtripBatch64 is create plus batch verification (64 per
// batch, the AcceptBatch path) per voucher, without the store.
func BenchmarkVoucherRoundtripBatch64(b *testing.B) {
	s := benchSigner(b, "Ed25519")
	clk := newTestClock()
	c := testChannel(s, clk, 1<<62)
	ver, err := c.Signer.Verifier()
	if err != nil {
		b.Fatal(err)
	}
	const batch = 64
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		vs := make([]*Voucher, batch)
		for j := range vs {
			vs[j] = &Voucher{Domain: c.Domain, Channel: c.ID, Lane: 0, Nonce: uint64(n), Amount: big.NewInt(int64(n))}
			n++
			if err := Sign(s, vs[j]); err != nil {
				b.Fatal(err)
			}
		}
		if !verifyEd25519Batch(ver, vs) {
			b.Fatal("batch failed")
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "vouchers/s")
}

// BenchmarkStoreAccept is the durable payee path: verify, check, append a
// checksummed record and fsync, per voucher.
func BenchmarkStoreAccept(b *testing.B) {
	ctx := context.Background()
	clk := newTestClock()
	s := benchSigner(b, "Ed25519")
	c := testChannel(s, clk, 1<<62)
	st, err := OpenStore(filepath.Join(b.TempDir(), "payee"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	p := newTestPayee(b, st, clk)
	p.Open(ctx, c)
	vs := make([]*Voucher, 0, 4096)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%4096 == 0 {
			b.StopTimer()
			vs = vs[:0]
			for j := 0; j < 4096; j++ {
				vs = append(vs, signed(b, s, c, 0, uint64(i+j+1), int64(i+j+1)))
			}
			b.StartTimer()
		}
		if _, err := p.Accept(ctx, vs[i%4096], nil); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "accepts/s")
}

// BenchmarkEd25519Raw is the bare signature scheme on a 32-byte message,
// the floor under the voucher figures above (sign: crypto/ed25519; verify:
// ZIP-215 single and per signature in batches of 64, as did and
// AcceptBatch use).
func BenchmarkEd25519Raw(b *testing.B) {
	sk := ed25519.NewKeyFromSeed(fixedSeed(1, 32))
	pk := sk.Public().(ed25519.PublicKey)
	msg := fixedSeed(9, 32)
	sig := ed25519.Sign(sk, msg)
	b.Run("sign", func(b *testing.B) {
		for b.Loop() {
			ed25519.Sign(sk, msg)
		}
	})
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if !ed25519consensus.Verify(pk, msg, sig) {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("verify-batch64", func(b *testing.B) {
		n := 0
		for b.Loop() {
			v := ed25519consensus.NewPreallocatedBatchVerifier(64)
			for j := 0; j < 64; j++ {
				v.Add(pk, msg, sig)
			}
			if !v.Verify() {
				b.Fatal("invalid")
			}
			n += 64
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/signature")
	})
}

// BenchmarkStoreAcceptBatch64 is the durable payee path with batching:
// AcceptBatch of 64 vouchers, one batch signature check and one fsync.
func BenchmarkStoreAcceptBatch64(b *testing.B) {
	ctx := context.Background()
	clk := newTestClock()
	s := benchSigner(b, "Ed25519")
	c := testChannel(s, clk, 1<<62)
	st, err := OpenStore(filepath.Join(b.TempDir(), "payee"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	p := newTestPayee(b, st, clk)
	p.Open(ctx, c)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		b.StopTimer()
		vs := make([]*Voucher, 64)
		for j := range vs {
			n++
			vs[j] = signed(b, s, c, uint64(j%4), uint64(n), int64(n))
		}
		b.StartTimer()
		for _, err := range p.AcceptBatch(ctx, vs) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "accepts/s")
}
