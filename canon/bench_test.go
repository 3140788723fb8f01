package canon

import "testing"

// benchReading is a typical signed-reading body, about 120 bytes.
var benchReading = []byte(`{"device":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","seq":184467,"ts":1795000000123,"type":"temp","value":4.25,"unit":"Cel"}`)

type benchReadingStruct struct {
	Device string  `json:"device"`
	Seq    uint64  `json:"seq"`
	TS     int64   `json:"ts"`
	Type   string  `json:"type"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
}

func BenchmarkCanonicalizeReading(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchReading)))
	for b.Loop() {
		if _, err := Canonicalize(benchReading); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSONReading(b *testing.B) {
	r := benchReadingStruct{"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", 184467, 1795000000123, "temp", 4.25, "Cel"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := JSON(&r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTaggedSum(b *testing.B) {
	for _, h := range []HashFunc{BLAKE3, SHA256} {
		b.Run(h.String(), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(benchReading)))
			for b.Loop() {
				MustTaggedSum(h, "iotrust.reading.v1", benchReading)
			}
		})
	}
}

func BenchmarkTaggedHasher(b *testing.B) {
	for _, h := range []HashFunc{BLAKE3, SHA256} {
		th, _ := NewTaggedHasher(h, "iotrust.reading.v1")
		b.Run(h.String(), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(benchReading)))
			for b.Loop() {
				th.Sum(benchReading)
			}
		})
	}
}
