package zkp

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Encoding maps a sensor reading to the unsigned fixed-point integer that
// enters commitments and circuits: encoded = round(x × 10^Decimals) + Offset,
// which must lie in [0, 2^Bits).
//
// Rounding: a decimal with more fractional digits than Decimals is rounded
// to the nearest unit, ties to even (so 0.125 at two decimals gives 0.12 and
// 0.135 gives 0.14). No float is involved at any step.
type Encoding struct {
	// Decimals is the number of decimal digits kept: the scale is 10^Decimals.
	Decimals uint8
	// Offset is added after scaling so that the lowest admissible reading
	// encodes as a small non-negative integer.
	Offset int64
	// Bits is the width of the encoded value; it must equal the Bits of the
	// circuit Shape the value is proven in.
	Bits uint8
}

// Celsius returns the project's temperature encoding: centi-degrees plus
// 4000 in 16 bits, so −40.00 °C encodes as 0 and 615.35 °C as 65535.
func Celsius() Encoding { return Encoding{Decimals: 2, Offset: 4000, Bits: 16} }

// maxDecimalLen bounds the text Encode accepts, so a hostile string cannot
// make it do big-number work.
const maxDecimalLen = 64

func (e Encoding) check() error {
	if e.Decimals > 18 || e.Bits < 1 || e.Bits > MaxBits {
		return fmt.Errorf("%w: decimals %d, bits %d", ErrEncoding, e.Decimals, e.Bits)
	}
	return nil
}

// Encode parses a decimal such as "-3.25" or "12" and returns its encoded
// value. It accepts an optional sign, digits and an optional fraction; no
// exponent, no spaces.
func (e Encoding) Encode(decimal string) (uint64, error) {
	if err := e.check(); err != nil {
		return 0, err
	}
	if len(decimal) == 0 || len(decimal) > maxDecimalLen {
		return 0, fmt.Errorf("%w: %q", ErrEncoding, decimal)
	}
	s := decimal
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if (intPart == "" && frac == "") || (hasDot && frac == "") || !allDigits(intPart) || !allDigits(frac) {
		return 0, fmt.Errorf("%w: %q", ErrEncoding, decimal)
	}
	n, ok := new(big.Int).SetString(intPart+frac, 10)
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrEncoding, decimal)
	}
	d, f := int(e.Decimals), len(frac)
	if f <= d {
		n.Mul(n, pow10(d-f))
	} else {
		q, rem := new(big.Int).QuoRem(n, pow10(f-d), new(big.Int))
		// ties to even: compare 2·rem with the divisor
		cmp := rem.Lsh(rem, 1).Cmp(pow10(f - d))
		if cmp > 0 || (cmp == 0 && q.Bit(0) == 1) {
			q.Add(q, big.NewInt(1))
		}
		n = q
	}
	if neg {
		n.Neg(n)
	}
	return e.fit(n.Add(n, big.NewInt(e.Offset)), decimal)
}

// EncodeScaled encodes a reading already given in units of 10^-Decimals
// (for example centi-degrees for Celsius).
func (e Encoding) EncodeScaled(units int64) (uint64, error) {
	if err := e.check(); err != nil {
		return 0, err
	}
	n := new(big.Int).Add(big.NewInt(units), big.NewInt(e.Offset))
	return e.fit(n, strconv.FormatInt(units, 10))
}

// Decode returns the decimal text of an encoded value, with exactly
// Decimals fractional digits.
func (e Encoding) Decode(v uint64) (string, error) {
	if err := e.check(); err != nil {
		return "", err
	}
	if e.Bits < 64 && v >= 1<<e.Bits {
		return "", fmt.Errorf("%w: %d needs more than %d bits", ErrOutOfRange, v, e.Bits)
	}
	n := new(big.Int).SetUint64(v)
	n.Sub(n, big.NewInt(e.Offset))
	sign := ""
	if n.Sign() < 0 {
		sign = "-"
		n.Neg(n)
	}
	digits := n.String()
	d := int(e.Decimals)
	if d == 0 {
		return sign + digits, nil
	}
	if len(digits) <= d {
		digits = strings.Repeat("0", d-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-d] + "." + digits[len(digits)-d:], nil
}

func (e Encoding) fit(n *big.Int, what string) (uint64, error) {
	if n.Sign() < 0 || n.BitLen() > int(e.Bits) {
		return 0, fmt.Errorf("%w: %s encodes to %s, outside [0, 2^%d)", ErrOutOfRange, what, n, e.Bits)
	}
	return n.Uint64(), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func pow10(k int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
}
