package zkp

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/permutation/poseidon2"
)

// MaxBits is the widest value range a circuit checks. Soundness needs
// r > 2^(Bits+1), which holds with room to spare for BN254 (r ≈ 2^253.6).
const MaxBits = 64

// The range check, shared by every circuit:
//
// lo and hi are decomposed into Bits bits, so 0 ≤ lo, hi < 2^Bits as integers.
// a = value − lo and b = hi − value are decomposed into Bits bits too, so
// a, b < 2^Bits. Then a + b ≡ hi − lo (mod r) with a + b < 2^(Bits+1) < r.
// If hi ≥ lo, hi − lo lies in [0, r) and a + b = hi − lo exactly, hence
// value = lo + a is the integer in [lo, hi] (no wrap-around). If hi < lo,
// hi − lo ≡ r − (lo − hi) ≥ r − 2^Bits > 2^(Bits+1), which no a + b reaches,
// so no proof exists. Checking only one side would accept value = r − 1.
func assertInRange(api frontend.API, value, lo, hi frontend.Variable, bits int) {
	api.ToBinary(api.Sub(value, lo), bits)
	api.ToBinary(api.Sub(hi, value), bits)
}

func assertBounds(api frontend.API, lo, hi frontend.Variable, bits int) {
	api.ToBinary(lo, bits)
	api.ToBinary(hi, bits)
}

// ReadingCircuit proves that one committed value lies in [Lo, Hi].
// Public inputs, in order: Lo, Hi, Commitment.
type ReadingCircuit struct {
	Lo         frontend.Variable `gnark:",public"`
	Hi         frontend.Variable `gnark:",public"`
	Commitment frontend.Variable `gnark:",public"`
	Value      frontend.Variable
	Salt       frontend.Variable

	Bits int `gnark:"-"`
}

// Define states the constraints.
func (c *ReadingCircuit) Define(api frontend.API) error {
	p, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return err
	}
	assertBounds(api, c.Lo, c.Hi, c.Bits)
	assertInRange(api, c.Value, c.Lo, c.Hi, c.Bits)
	api.AssertIsEqual(p.Compress(c.Value, c.Salt), c.Commitment)
	return nil
}

// BatchCircuit proves that the first Count of len(Values) committed values
// lie in [Lo, Hi] and that their commitments, padded with PaddingLeaf, have
// the Merkle root Root. Public inputs, in order: Lo, Hi, Count, Root.
//
// Live is the private mask (1 for index < Count, else 0); the circuit pins it
// down completely: boolean, non-increasing, summing to Count, Live[0] = 1.
type BatchCircuit struct {
	Lo    frontend.Variable `gnark:",public"`
	Hi    frontend.Variable `gnark:",public"`
	Count frontend.Variable `gnark:",public"`
	Root  frontend.Variable `gnark:",public"`

	Values []frontend.Variable
	Salts  []frontend.Variable
	Live   []frontend.Variable

	Bits int `gnark:"-"`
}

// Define states the constraints.
func (c *BatchCircuit) Define(api frontend.API) error {
	p, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return err
	}
	assertBounds(api, c.Lo, c.Hi, c.Bits)
	assertLiveMask(api, c.Live, c.Count)
	leaves := make([]frontend.Variable, len(c.Values))
	for i := range c.Values {
		// a padded slot checks 0 ∈ [0, 2^Bits) instead of its value
		api.ToBinary(api.Mul(c.Live[i], api.Sub(c.Values[i], c.Lo)), c.Bits)
		api.ToBinary(api.Mul(c.Live[i], api.Sub(c.Hi, c.Values[i])), c.Bits)
		leaves[i] = api.Select(c.Live[i], p.Compress(c.Values[i], c.Salts[i]), paddingBig())
	}
	api.AssertIsEqual(merkleRoot(p, leaves), c.Root)
	return nil
}

// BoxCircuit proves that each of k committed values lies in its own
// interval [Lo[i], Hi[i]]: a location inside a zone, several fields of one
// sample at once. Public inputs, in order: Lo[0..k), Hi[0..k),
// Commitments[0..k).
type BoxCircuit struct {
	Lo          []frontend.Variable `gnark:",public"`
	Hi          []frontend.Variable `gnark:",public"`
	Commitments []frontend.Variable `gnark:",public"`
	Values      []frontend.Variable
	Salts       []frontend.Variable

	Bits int `gnark:"-"`
}

