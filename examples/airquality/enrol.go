package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/zkp"
)

// enrol admits the sensors that prove they lie in the zone. Each sensor
// commits to its position and signs the two commitments; the gateway seals
// and anchors them. Its owner gets one bundle of the two readings from the
// gateway (batch.Gateway.EvidenceSet) and attaches a zero-knowledge proof that the committed position lies in the zone; the
// city verifies the bundle (signatures, inclusion, anchor, proof) and that
// the proof's claim is its zone. A sensor outside the zone cannot make the
// proof.
func (c *city) enrol(ctx context.Context, sensors []*sensor, at time.Time) ([]*sensor, error) {
	c.out.Println("2. enrolment: each sensor proves it lies in the zone without revealing where")
	pk, vk, err := zoneKeys(c.out)
	if err != nil {
		return nil, err
	}
	c.trust.ZKPKeys = []*zkp.VerifyingKey{vk}
	if err := writeVerifyingKey(filepath.Join(c.dir, "zone.vk"), vk); err != nil {
		return nil, err
	}
	for _, s := range sensors {
		if err := s.commitPosition(at); err != nil {
			return nil, err
		}
		if err := c.submit(ctx, s.position); err != nil {
			return nil, err
		}
	}
	info, err := c.seal(ctx)
	if err != nil {
		return nil, err
	}
	c.out.Printf("   position commitments: batch %d, %d readings, anchored at log entry %d\n", info.Number, info.Commitment.Count, info.Receipts[0].Position)

	var enrolled []*sensor
	for _, s := range sensors {
		// The owner's side: one bundle of the two position readings, with
		// one multi-leaf inclusion proof, and the zone proof attached.
		var ids []canon.Digest
		for _, r := range s.position {
			id, err := r.ID()
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		b, err := c.gw.EvidenceSet(ctx, ids...)
		if err != nil {
			return nil, err
		}
		if err := s.proveZone(pk, c.zone, b); err != nil {
			if !errors.Is(err, zkp.ErrOutOfRange) {
				return nil, err
			}
			c.out.Printf("   %s  no proof: its position is outside the zone (%v); not enrolled\n", s.name, zkp.ErrOutOfRange)
			continue
		}
		// The city's side.
		if err := c.verify(ctx, s.name+"'s zone evidence", b); err != nil {
			return nil, err
		}
		if err := inZone(b, s.did, c.zone); err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		if err := c.keep(s.name+".zone.evidence.json", b); err != nil {
			return nil, err
		}
		raw, err := b.ZKP.Proof.MarshalBinary()
		if err != nil {
			return nil, err
		}
		c.out.Printf("   %s  in the zone: %d-byte Groth16 proof over 2 anchored commitments verified; enrolled\n", s.name, len(raw))
		enrolled = append(enrolled, s)
	}
	return enrolled, nil
}

func writeVerifyingKey(path string, vk *zkp.VerifyingKey) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := vk.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
