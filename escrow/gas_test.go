package escrow

import (
	"testing"
	"time"

	"github.com/iotrust/iotrust/zkp"
)

// TestGasReport measures every call of a deal's life on the simulated chain
// (go test -run TestGasReport -v ./escrow) and holds release — the on-chain
// Groth16 verification of a batch proof plus the payment — to a budget.
func TestGasReport(t *testing.T) {
	pk, _ := devKeys(t)
	c := newChain(t)
	id := c.open(1)
	cs, openings := shipment(t, 4450, 4500, 4550, 4600, 4650, 4700, 4750, 4800, 4200, 4250, 4300, 4350, 4400, 4450, 4500, 4550)
	r, err := c.escrow.Attest(c.ctx, c.auth("gateway"), id, cs)
	if err != nil {
		t.Fatal(err)
	}
	c.gas["attest"] = r.GasUsed
	proof, err := zkp.Prove(pk, zkp.BatchClaim{Interval: interval, Commitments: cs}, openings)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = c.escrow.Release(c.ctx, c.auth("carrier"), id, proof); err != nil {
		t.Fatal(err)
	}
	c.gas["release (verify + transfer)"] = r.GasUsed
	id = c.open(2)
	c.advance(25 * time.Hour)
	if r, err = c.escrow.Expire(c.ctx, c.auth("insurer"), id); err != nil {
		t.Fatal(err)
	}
	c.gas["expire"] = r.GasUsed
	for _, k := range []string{"deploy verifier", "deploy escrow", "open", "attest", "release (verify + transfer)", "expire"} {
		t.Logf("%-28s %9d gas", k, c.gas[k])
	}
	if g := c.gas["release (verify + transfer)"]; g > 300_000 {
		t.Errorf("release uses %d gas, budget 300,000", g)
	}
}
