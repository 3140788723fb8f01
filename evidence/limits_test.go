package evidence

import (
	"context"
	"errors"
	"testing"

	"github.com/iotrust/iotrust/merkle"
)

// TestLimits: a bundle of MaxReadings readings is written, read and
// verified; one more reading is refused by NewSet and by Parse.
func TestLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("signs and verifies a thousand readings")
	}
	l := openLog(t, "example.com/iotrust/limits-test", 8)
	b := newBatchWith(t, MaxReadings+1, nil, l)
	idx := make([]uint64, MaxReadings)
	for i := range idx {
		idx[i] = uint64(i)
	}
	p, err := b.tree.MultiInclusionProof(idx)
	if err != nil {
		t.Fatal(err)
	}
	bd, err := NewSet(b.readings[:MaxReadings], p, b.c, b.receipts)
	if err != nil {
		t.Fatal(err)
	}
	file, err := bd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if len(file) > MaxSize {
		t.Fatalf("a full bundle of Ed25519 readings takes %d bytes, over MaxSize", len(file))
	}
	back, err := Parse(file)
	if err != nil {
		t.Fatal(err)
	}
	if rep := Verify(context.Background(), back, b.trust()); !rep.OK() {
		t.Fatalf("full bundle:\n%s", rep)
	}

	over := merkle.MultiInclusionProof{Hasher: p.Hasher, Size: p.Size, Indices: append(idx, MaxReadings), Path: p.Path}
	if _, err := NewSet(b.readings, over, b.c, b.receipts); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("%d readings: %v", MaxReadings+1, err)
	}
	bd.Readings = b.readings
	bd.MultiInclusion = &over
	raw, err := bd.marshal() // bypasses Validate, as a hostile writer would
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(raw); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Parse of %d readings: %v", MaxReadings+1, err)
	}
}
