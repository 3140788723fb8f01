package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/stake"
)

// slash publishes the misreport's bundles and slashes the culprit's owner,
// recording the misreport's digest on chain. The same evidence cannot
// slash twice.
func (c *city) slash(ctx context.Context, m stake.Misreport, enrolled []*sensor) error {
	bad := m.Suspect.Readings[0]
	var culprit *sensor
	for _, s := range enrolled {
		if s.did == bad.Device {
			culprit = s
		}
	}
	if culprit == nil {
		return fmt.Errorf("misreport of an unknown device %s", bad.Device)
	}
	c.out.Printf("6. the misreport: %s at %s said %s µg/m³; %d neighbours said %s–%s\n", culprit.name, bad.Time.Format("15:04"),
		tenths(bad.Value), len(m.Neighbours), tenths(minValue(m.Neighbours)), tenths(maxValue(m.Neighbours)))
	if err := c.keep("misreport/suspect.evidence.json", m.Suspect); err != nil {
		return err
	}
	for i, b := range m.Neighbours {
		if err := c.keep(fmt.Sprintf("misreport/neighbour-%d.evidence.json", i+1), b); err != nil {
			return err
		}
	}
	digest, err := m.Digest()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(c.dir, "misreport", "digest.txt"), []byte(digest.String()+"\n"), 0o644); err != nil {
		return err
	}
	c.out.Printf("   %d bundles, each signed and anchored, checked against the rule (differs by > %s µg/m³ from ≥ %d neighbours within %s)\n",
		1+len(m.Neighbours), tenths(rule.Bound), rule.MinNeighbours, dur(rule.MaxSkew))
	c.out.Printf("   misreport digest %s…\n", digest.String()[:24])
	r, err := c.pool.Slash(ctx, c.auth, culprit.account, penalty, digest)
	if err != nil {
		return fmt.Errorf("slash: %w", err)
	}
	c.gas.Add("slash", r)
	if _, err := c.pool.Slash(ctx, c.auth, culprit.account, penalty, digest); !errors.Is(err, stake.ErrAlreadySlashed) {
		return fmt.Errorf("second slash with the same evidence: %v", err)
	}
	left, err := c.pool.BondOf(ctx, culprit.account)
	if err != nil {
		return err
	}
	burned, err := c.pool.Burned(ctx)
	if err != nil {
		return err
	}
	c.out.Printf("   slashed %s of %s's bond (%s left, %s burned); the same evidence again: refused\n",
		devnet.Ether(penalty), culprit.name, devnet.Ether(left.Amount), devnet.Ether(burned))
	return nil
}

func minValue(bs []*evidence.Bundle) int64 {
	v := bs[0].Readings[0].Value
	for _, b := range bs {
		v = min(v, b.Readings[0].Value)
	}
	return v
}

func maxValue(bs []*evidence.Bundle) int64 {
	v := bs[0].Readings[0].Value
	for _, b := range bs {
		v = max(v, b.Readings[0].Value)
	}
	return v
}
