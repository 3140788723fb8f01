package main

// The chain the example settles on, and the narrative's formats. The log,
// the chain and the clock come from package devnet.

import (
	"fmt"
	"io"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/devnet"
)

// chain is the devnet chain with the gas of this run's transactions.
type chain struct {
	*devnet.Chain
	gas devnet.GasBook
}

// record notes the gas a transaction used, for the summary.
func (c *chain) record(what string, r *types.Receipt) uint64 { return c.gas.Add(what, r) }

// printer writes the narrative.
type printer struct{ w io.Writer }

func (p printer) f(format string, a ...any) { _, _ = fmt.Fprintf(p.w, format+"\n", a...) }

// short abbreviates a long identifier for the narrative.
func short(s string) string {
	if len(s) <= 28 {
		return s
	}
	return s[:20] + "…" + s[len(s)-6:]
}

// money formats an amount of a 6-decimal currency given in its smallest
// unit.
func money(x *big.Int) string {
	q, r := new(big.Int).QuoRem(x, big.NewInt(1_000_000), new(big.Int))
	return fmt.Sprintf("€%s.%06d", q, r.Abs(r).Int64())
}
