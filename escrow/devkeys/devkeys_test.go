package devkeys

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"testing"

	"github.com/iotrust/iotrust/escrow"
	"github.com/iotrust/iotrust/zkp"
)

var update = flag.Bool("update", false, "rewrite dev-batch-16-16.pk from escrow.DevSeed")

func commit(t *testing.T, values ...uint64) ([]zkp.Commitment, []zkp.Opening) {
	t.Helper()
	cs := make([]zkp.Commitment, len(values))
	ops := make([]zkp.Opening, len(values))
	for i, v := range values {
		var err error
		if cs[i], ops[i], err = zkp.Commit(v, nil); err != nil {
			t.Fatal(err)
		}
	}
	return cs, ops
}

// TestShippedKeyProves: the shipped proving key proves a batch in range
// that the development verifying key accepts; the proof does not pass for
// another interval, and a value out of range has no proof.
func TestShippedKeyProves(t *testing.T) {
	pk, vk, err := Batch()
	if err != nil {
		t.Fatal(err)
	}
	if pk.Shape() != escrow.DevShape() || vk.Shape() != escrow.DevShape() {
		t.Fatalf("shapes %v, %v", pk.Shape(), vk.Shape())
	}
	iv := zkp.Interval{Lo: 200, Hi: 800}
	cs, openings := commit(t, 440, 500, 799, 200)
	claim := zkp.BatchClaim{Interval: iv, Commitments: cs}
	proof, err := zkp.Prove(pk, claim, openings)
	if err != nil {
		t.Fatal(err)
	}
	if err := zkp.Verify(vk, proof, claim); err != nil {
		t.Fatalf("proof of the shipped key: %v", err)
	}
	other := zkp.BatchClaim{Interval: zkp.Interval{Lo: 201, Hi: 800}, Commitments: cs}
	if err := zkp.Verify(vk, proof, other); err == nil {
		t.Fatal("proof accepted for another interval")
	}
	cs, openings = commit(t, 440, 801)
	if _, err := zkp.Prove(pk, zkp.BatchClaim{Interval: iv, Commitments: cs}, openings); !errors.Is(err, zkp.ErrOutOfRange) {
		t.Fatalf("value out of range: %v, want zkp.ErrOutOfRange", err)
	}
}

// TestShippedKeyIsReproducible reruns the deterministic setup from
// escrow.DevSeed and compares its proving key with the shipped file, byte
// for byte. With -update it rewrites the file instead.
func TestShippedKeyIsReproducible(t *testing.T) {
	if testing.Short() && !*update {
		t.Skip("the deterministic setup takes about 20 s of CPU; skipped in -short mode")
	}
	pk, _, err := escrow.SetupDevKeys("") // fails unless it gives the committed verifying key
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := pk.WriteTo(&got); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("dev-batch-16-16.pk", got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(got.Bytes(), provingKey) {
		t.Fatal("setup from escrow.DevSeed differs from dev-batch-16-16.pk: rerun with -update")
	}
}
