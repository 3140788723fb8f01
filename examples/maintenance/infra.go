package main

// The narrative's formats. The log, the chain, the clock and the printer
// come from package devnet.

import (
	"math/big"

	"github.com/iotrust/iotrust/devnet"
)

// printer writes the narrative, a line a call.
type printer struct{ devnet.Printer }

func (p printer) f(format string, a ...any) { p.Printf(format+"\n", a...) }

// short abbreviates a long identifier for the narrative.
func short(s string) string {
	if len(s) <= 28 {
		return s
	}
	return s[:20] + "…" + s[len(s)-6:]
}

// money formats an amount of a 6-decimal currency given in its smallest
// unit.
func money(x *big.Int) string { return "€" + devnet.Decimal(x, 6) }
