package reading

import (
	"context"
	"fmt"
	"testing"

	"github.com/iotrust/iotrust/did"
)

func BenchmarkSign(b *testing.B) {
	for i, sch := range schemes {
		b.Run(sch.Name(), func(b *testing.B) {
			d := newDevice(b, sch, byte(i+1))
			r := sample(d.did, 1)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Sign(d.key, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	for i, sch := range schemes {
		b.Run(sch.Name(), func(b *testing.B) {
			d := newDevice(b, sch, byte(i+1))
			s := mustSign(b, d, sample(d.did, 1))
			k := keys()
			b.ReportAllocs()
			for b.Loop() {
				if err := Verify(ctx, k, s); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "readings/s")
		})
	}
}

// signedBatch returns n Ed25519 readings from 64 devices, as a gateway
// sees them.
func signedBatch(b *testing.B, n int) []Signed {
	devs := make([]device, 64)
	for i := range devs {
		devs[i] = newDevice(b, did.Ed25519, byte(i+1))
	}
	ss := make([]Signed, n)
	for i := range ss {
		d := devs[i%len(devs)]
		ss[i] = mustSign(b, d, sample(d.did, uint64(i)))
	}
	return ss
}

// BenchmarkVerifyBatch reports readings/s of VerifyBatch on GOMAXPROCS
// cores (run with -cpu 1,2 to see both); the key cache is warm, as at a
// gateway that sees its devices again.
func BenchmarkVerifyBatch(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{64, 1024, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ss := signedBatch(b, n)
			k := keys()
			VerifyBatch(ctx, k, ss)
			b.ReportAllocs()
			for b.Loop() {
				for i, err := range VerifyBatch(ctx, k, ss) {
					if err != nil {
						b.Fatalf("reading %d: %v", i, err)
					}
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "readings/s")
		})
	}
}

func benchSigned(b *testing.B) Signed {
	d := newDevice(b, did.Ed25519, 1)
	r := sample(d.did, 1)
	r.Metadata = map[string]string{"shipment": "SHP-2026-0042"}
	return mustSign(b, d, r)
}

func BenchmarkEncode(b *testing.B) {
	s := benchSigned(b)
	for _, enc := range []struct {
		name string
		f    func() ([]byte, error)
	}{{"JSON", s.MarshalJSON}, {"CBOR", s.MarshalCBOR}} {
		b.Run(enc.name, func(b *testing.B) {
			out, _ := enc.f()
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := enc.f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	s := benchSigned(b)
	j, _ := s.MarshalJSON()
	c, _ := s.MarshalCBOR()
	for _, dec := range []struct {
		name string
		in   []byte
		f    func([]byte) (Signed, error)
	}{{"JSON", j, ParseJSON}, {"CBOR", c, ParseCBOR}} {
		b.Run(dec.name, func(b *testing.B) {
			b.SetBytes(int64(len(dec.in)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dec.f(dec.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
