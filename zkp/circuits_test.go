package zkp

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/test"
)

// Both backends, BN254 only. Without the prover_checks build tag gnark's
// assert runs its test engine and the compiled solver, which is what decides
// whether a witness satisfies the constraints; real proving is exercised by
// the Prove/Verify tests.
var circuitOpts = []test.TestingOption{
	test.WithCurves(ecc.BN254),
	test.WithBackends(backend.GROTH16, backend.PLONK),
	test.NoFuzzing(),
}

func mustOpen(t testing.TB, value uint64) (Commitment, Opening) {
	t.Helper()
	c, o, err := Commit(value, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c, o
}

// commitField commits to an arbitrary field element (Opening only holds
// uint64 values), for the wrap-around test.
func commitField(t testing.TB, v *big.Int, salt Salt) *big.Int {
	t.Helper()
	var vb [ElementSize]byte
	v.FillBytes(vb[:])
	out, err := compress(vb[:], salt[:])
	if err != nil {
		t.Fatal(err)
	}
	return bigOf(out)
}

func readingAssignment(t testing.TB, lo, hi, value uint64) (*ReadingCircuit, Opening) {
	c, o := mustOpen(t, value)
	return &ReadingCircuit{Lo: lo, Hi: hi, Commitment: bigOf(c), Value: value, Salt: bigOf(o.Salt)}, o
}

func TestReadingCircuit(t *testing.T) {
	assert := test.NewAssert(t)
	circuit := &ReadingCircuit{Bits: 16}
	lo, hi := uint64(4200), uint64(4800) // 2..8 °C

	for _, v := range []uint64{lo, 4500, hi} {
		good, _ := readingAssignment(t, lo, hi, v)
		assert.ProverSucceeded(circuit, good, circuitOpts...)
	}
	full, _ := readingAssignment(t, 0, 1<<16-1, 0)
	assert.ProverSucceeded(circuit, full, circuitOpts...)

	for name, bad := range map[string]func() *ReadingCircuit{
		"lo-1": func() *ReadingCircuit { a, _ := readingAssignment(t, lo, hi, lo-1); return a },
		"hi+1": func() *ReadingCircuit { a, _ := readingAssignment(t, lo, hi, hi+1); return a },
		"wrong salt": func() *ReadingCircuit {
			a, _ := readingAssignment(t, lo, hi, 4500)
			a.Salt = new(big.Int).Add(a.Salt.(*big.Int), big.NewInt(1))
			return a
		},
		"wrong commitment": func() *ReadingCircuit {
			a, _ := readingAssignment(t, lo, hi, 4500)
			other, _ := mustOpen(t, 4500)
			a.Commitment = bigOf(other)
			return a
		},
		"value r-1": func() *ReadingCircuit {
			// r-1 ≡ -1: a one-sided check hi - value = hi + 1 would pass.
			rm1 := new(big.Int).Sub(fr.Modulus(), big.NewInt(1))
			salt, _ := NewSalt(nil)
			return &ReadingCircuit{Lo: 0, Hi: hi, Commitment: commitField(t, rm1, salt), Value: rm1, Salt: bigOf(salt)}
		},
		"swapped lo and hi": func() *ReadingCircuit {
			a, _ := readingAssignment(t, lo, hi, 4500)
			a.Lo, a.Hi = a.Hi, a.Lo
			return a
		},
		"commitment in place of lo": func() *ReadingCircuit {
			a, _ := readingAssignment(t, lo, hi, 4500)
			a.Lo, a.Commitment = a.Commitment, a.Lo
			return a
		},
		"hi beyond 16 bits": func() *ReadingCircuit { a, _ := readingAssignment(t, lo, 1<<16, 4500); return a },
		"lo wraps the field": func() *ReadingCircuit {
			// lo = r-1 with value 0: value - lo = 1 would pass without the bound on lo.
			a, _ := readingAssignment(t, 0, hi, 0)
			a.Lo = new(big.Int).Sub(fr.Modulus(), big.NewInt(1))
			return a
		},
	} {
		assert.Run(func(assert *test.Assert) {
			assert.ProverFailed(circuit, bad(), circuitOpts...)
		}, name)
	}
}

type batchFixture struct {
	commitments []Commitment
	openings    []Opening
}

func newBatch(t testing.TB, values ...uint64) batchFixture {
	var f batchFixture
	for _, v := range values {
		c, o := mustOpen(t, v)
		f.commitments = append(f.commitments, c)
		f.openings = append(f.openings, o)
	}
	return f
}

func batchAssignment(t testing.TB, n int, lo, hi uint64, f batchFixture) *BatchCircuit {
	t.Helper()
	root, err := MerkleRoot(f.commitments, n)
	if err != nil {
		t.Fatal(err)
	}
	a := &BatchCircuit{Lo: lo, Hi: hi, Count: len(f.commitments), Root: bigOf(root)}
	a.Values, a.Salts, a.Live = batchPrivate(n, f.openings)
	return a
}

func values(n int, v uint64) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = v + uint64(i)
	}
	return out
}

