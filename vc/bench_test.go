package vc

import (
	"testing"

	"github.com/iotrust/iotrust/did"
)

// Benchmarks of the issue's targets: JWT VC verify ≥ 5,000/s on one core
// with the issuer key cached (the default did.KeyCache keeps it after the
// first call). Run: go test -run '^$' -bench . -cpu 1 ./vc

func benchIssue(b *testing.B, scheme did.Scheme, format Format) {
	f := newFixture(b, scheme)
	c := f.credential()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		f.issue(b, format, c)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issues/s")
}

func benchVerify(b *testing.B, scheme did.Scheme, format Format) {
	f := newFixture(b, scheme)
	raw := f.issue(b, format, f.credential())
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.verifier.Verify(ctx, raw); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}

func BenchmarkIssueJWTEdDSA(b *testing.B)       { benchIssue(b, did.Ed25519, FormatJWT) }
func BenchmarkIssueJWTES256(b *testing.B)       { benchIssue(b, did.P256, FormatJWT) }
func BenchmarkIssueDataIntegrity(b *testing.B)  { benchIssue(b, did.Ed25519, FormatDataIntegrity) }
func BenchmarkVerifyJWTEdDSA(b *testing.B)      { benchVerify(b, did.Ed25519, FormatJWT) }
func BenchmarkVerifyJWTES256(b *testing.B)      { benchVerify(b, did.P256, FormatJWT) }
func BenchmarkVerifyDataIntegrity(b *testing.B) { benchVerify(b, did.Ed25519, FormatDataIntegrity) }
