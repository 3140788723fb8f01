package iotrust_test

// Benchmarks of the hot paths, end to end through the public APIs:
//
//	go test -run '^$' -bench . -benchmem .
//
// Per-package benchmarks (canon, merkle, did, vc, anchor/tlog, zkp, payment)
// go deeper; these are the figures a gateway operator sizes hardware by.

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
)

const readingTag canon.Tag = "iotrust.bench.reading.v1"

// reading is a typical signed-reading body, about 120 bytes of canonical JSON.
type reading struct {
	Device string `json:"device"`
	Seq    uint64 `json:"seq"`
	TS     int64  `json:"ts"`
	Type   string `json:"type"`
	Value  int64  `json:"value"`
	Unit   string `json:"unit"`
}

func sampleReading(seq uint64) reading {
	return reading{"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", seq, 1795000000123 + int64(seq), "temp", 425, "cCel"}
}

var hashers = []merkle.Hasher{merkle.BLAKE3, merkle.SHA256}

// BenchmarkCanonicalReading: canonical JSON of one reading.
func BenchmarkCanonicalReading(b *testing.B) {
	r := sampleReading(1)
	c, _ := canon.JSON(r)
	b.SetBytes(int64(len(c)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := canon.JSON(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLeafHash: the leaf hash of one 120-byte canonical reading.
func BenchmarkLeafHash(b *testing.B) {
	c, _ := canon.JSON(sampleReading(1))
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
// reading's signing message, and a gateway verifying it.
func BenchmarkDeviceSign(b *testing.B) {
	c, _ := canon.JSON(sampleReading(1))
	msg, _ := canon.SigningMessage(readingTag, c)
	for _, s := range schemes {
		k, _ := s.GenerateKey(nil)
		b.Run(s.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := k.Sign(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDeviceVerify(b *testing.B) {
	c, _ := canon.JSON(sampleReading(1))
	msg, _ := canon.SigningMessage(readingTag, c)
	for _, s := range schemes {
		k, _ := s.GenerateKey(nil)
		sig, _ := k.Sign(msg)
		pub := k.Public()
		b.Run(s.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !pub.Verify(msg, sig) {
					b.Fatal("signature rejected")
				}
			}
		})
	}
}

// BenchmarkIngest: the gateway's per-reading path with an Ed25519 device:
// canonicalize, verify the signature, hash the leaf, append it to the open
// batch's streaming tree. (The full pipeline with write-ahead log lives in
// package batch's benchmarks.)
func BenchmarkIngest(b *testing.B) {
	k, _ := did.Ed25519.GenerateKey(nil)
	pub := k.Public()
	tagger, _ := canon.NewTaggedHasher(canon.BLAKE3, readingTag)
	const n = 4096
	type signed struct {
		body []byte
		sig  []byte
	}
	in := make([]signed, n)
	for i := range in {
		c, _ := canon.JSON(sampleReading(uint64(i)))
		sig, _ := k.Sign(tagger.Sum(c).Bytes())
		in[i] = signed{c, sig}
	}
	bld := merkle.NewBuilder(merkle.BLAKE3)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := in[i%n]
		c, err := canon.Canonicalize(s.body)
		if err != nil {
			b.Fatal(err)
		}
		d := tagger.Sum(c)
		if !pub.Verify(d.Sum[:], s.sig) {
			b.Fatal("signature rejected")
		}
		bld.Append(c)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "readings/s")
}