func TestBatchCircuit(t *testing.T) {
	const n = 16
	assert := test.NewAssert(t)
	circuit := &BatchCircuit{Values: vars(n), Salts: vars(n), Live: vars(n), Bits: 16}
	lo, hi := uint64(4200), uint64(4800)

	full := newBatch(t, values(n, 4200)...)
	assert.ProverSucceeded(circuit, batchAssignment(t, n, lo, hi, full), circuitOpts...)
	partial := newBatch(t, 4200, 4800, 4500, 4333, 4201)
	assert.ProverSucceeded(circuit, batchAssignment(t, n, lo, hi, partial), circuitOpts...)
	single := newBatch(t, 4800)
	assert.ProverSucceeded(circuit, batchAssignment(t, n, lo, hi, single), circuitOpts...)

	for name, bad := range map[string]func() *BatchCircuit{
		"one reading above hi": func() *BatchCircuit {
			return batchAssignment(t, n, lo, hi, newBatch(t, 4200, 4500, 4801, 4300))
		},
		"one reading below lo": func() *BatchCircuit {
			return batchAssignment(t, n, lo, hi, newBatch(t, append(values(n-1, 4200), 4199)...))
		},
		"wrong salt": func() *BatchCircuit {
			a := batchAssignment(t, n, lo, hi, partial)
			a.Salts[2] = new(big.Int).Add(a.Salts[2].(*big.Int), big.NewInt(1))
			return a
		},
		"root of other commitments": func() *BatchCircuit {
			a := batchAssignment(t, n, lo, hi, partial)
			other := batchAssignment(t, n, lo, hi, newBatch(t, 4200, 4800, 4500, 4333, 4201))
			a.Root = other.Root
			return a
		},
		"count understated hides a reading": func() *BatchCircuit {
			// 5 readings, the fifth out of range; claim count 4 but keep
			// the root of all 5: the padding check must catch it.
			f := newBatch(t, 4200, 4800, 4500, 4333, 9999)
			a := batchAssignment(t, n, lo, hi, f)
			a.Count = 4
			a.Live[4] = 0
			return a
		},
		"mask not a prefix": func() *BatchCircuit {
			a := batchAssignment(t, n, lo, hi, partial)
			a.Live[1], a.Live[5] = 0, 1
			a.Values[5], a.Salts[5] = a.Values[1], a.Salts[1]
			return a
		},
		"count zero": func() *BatchCircuit {
			a := batchAssignment(t, n, lo, hi, single)
			a.Count = 0
			a.Live[0] = 0
			return a
		},
		"swapped lo and hi": func() *BatchCircuit {
			a := batchAssignment(t, n, lo, hi, partial)
			a.Lo, a.Hi = a.Hi, a.Lo
			return a
		},
		"value r-1": func() *BatchCircuit {
			rm1 := new(big.Int).Sub(fr.Modulus(), big.NewInt(1))
			salt, _ := NewSalt(nil)
			c, _ := ParseCommitment(commitField(t, rm1, salt).FillBytes(make([]byte, 32)))
			f := newBatch(t, 4200)
			f.commitments = append(f.commitments, c)
			f.openings = append(f.openings, Opening{Salt: salt})
			a := batchAssignment(t, n, 0, hi, f)
			a.Values[1] = rm1
			return a
		},
	} {
		assert.Run(func(assert *test.Assert) {
			assert.ProverFailed(circuit, bad(), circuitOpts...)
		}, name)
	}
}

func TestBoxCircuit(t *testing.T) {
	const k = 3
	assert := test.NewAssert(t)
	circuit := &BoxCircuit{Lo: vars(k), Hi: vars(k), Commitments: vars(k), Values: vars(k), Salts: vars(k), Bits: 16}
	intervals := []Interval{{100, 200}, {1000, 1000}, {0, 65535}}
	box := func(vs ...uint64) *BoxCircuit {
		f := newBatch(t, vs...)
		a, err := BoxClaim{Intervals: intervals, Commitments: f.commitments}.assignment(BoxShape(k, 16), nil)
		if err != nil {
			t.Fatal(err)
		}
		b := a.(*BoxCircuit)
		for i, o := range f.openings {
			b.Values[i], b.Salts[i] = o.Value, bigOf(o.Salt)
		}
		return b
	}
	assert.ProverSucceeded(circuit, box(150, 1000, 65535), circuitOpts...)
	assert.ProverSucceeded(circuit, box(100, 1000, 0), circuitOpts...)
	for name, bad := range map[string]func() *BoxCircuit{
		"first below lo":  func() *BoxCircuit { return box(99, 1000, 5) },
		"second above hi": func() *BoxCircuit { return box(150, 1001, 5) },
		"commitments swapped": func() *BoxCircuit {
			a := box(150, 1000, 5)
			a.Commitments[0], a.Commitments[1] = a.Commitments[1], a.Commitments[0]
			return a
		},
		"intervals swapped": func() *BoxCircuit {
			a := box(150, 1000, 5)
			a.Lo[0], a.Lo[1], a.Hi[0], a.Hi[1] = a.Lo[1], a.Lo[0], a.Hi[1], a.Hi[0]
			return a
		},
		"wrong salt": func() *BoxCircuit {
			a := box(150, 1000, 5)
			a.Salts[2] = big.NewInt(7)
			return a
		},
	} {
		assert.Run(func(assert *test.Assert) {
			assert.ProverFailed(circuit, bad(), circuitOpts...)
		}, name)
	}
}

