package evm

import (
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// TestConformance runs the anchor suite on a fresh simulated chain per
// case. Anchors are final on inclusion here because the suite expects a
// followed anchor within 100ms, which a loaded machine cannot promise for
// several blocks; confirmations are tested in TestConfirmations, TestReorg*
// and TestFollowWaitsForConfirmations.
func TestConformance(t *testing.T) {
	anchortest.Run(t, func(t *testing.T) anchor.Ledger {
		c := newTestChain(t)
		cfg := c.config(0)
		cfg.NoConfirmations = true
		return c.ledger(t, cfg)
	})
}
