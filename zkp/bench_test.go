package zkp

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// benchFixture is a set-up shape with a claim and its openings.
type benchFixture struct {
	cc       *CompiledCircuit
	pk       *ProvingKey
	vk       *VerifyingKey
	claim    Claim
	openings []Opening
	setup    time.Duration
	proof    *Proof
}

var benchCache = map[string]*benchFixture{}

func benchSetup(b *testing.B, s Shape, be Backend) *benchFixture {
	b.Helper()
	id := fmt.Sprint(s, be)
	if f, ok := benchCache[id]; ok {
		return f
	}
	cc, err := Compile(s, be)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	pk, vk, err := UnsafeRandomSetup(cc)
	if err != nil {
		b.Fatal(err)
	}
	f := &benchFixture{cc: cc, pk: pk, vk: vk, setup: time.Since(start)}
	n := s.Size
	var cs []Commitment
	for i := range n {
		c, o, err := Commit(4200+uint64(i%600), nil)
		if err != nil {
			b.Fatal(err)
		}
		cs, f.openings = append(cs, c), append(f.openings, o)
	}
	iv := Interval{4200, 4800}
	switch s.Kind {
	case KindReading:
		f.claim = ReadingClaim{iv, cs[0]}
	case KindBatch:
		f.claim = BatchClaim{iv, cs}
	case KindBox:
		ivs := make([]Interval, n)
		for i := range ivs {
			ivs[i] = iv
		}
		f.claim = BoxClaim{ivs, cs}
	case KindThreshold:
		f.claim = ThresholdClaim{iv, 0, cs}
	}
	if f.proof, err = Prove(pk, f.claim, f.openings); err != nil {
		b.Fatal(err)
	}
	benchCache[id] = f
	return f
}

func (f *benchFixture) report(b *testing.B) {
	var pkBuf, vkBuf bytes.Buffer
	f.pk.WriteTo(&pkBuf)
	f.vk.WriteTo(&vkBuf)
	raw, _ := f.proof.MarshalBinary()
	b.ReportMetric(float64(f.cc.Constraints()), "constraints")
	b.ReportMetric(float64(f.cc.Constraints())/float64(f.cc.Shape().Size), "constraints/reading")
	b.ReportMetric(float64(pkBuf.Len()), "pk-bytes")
	b.ReportMetric(float64(vkBuf.Len()), "vk-bytes")
	b.ReportMetric(float64(len(raw)-headerSize), "proof-bytes")
	b.ReportMetric(f.setup.Seconds(), "setup-s")
}

var benchShapes = []struct {
	name    string
	shape   Shape
	backend Backend
}{
	{"reading/groth16", ReadingShape(16), Groth16},
	{"reading/plonk", ReadingShape(16), PLONK},
	{"box3/groth16", BoxShape(3, 16), Groth16},
	{"batch16/groth16", BatchShape(16, 16), Groth16},
	{"batch16/plonk", BatchShape(16, 16), PLONK},
	{"threshold16/groth16", ThresholdShape(16, 16), Groth16},
	{"batch64/groth16", BatchShape(64, 16), Groth16},
	{"batch256/groth16", BatchShape(256, 16), Groth16},
}

// BenchmarkProve measures proving time per circuit and reports constraint
// counts, key and proof sizes and setup time.
//
//	go test -run '^$' -bench Prove -benchtime 5x ./zkp
func BenchmarkProve(b *testing.B) {
	for _, bs := range benchShapes {
		b.Run(bs.name, func(b *testing.B) {
			f := benchSetup(b, bs.shape, bs.backend)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Prove(f.pk, f.claim, f.openings); err != nil {
					b.Fatal(err)
				}
			}
			f.report(b)
		})
	}
}

// BenchmarkVerify measures verification, including recomputing the public
// inputs (and the Merkle root of batches) from the claim.
func BenchmarkVerify(b *testing.B) {
	for _, bs := range benchShapes {
		b.Run(bs.name, func(b *testing.B) {
			f := benchSetup(b, bs.shape, bs.backend)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := Verify(f.vk, f.proof, f.claim); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCommit measures the native Poseidon2 commitment.
func BenchmarkCommit(b *testing.B) {
	o := Opening{Value: 4500}
	o.Salt[31] = 9
	b.ReportAllocs()
	for b.Loop() {
		if _, err := o.Commitment(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMerkleRoot measures the native root of a full batch of 256.
func BenchmarkMerkleRoot(b *testing.B) {
	cs := make([]Commitment, 256)
	for i := range cs {
		cs[i], _, _ = Commit(uint64(i), nil)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MerkleRoot(cs, 256); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConstraintBudget keeps the circuits at their measured size: the
// single reading and the per-reading cost of a batch are what the proving
// time targets depend on.
func TestConstraintBudget(t *testing.T) {
	for _, tc := range []struct {
		shape     Shape
		perReader int
	}{
		{ReadingShape(16), 260},
		{BoxShape(3, 16), 260},
		{BatchShape(16, 16), 410},
		{ThresholdShape(16, 16), 410},
	} {
		cc, err := Compile(tc.shape, Groth16)
		if err != nil {
			t.Fatal(err)
		}
		per := cc.Constraints() / tc.shape.Size
		t.Logf("%v: %d R1CS constraints, %d per reading", tc.shape, cc.Constraints(), per)
		if per > tc.perReader {
			t.Errorf("%v: %d constraints per reading, budget %d", tc.shape, per, tc.perReader)
		}
	}
}