func thresholdAssignment(t testing.TB, n int, lo, hi, m uint64, f batchFixture) *ThresholdCircuit {
	t.Helper()
	root, err := MerkleRoot(f.commitments, n)
	if err != nil {
		t.Fatal(err)
	}
	a := &ThresholdCircuit{Lo: lo, Hi: hi, Count: len(f.commitments), MaxOutside: m, Root: bigOf(root)}
	a.Values, a.Salts, a.Live = batchPrivate(n, f.openings)
	a.Inside = vars(n)
	for i := range a.Inside {
		a.Inside[i] = 0
		if i < len(f.openings) && lo <= f.openings[i].Value && f.openings[i].Value <= hi {
			a.Inside[i] = 1
		}
	}
	return a
}

func TestThresholdCircuit(t *testing.T) {
	const n = 16
	assert := test.NewAssert(t)
	circuit := &ThresholdCircuit{Values: vars(n), Salts: vars(n), Live: vars(n), Inside: vars(n), Bits: 16}
	lo, hi := uint64(4200), uint64(4800)
	twoOut := newBatch(t, 4200, 5000, 4500, 100, 4800, 4799)

	assert.ProverSucceeded(circuit, thresholdAssignment(t, n, lo, hi, 2, twoOut), circuitOpts...)
	assert.ProverSucceeded(circuit, thresholdAssignment(t, n, lo, hi, 5, twoOut), circuitOpts...)
	assert.ProverSucceeded(circuit, thresholdAssignment(t, n, lo, hi, 0, newBatch(t, values(n, 4200)...)), circuitOpts...)

	for name, bad := range map[string]func() *ThresholdCircuit{
		"three outside, m=2": func() *ThresholdCircuit {
			return thresholdAssignment(t, n, lo, hi, 2, newBatch(t, 4200, 5000, 4500, 100, 4801))
		},
		"excursion flagged inside": func() *ThresholdCircuit {
			a := thresholdAssignment(t, n, lo, hi, 1, twoOut)
			a.Inside[1] = 1 // 5000 claimed inside
			return a
		},
		"excursion moved to padding": func() *ThresholdCircuit {
			a := thresholdAssignment(t, n, lo, hi, 1, twoOut)
			a.Count = 5
			a.Live[5] = 0
			return a
		},
		"one bad reading, m=0": func() *ThresholdCircuit {
			return thresholdAssignment(t, n, lo, hi, 0, newBatch(t, append(values(n-1, 4200), 4199)...))
		},
		"m wraps the field": func() *ThresholdCircuit {
			a := thresholdAssignment(t, n, lo, hi, 2, newBatch(t, 5000, 5000, 5000))
			a.MaxOutside = new(big.Int).Sub(fr.Modulus(), big.NewInt(1))
			return a
		},
		"swapped lo and hi": func() *ThresholdCircuit {
			a := thresholdAssignment(t, n, lo, hi, 2, twoOut)
			a.Lo, a.Hi = a.Hi, a.Lo
			return a
		},
		"wrong salt": func() *ThresholdCircuit {
			a := thresholdAssignment(t, n, lo, hi, 2, twoOut)
			a.Salts[0] = big.NewInt(1)
			return a
		},
	} {
		assert.Run(func(assert *test.Assert) {
			assert.ProverFailed(circuit, bad(), circuitOpts...)
		}, name)
	}
}

// TestPublicInputCounts checks the counts the key decoders rely on.
func TestPublicInputCounts(t *testing.T) {
	for _, s := range []Shape{ReadingShape(16), BatchShape(16, 16), BoxShape(3, 16), ThresholdShape(16, 8)} {
		cc, err := Compile(s, Groth16)
		if err != nil {
			t.Fatal(err)
		}
		if got := cc.ccs.GetNbPublicVariables() - 1; got != publicCount(s) {
			t.Errorf("%v: %d public inputs, publicCount says %d", s, got, publicCount(s))
		}
	}
}