// Define states the constraints.
func (c *BoxCircuit) Define(api frontend.API) error {
	p, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return err
	}
	for i := range c.Values {
		assertBounds(api, c.Lo[i], c.Hi[i], c.Bits)
		assertInRange(api, c.Values[i], c.Lo[i], c.Hi[i], c.Bits)
		api.AssertIsEqual(p.Compress(c.Values[i], c.Salts[i]), c.Commitments[i])
	}
	return nil
}

// ThresholdCircuit proves that at most MaxOutside of the first Count
// committed values lie outside [Lo, Hi], for commitments with Merkle root
// Root (padded as in BatchCircuit). Public inputs, in order: Lo, Hi, Count,
// MaxOutside, Root.
//
// Inside is a private flag per reading. A flag of 1 is range-checked; a flag
// of 0 is not checked at all but counts as an excursion, so a prover can
// only overstate excursions, never hide one.
type ThresholdCircuit struct {
	Lo         frontend.Variable `gnark:",public"`
	Hi         frontend.Variable `gnark:",public"`
	Count      frontend.Variable `gnark:",public"`
	MaxOutside frontend.Variable `gnark:",public"`
	Root       frontend.Variable `gnark:",public"`

	Values []frontend.Variable
	Salts  []frontend.Variable
	Live   []frontend.Variable
	Inside []frontend.Variable

	Bits int `gnark:"-"`
}

// Define states the constraints.
func (c *ThresholdCircuit) Define(api frontend.API) error {
	p, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return err
	}
	assertBounds(api, c.Lo, c.Hi, c.Bits)
	assertLiveMask(api, c.Live, c.Count)
	leaves := make([]frontend.Variable, len(c.Values))
	checked := frontend.Variable(0)
	for i := range c.Values {
		api.AssertIsBoolean(c.Inside[i])
		check := api.Mul(c.Live[i], c.Inside[i])
		checked = api.Add(checked, check)
		api.ToBinary(api.Mul(check, api.Sub(c.Values[i], c.Lo)), c.Bits)
		api.ToBinary(api.Mul(check, api.Sub(c.Hi, c.Values[i])), c.Bits)
		leaves[i] = api.Select(c.Live[i], p.Compress(c.Values[i], c.Salts[i]), paddingBig())
	}
	// outside = Count − checked ≤ N. With MaxOutside < 2^w and 2^w > 2N,
	// MaxOutside − outside has a w-bit representation exactly when
	// outside ≤ MaxOutside (otherwise it wraps to ≥ r − N).
	w := countBits(len(c.Values))
	api.ToBinary(c.MaxOutside, w)
	api.ToBinary(api.Sub(c.MaxOutside, api.Sub(c.Count, checked)), w)
	api.AssertIsEqual(merkleRoot(p, leaves), c.Root)
	return nil
}

// countBits is the width w with 2^w > 2n used for counts of n readings.
func countBits(n int) int {
	w := 1
	for 1<<w <= 2*n {
		w++
	}
	return w
}

// assertLiveMask forces live to be 1…1 0…0 with count ones, count ≥ 1.
func assertLiveMask(api frontend.API, live []frontend.Variable, count frontend.Variable) {
	sum := frontend.Variable(0)
	for i := range live {
		api.AssertIsBoolean(live[i])
		if i > 0 {
			// live[i] = 1 only if live[i-1] = 1
			api.AssertIsEqual(api.Mul(live[i], api.Sub(1, live[i-1])), 0)
		}
		sum = api.Add(sum, live[i])
	}
	api.AssertIsEqual(live[0], 1)
	api.AssertIsEqual(sum, count)
}

func merkleRoot(p *poseidon2.Permutation, leaves []frontend.Variable) frontend.Variable {
	level := leaves
	for len(level) > 1 {
		next := make([]frontend.Variable, len(level)/2)
		for i := range next {
			next[i] = p.Compress(level[2*i], level[2*i+1])
		}
		level = next
	}
	return level[0]
}

func paddingBig() *big.Int {
	pad := PaddingLeaf()
	return bigOf(pad)
}
