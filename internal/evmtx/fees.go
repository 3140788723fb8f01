package evmtx

import (
	"errors"
	"fmt"
	"math/big"
)

// ErrFeeTooHigh is returned when the fee per gas a transaction needs (to be
// mined now, or to replace a stuck one) exceeds Config.MaxFeePerGas.
var ErrFeeTooHigh = errors.New("transaction fee per gas above the configured maximum")

// PriceBump is the least rise, in percent, of both the tip and the fee cap
// that a node accepts for a replacement (go-ethereum's txpool.pricebump
// default). Replacements here always rise by more than that.
const PriceBump = 10

// fees prices a transaction: an EIP-1559 tip and fee cap, or (tip nil) a
// legacy gas price in feeCap.
type fees struct {
	tip, feeCap *big.Int
}

func (f fees) legacy() bool { return f.tip == nil }

func (f fees) String() string {
	if f.legacy() {
		return fmt.Sprintf("gas price %s wei", f.feeCap)
	}
	return fmt.Sprintf("tip %s wei, fee cap %s wei", f.tip, f.feeCap)
}

// initialFees prices a new transaction: the suggested tip and a fee cap of
// twice the base fee plus the tip, which rides out six full blocks of
// base-fee rises, capped by max (nil: no cap). With no base fee (a chain
// before London) it is the suggested gas price. It fails with
// ErrFeeTooHigh when even base fee plus tip exceeds max.
func initialFees(baseFee, suggested, max *big.Int) (fees, error) {
	if baseFee == nil {
		if max != nil && suggested.Cmp(max) > 0 {
			return fees{}, fmt.Errorf("%w: need %s wei, maximum %s", ErrFeeTooHigh, suggested, max)
		}
		return fees{feeCap: new(big.Int).Set(suggested)}, nil
	}
	tip := new(big.Int).Set(suggested)
	feeCap := new(big.Int).Add(tip, new(big.Int).Lsh(baseFee, 1))
	if max != nil && feeCap.Cmp(max) > 0 {
		if need := new(big.Int).Add(tip, baseFee); need.Cmp(max) > 0 {
			return fees{}, fmt.Errorf("%w: need %s wei, maximum %s", ErrFeeTooHigh, need, max)
		}
		feeCap.Set(max)
	}
	return fees{tip: tip, feeCap: feeCap}, nil
}

// bumped returns the least value a node takes as a PriceBump percent rise
// of x, plus one: go-ethereum requires new >= old*(100+bump)/100 (integer
// division) and new > old.
func bumped(x *big.Int) *big.Int {
	v := new(big.Int).Mul(x, big.NewInt(100+PriceBump))
	v.Quo(v, big.NewInt(100))
	return v.Add(v, big.NewInt(1))
}

// replacementFees prices the replacement of a transaction priced old that
// is not being mined: tip and fee cap each rise by more than PriceBump
// percent, and further where the market asks for more (the suggested tip,
// twice the current base fee plus the tip), never above max (nil: no cap).
// It fails with ErrFeeTooHigh when max leaves no room for a replacement
// that a node accepts and a block can include (fee cap at least base fee
// plus the bumped tip).
func replacementFees(old fees, baseFee, suggested, max *big.Int) (fees, error) {
	if old.legacy() {
		price := bigMax(bumped(old.feeCap), suggested)
		if max != nil && price.Cmp(max) > 0 {
			need := bumped(old.feeCap)
			if need.Cmp(max) > 0 {
				return fees{}, fmt.Errorf("%w: replacing needs %s wei, maximum %s", ErrFeeTooHigh, need, max)
			}
			price = new(big.Int).Set(max)
		}
		return fees{feeCap: price}, nil
	}
	minTip, minCap := bumped(old.tip), bumped(old.feeCap)
	tip := bigMax(minTip, suggested)
	feeCap := bigMax(minCap, new(big.Int).Add(new(big.Int).Lsh(baseFee, 1), tip))
	if max != nil && feeCap.Cmp(max) > 0 {
		need := bigMax(minCap, new(big.Int).Add(baseFee, minTip))
		if need.Cmp(max) > 0 {
			return fees{}, fmt.Errorf("%w: replacing needs %s wei, maximum %s", ErrFeeTooHigh, need, max)
		}
		feeCap = new(big.Int).Set(max)
		tip = bigMin(tip, new(big.Int).Sub(feeCap, baseFee))
	}
	return fees{tip: tip, feeCap: feeCap}, nil
}

func bigMax(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}

func bigMin(a, b *big.Int) *big.Int {
	if a.Cmp(b) <= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}
