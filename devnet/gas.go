package devnet

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"
)

// GasBook records the gas of transactions by kind, in the order kinds were
// first seen. The zero GasBook is empty and ready; it is not safe for
// concurrent use.
type GasBook struct {
	names []string
	count map[string]int
	gas   map[string]uint64
	total uint64
}

// Add records r's gas under what and returns it. A nil receipt records
// nothing and returns 0.
func (g *GasBook) Add(what string, r *types.Receipt) uint64 {
	if r == nil {
		return 0
	}
	if g.count == nil {
		g.count, g.gas = map[string]int{}, map[string]uint64{}
	}
	if g.count[what] == 0 {
		g.names = append(g.names, what)
	}
	g.count[what]++
	g.gas[what] += r.GasUsed
	g.total += r.GasUsed
	return r.GasUsed
}

// Gas returns the gas recorded under what, and how many transactions.
func (g *GasBook) Gas(what string) (gas uint64, count int) { return g.gas[what], g.count[what] }

// Total returns the gas of every recorded transaction.
func (g *GasBook) Total() uint64 { return g.total }

// Lines returns one line per kind of transaction, in first-seen order
// (kinds seen more than once show the count and the gas of each), then the
// total.
func (g *GasBook) Lines() []string {
	var out []string
	for _, n := range g.names {
		if c := g.count[n]; c > 1 {
			out = append(out, fmt.Sprintf("%-34s %9s  (%d, %s each)", n, Thousands(g.gas[n]), c, Thousands(g.gas[n]/uint64(c))))
		} else {
			out = append(out, fmt.Sprintf("%-34s %9s", n, Thousands(g.gas[n])))
		}
	}
	return append(out, fmt.Sprintf("%-34s %9s", "total", Thousands(g.total)))
}

// Thousands writes n in decimal with commas between groups of three digits.
func Thousands(n uint64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Ether writes an amount of wei as ether, exactly (no rounding), e.g.
// "0.005 ETH".
func Ether(wei *big.Int) string {
	q, r := new(big.Int).QuoRem(wei, big.NewInt(1e18), new(big.Int))
	frac := fmt.Sprintf("%018d", r.Abs(r))
	for len(frac) > 1 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	sign := ""
	if wei.Sign() < 0 && q.Sign() == 0 {
		sign = "-"
	}
	return sign + q.String() + "." + frac + " ETH"
}
