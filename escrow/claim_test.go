package escrow

import (
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/zkp"
)

func signed(t *testing.T, key did.PrivateKey, seq uint64, commitment []byte, value int64) reading.Signed {
	t.Helper()
	dev, err := did.New(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	s, err := reading.Sign(key, reading.Reading{
		Device: dev, Topic: "coldchain/test", Seq: seq, Time: time.UnixMilli(1_800_000_000_000 + int64(seq)).UTC(),
		Sensor: "temperature", Value: value, Scale: 2, Unit: "Cel", Commitment: commitment,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestClaimOrder: whatever order the readings come in, the claim lists
// their commitments by device, then sequence number, so attester and prover
// agree on the root.
func TestClaimOrder(t *testing.T) {
	a, _ := did.Ed25519.GenerateKey(nil)
	b, _ := did.Ed25519.GenerateKey(nil)
	cs, _ := shipment(t, 4300, 4400, 4500, 4600)
	rs := []reading.Signed{signed(t, a, 2, cs[1][:], 0), signed(t, b, 1, cs[2][:], 0), signed(t, a, 1, cs[0][:], 0), signed(t, b, 9, cs[3][:], 0)}
	claim, err := Claim(rs, interval)
	if err != nil {
		t.Fatal(err)
	}
	byDevice := map[string][]zkp.Commitment{rs[2].Device: {cs[0], cs[1]}, rs[1].Device: {cs[2], cs[3]}}
	first, second := rs[2].Device, rs[1].Device
	if second < first {
		first, second = second, first
	}
	want := append(append([]zkp.Commitment{}, byDevice[first]...), byDevice[second]...)
	for i := range want {
		if claim.Commitments[i] != want[i] {
			t.Fatalf("commitment %d out of order", i)
		}
	}
	if claim.Interval != interval {
		t.Fatalf("interval %v", claim.Interval)
	}
	reversed := []reading.Signed{rs[3], rs[2], rs[1], rs[0]}
	again, _ := Claim(reversed, interval)
	r1, _ := zkp.MerkleRoot(claim.Commitments, 16)
	r2, _ := zkp.MerkleRoot(again.Commitments, 16)
	if r1 != r2 {
		t.Fatal("the root depends on the input order")
	}
}

// TestClaimOpenings: openings given in the readings' order come back in
// the claim's, each opening its commitment; a wrong or missing opening is
// ErrOpeningMismatch.
func TestClaimOpenings(t *testing.T) {
	a, _ := did.Ed25519.GenerateKey(nil)
	b, _ := did.Ed25519.GenerateKey(nil)
	cs, os := shipment(t, 4300, 4400, 4500, 4600)
	rs := []reading.Signed{signed(t, b, 9, cs[0][:], 0), signed(t, a, 2, cs[1][:], 0), signed(t, b, 1, cs[2][:], 0), signed(t, a, 1, cs[3][:], 0)}
	claim, ordered, err := ClaimOpenings(rs, os, interval)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range ordered {
		if c, _ := o.Commitment(); c != claim.Commitments[i] {
			t.Fatalf("opening %d does not open commitment %d", i, i)
		}
	}
	swapped := []zkp.Opening{os[1], os[0], os[2], os[3]}
	if _, _, err := ClaimOpenings(rs, swapped, interval); !errors.Is(err, ErrOpeningMismatch) {
		t.Fatalf("openings swapped: %v", err)
	}
	if _, _, err := ClaimOpenings(rs, os[:3], interval); !errors.Is(err, ErrOpeningMismatch) {
		t.Fatalf("an opening missing: %v", err)
	}
}

// TestClaimRefusals: readings the claim cannot be about.
func TestClaimRefusals(t *testing.T) {
	a, _ := did.Ed25519.GenerateKey(nil)
	cs, _ := shipment(t, 4300, 4400)
	var high [32]byte
	for i := range high {
		high[i] = 0xff
	}
	for _, tc := range []struct {
		name string
		rs   []reading.Signed
		want error
	}{
		{"no readings", nil, ErrNoCommitment},
		{"a public value", []reading.Signed{signed(t, a, 1, cs[0][:], 0), signed(t, a, 2, nil, 450)}, ErrNoCommitment},
		{"same device and sequence twice", []reading.Signed{signed(t, a, 1, cs[0][:], 0), signed(t, a, 1, cs[1][:], 0)}, ErrNoCommitment},
		{"commitment not a field element", []reading.Signed{signed(t, a, 1, high[:], 0)}, zkp.ErrNonCanonical},
	} {
		if _, err := Claim(tc.rs, interval); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
}
