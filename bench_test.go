package iotrust_test

// Benchmarks of the hot paths, end to end through the public APIs:
//
//	go test -run '^$' -bench . -benchmem .
//
// Per-package benchmarks (canon, merkle, did, vc, anchor/tlog, zkp, payment)
// go deeper; these are the figures a gateway operator sizes hardware by.

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/reading"
)

// sampleReading is a typical signed reading's content (a did:key device,
// a temperature in hundredths of a degree).
func sampleReading(dev string, seq uint64) reading.Reading {
	return reading.Reading{
		Device: dev, Topic: "coldchain/truck-7/temp", Seq: seq,
		Time: time.UnixMilli(1795000000123 + int64(seq)).UTC(), Sensor: "temperature",
		Value: 425, Scale: 2, Unit: "Cel",
	}
}

const benchDevice = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"

// warmKey resolves every device to one key, as a gateway's warm key cache
// does.
type warmKey struct{ pub did.PublicKey }

func (k warmKey) KeyAt(context.Context, string, time.Time) (did.PublicKey, error) { return k.pub, nil }

var hashers = []merkle.Hasher{merkle.BLAKE3, merkle.SHA256}

// BenchmarkCanonicalReading: canonical JSON of one reading.
func BenchmarkCanonicalReading(b *testing.B) {
	r := sampleReading(benchDevice, 1)
	c, _ := r.CanonicalJSON()
	b.SetBytes(int64(len(c)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.CanonicalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLeafHash: the leaf hash of one signed reading's leaf bytes.
func BenchmarkLeafHash(b *testing.B) {
	s := reading.Signed{Reading: sampleReading(benchDevice, 1), Signature: make([]byte, 64)}
	c, _ := s.LeafBytes()
	for _, h := range hashers {
		b.Run(h.String(), func(b *testing.B) {
			b.SetBytes(int64(len(c)))
			b.ReportAllocs()
			for b.Loop() {
				h.HashLeaf(c)
			}
		})
	}
}

func leaves(n, size int) [][]byte {
	out := make([][]byte, n)
	buf := make([]byte, n*size)
	for i := range out {
		l := buf[i*size : (i+1)*size : (i+1)*size]
		for j := range l {
			l[j] = byte(i*31 + j)
		}
		out[i] = l
	}
	return out
}

// BenchmarkTreeRoot1M: the root of 1,000,000 leaves of 100 bytes.
func BenchmarkTreeRoot1M(b *testing.B) {
	ls := leaves(1_000_000, 100)
	for _, h := range hashers {
		b.Run(fmt.Sprintf("%s/procs=%d", h, runtime.GOMAXPROCS(0)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h.Root(ls)
			}
			b.ReportMetric(float64(len(ls))*float64(b.N)/b.Elapsed().Seconds(), "leaves/s")
		})
	}
}

// BenchmarkInclusionProof: serving and verifying a proof on a 1M-leaf tree.
func BenchmarkInclusionProof(b *testing.B) {
	ls := leaves(1_000_000, 100)
	for _, h := range hashers {
		t := merkle.NewTree(h, ls)
		root := t.Root()
		// Serving: consecutive leaves (a gateway answering an audit of a
		// run of readings) and scattered ones (random audits; each lower
		// level is a cache miss), into a reused buffer.
		for _, pattern := range []struct {
			name   string
			stride uint64
		}{{"consecutive", 1}, {"scattered", 7919}} {
			b.Run("serve/"+pattern.name+"/"+h.String(), func(b *testing.B) {
				b.ReportAllocs()
				buf := make([]merkle.Hash, 0, 64)
				i := uint64(0)
				for b.Loop() {
					var err error
					if buf, err = t.AppendInclusionPath(buf[:0], i%t.Size()); err != nil {
						b.Fatal(err)
					}
					i += pattern.stride
				}
			})
		}
		p, _ := t.InclusionProof(123_457)
		leaf := h.HashLeaf(ls[123_457])
		b.Run("verify/"+h.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := p.Verify(leaf, root); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var schemes = []did.Scheme{did.Ed25519, did.P256, did.MLDSA44}

// BenchmarkDeviceSign and BenchmarkDeviceVerify: a device signing a
// reading, and a gateway verifying it (key already resolved).
func BenchmarkDeviceSign(b *testing.B) {
	for _, s := range schemes {
		k, _ := s.GenerateKey(nil)
		dev, _ := did.New(k.Public())
		r := sampleReading(dev, 1)
		b.Run(s.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := reading.Sign(k, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDeviceVerify(b *testing.B) {
	ctx := context.Background()
	for _, s := range schemes {
		k, _ := s.GenerateKey(nil)
		dev, _ := did.New(k.Public())
		sr, _ := reading.Sign(k, sampleReading(dev, 1))
		keys := warmKey{k.Public()}
		b.Run(s.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := reading.Verify(ctx, keys, sr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkIngest: the gateway's per-reading path with an Ed25519 device:
// parse the wire JSON, verify the signature, hash the leaf, append it to
// the open batch's streaming tree; one by one, and with the signatures of
// each 1024 readings verified together (reading.VerifyBatch on GOMAXPROCS
// cores). (The full pipeline with write-ahead log lives in package batch's
// benchmarks.)
func BenchmarkIngest(b *testing.B) {
	ctx := context.Background()
	k, _ := did.Ed25519.GenerateKey(nil)
	dev, _ := did.New(k.Public())
	keys := warmKey{k.Public()}
	const n = 4096
	wire := make([][]byte, n)
	for i := range wire {
		s, _ := reading.Sign(k, sampleReading(dev, uint64(i)))
		wire[i], _ = s.MarshalJSON()
	}
	b.Run("single", func(b *testing.B) {
		bld := merkle.NewBuilder(merkle.BLAKE3)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			s, err := reading.ParseJSON(wire[i%n])
			if err != nil {
				b.Fatal(err)
			}
			if err := reading.Verify(ctx, keys, s); err != nil {
				b.Fatal(err)
			}
			leaf, _ := s.LeafBytes()
			bld.Append(leaf)
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "readings/s")
	})
	b.Run(fmt.Sprintf("batch1024/procs=%d", runtime.GOMAXPROCS(0)), func(b *testing.B) {
		bld := merkle.NewBuilder(merkle.BLAKE3)
		ss := make([]reading.Signed, 1024)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			for j := range ss {
				var err error
				if ss[j], err = reading.ParseJSON(wire[(i+j)%n]); err != nil {
					b.Fatal(err)
				}
			}
			for _, err := range reading.VerifyBatch(ctx, keys, ss) {
				if err != nil {
					b.Fatal(err)
				}
			}
			for j := range ss {
				leaf, _ := ss[j].LeafBytes()
				bld.Append(leaf)
			}
			i += len(ss)
		}
		b.ReportMetric(float64(b.N*len(ss))/b.Elapsed().Seconds(), "readings/s")
	})
}
