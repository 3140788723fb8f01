package did

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"
)

// Signing and verification of the 32-byte messages iotrust signs
// (canon.SigningMessage), per scheme.
func BenchmarkSign(b *testing.B) {
	msg := bytes.Repeat([]byte{7}, 32)
	for _, s := range allSchemes {
		b.Run(s.Name(), func(b *testing.B) {
			k, _ := s.GenerateKey(nil)
			b.ReportAllocs()
			cpu := startThreadCPU(b)
			for range b.N {
				if _, err := k.Sign(msg); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b, b.N)
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	msg := bytes.Repeat([]byte{7}, 32)
	for _, s := range allSchemes {
		b.Run(s.Name(), func(b *testing.B) {
			k, _ := s.GenerateKey(nil)
			sig, _ := k.Sign(msg)
			pub := k.Public()
			b.ReportAllocs()
			cpu := startThreadCPU(b)
			for range b.N {
				if !pub.Verify(msg, sig) {
					b.Fatal("rejected")
				}
			}
			cpu.report(b, b.N)
		})
	}
}

// BenchmarkCreateDID: key generation plus its DID.
func BenchmarkCreateDID(b *testing.B) {
	for _, s := range allSchemes {
		b.Run(s.Name(), func(b *testing.B) {
			b.ReportAllocs()
			cpu := startThreadCPU(b)
			for range b.N {
				k, err := s.GenerateKey(nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := New(k.Public()); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b, b.N)
		})
	}
}

// BenchmarkResolveKey: DID to verification key, the verifier's hot path.
func BenchmarkResolveKey(b *testing.B) {
	for _, s := range allSchemes {
		b.Run(s.Name(), func(b *testing.B) {
			k, _ := s.GenerateKey(nil)
			d, _ := New(k.Public())
			b.ReportAllocs()
			cpu := startThreadCPU(b)
			for range b.N {
				if _, err := ResolveKey(d); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b, b.N)
		})
	}
}

// BenchmarkResolveDocument: DID to full DID document.
func BenchmarkResolveDocument(b *testing.B) {
	for _, s := range []Scheme{Ed25519, P256, MLDSA44} {
		b.Run(s.Name(), func(b *testing.B) {
			k, _ := s.GenerateKey(nil)
			d, _ := New(k.Public())
			b.ReportAllocs()
			cpu := startThreadCPU(b)
			for range b.N {
				if _, err := Resolve(d); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b, b.N)
		})
	}
}

// BenchmarkChallenge: a device answering, and the verifier checking the
// answer (issue + verify, as a gateway does per admission).
func BenchmarkChallenge(b *testing.B) {
	for _, s := range []Scheme{Ed25519, P256, MLDSA44} {
		k, _ := s.GenerateKey(nil)
		dev, _ := New(k.Public())
		a, _ := NewAuthenticator(AuthConfig{Verifier: "did:web:gateway.example", MaxPending: 1 << 30})
		b.Run("Answer/"+s.Name(), func(b *testing.B) {
			c, _ := a.NewChallenge()
			b.ReportAllocs()
			cpu := startThreadCPU(b)
			for range b.N {
				if _, err := Answer(k, dev, c, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b, b.N)
		})
		b.Run("Verify/"+s.Name(), func(b *testing.B) {
			rs := make([]Response, b.N)
			for i := range rs {
				c, _ := a.NewChallenge()
				rs[i], _ = Answer(k, dev, c, time.Now())
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := startThreadCPU(b)
			for i := range rs {
				if _, err := a.Verify(context.Background(), rs[i]); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b, b.N)
		})
	}
}

// BenchmarkRegistryAppend: one durable (fsynced) rotation per op.
func BenchmarkRegistryAppend(b *testing.B) {
	ctx := context.Background()
	r, err := OpenRegistry(ctx, filepath.Join(b.TempDir(), "registry.log"), RegistryOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	org := newParty(b, Ed25519, 1)
	dev := newParty(b, Ed25519, 2)
	at := time.Now().Add(-time.Hour)
	enroll(b, r, org, dev, at)
	keys := make([]PublicKey, b.N)
	for i := range keys {
		k, _ := Ed25519.GenerateKey(nil)
		keys[i] = k.Public()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range keys {
		if _, err := r.Rotate(ctx, org.key, dev.did, keys[i], at.Add(time.Duration(i+1)*time.Millisecond)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRegistryVerifyAt: checking a signature against the key valid at
// its time.
func BenchmarkRegistryVerifyAt(b *testing.B) {
	ctx := context.Background()
	r, err := OpenRegistry(ctx, filepath.Join(b.TempDir(), "registry.log"), RegistryOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	org := newParty(b, Ed25519, 1)
	dev := newParty(b, Ed25519, 2)
	at := time.Now().Add(-time.Hour)
	enroll(b, r, org, dev, at)
	msg := bytes.Repeat([]byte{1}, 32)
	sig, _ := dev.key.Sign(msg)
	b.ReportAllocs()
	cpu := startThreadCPU(b)
	for range b.N {
		if err := r.VerifyAt(dev.did, at.Add(time.Minute), msg, sig); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b, b.N)
}

// BenchmarkChallengeVerifyParallel: a gateway verifying answers on every
// core (GOMAXPROCS goroutines, one Authenticator).
func BenchmarkChallengeVerifyParallel(b *testing.B) {
	k, _ := Ed25519.GenerateKey(nil)
	dev, _ := New(k.Public())
	a, _ := NewAuthenticator(AuthConfig{Verifier: "did:web:gateway.example", MaxPending: 1 << 30})
	rs := make(chan Response, b.N)
	for range b.N {
		c, _ := a.NewChallenge()
		r, _ := Answer(k, dev, c, time.Now())
		rs <- r
	}
	close(rs)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := a.Verify(context.Background(), <-rs); err != nil {
				b.Error(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}

// BenchmarkKeyCacheHit: a verifier resolving a device it has seen, through
// the cache: a self-certifying key, and a registry answer within its TTL.
func BenchmarkKeyCacheHit(b *testing.B) {
	ctx := context.Background()
	reg := openTestRegistry(b, filepath.Join(b.TempDir(), "registry.log"))
	defer reg.Close()
	org := newParty(b, Ed25519, 1)
	dev := newParty(b, Ed25519, 2)
	enroll(b, reg, org, dev, t0)
	loose := newParty(b, Ed25519, 3)
	for _, c := range []struct {
		name string
		did  string
	}{{"self-certifying", loose.did}, {"registry", dev.did}} {
		b.Run(c.name, func(b *testing.B) {
			kc := NewKeyCache(1024, KeyResolvers{reg, SelfCertifying{}}, time.Hour)
			if _, err := kc.KeyAt(ctx, c.did, t0.Add(time.Hour)); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for range b.N {
				if _, err := kc.KeyAt(ctx, c.did, t0.Add(time.Hour)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseJWK: a JWK from the network to a checked key.
func BenchmarkParseJWK(b *testing.B) {
	for _, s := range []Scheme{Ed25519, P256} {
		b.Run(s.Name(), func(b *testing.B) {
			k, _ := s.GenerateKey(nil)
			j, _ := NewJWK(k.Public())
			raw, _ := json.Marshal(j)
			b.ReportAllocs()
			for range b.N {
				j, err := ParseJWK(raw)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := j.PublicKey(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
