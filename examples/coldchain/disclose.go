package main

import (
	"encoding/hex"
	"fmt"

	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/zkp"
)

// commitCelsius commits to a temperature in hundredths of a degree under
// zkp.Celsius() (centi-degrees + 4000), with a fresh random salt.
func commitCelsius(centi int64) (zkp.Commitment, zkp.Opening, error) {
	v, err := zkp.Celsius().EncodeScaled(centi)
	if err != nil {
		return zkp.Commitment{}, zkp.Opening{}, err
	}
	return zkp.Commit(v, nil)
}

// disclose plays both sides of a zero-knowledge disclosure over one sealed
// batch: the owner, who holds the openings, proves each private reading of
// device lay within [2.00, 8.00] °C; the insurer, who holds only the signed
// readings from the anchored batch, checks signature, inclusion and proof
// for every one of them.
func disclose(out printer, b *batch, device string, openings map[uint64]zkp.Opening) error {
	out.Println("4. zero-knowledge disclosure: every private reading within 2.00–8.00 °C")
	cc, err := zkp.Compile(zkp.ReadingShape(int(zkp.Celsius().Bits)), zkp.Groth16)
	if err != nil {
		return err
	}
	// Development keys from a public seed: anyone could forge with them.
	// Production keys come from a multi-party ceremony (zkp.KeysFromCeremony).
	pk, vk, err := zkp.UnsafeSetup(cc, []byte("iotrust coldchain example"))
	if err != nil {
		return err
	}
	lo, _ := zkp.Celsius().Encode("2.00")
	hi, _ := zkp.Celsius().Encode("8.00")
	interval := zkp.Interval{Lo: lo, Hi: hi}
	root := b.tree.Root()

	var proved, bytes int
	var narrowFails int
	for i, leaf := range b.leaves {
		var sr SignedReading
		if err := sr.fromLeaf(leaf); err != nil {
			return err
		}
		if sr.Device != device {
			continue
		}
		// Owner: prove the committed value is in range.
		c, err := commitmentOf(sr)
		if err != nil {
			return err
		}
		claim := zkp.ReadingClaim{Interval: interval, Commitment: c}
		proof, err := zkp.Prove(pk, claim, []zkp.Opening{openings[sr.Seq]})
		if err != nil {
			return fmt.Errorf("prove reading %d: %w", sr.Seq, err)
		}
		// Insurer: the reading is signed, anchored, and its commitment in range.
		if err := verify(sr); err != nil {
			return err
		}
		incl, err := b.tree.InclusionProof(uint64(i))
		if err != nil {
			return err
		}
		if err := incl.Verify(merkle.BLAKE3.HashLeaf(leaf), root); err != nil {
			return err
		}
		if err := zkp.Verify(vk, proof, claim); err != nil {
			return fmt.Errorf("reading %d: %w", sr.Seq, err)
		}
		// The same proof says nothing about a narrower interval.
		narrow := zkp.ReadingClaim{Interval: zkp.Interval{Lo: lo, Hi: lo + 100}, Commitment: c}
		if zkp.Verify(vk, proof, narrow) != nil {
			narrowFails++
		}
		raw, err := proof.MarshalBinary()
		if err != nil {
			return err
		}
		proved++
		bytes += len(raw)
	}
	out.Printf("   %d private readings of %s: signature, inclusion and range proof ok\n", proved, short(device))
	out.Printf("   %d proofs, %d bytes in all; no value revealed\n", proved, bytes)
	out.Printf("   the same proofs checked against 2.00–3.00 °C: %d of %d rejected\n", narrowFails, proved)
	return nil
}

func commitmentOf(sr SignedReading) (zkp.Commitment, error) {
	raw, err := hex.DecodeString(sr.Commit)
	if err != nil {
		return zkp.Commitment{}, err
	}
	return zkp.ParseCommitment(raw)
}
