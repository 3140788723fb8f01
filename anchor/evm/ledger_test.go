package evm

import (
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// TestConformance runs the anchor suite on a fresh simulated chain per
// case, with anchors final one block deep: the suite expects a followed
// anchor within 100ms, and the test miner seals an empty block every 20ms.
// Deeper confirmations are tested in TestConfirmations and TestReorg*.
func TestConformance(t *testing.T) {
	anchortest.Run(t, func(t *testing.T) anchor.Ledger {
		c := newTestChain(t)
		return c.ledger(t, c.config(1))
	})
}
