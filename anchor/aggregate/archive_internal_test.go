package aggregate

import (
	"bytes"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// archivedSeed is the archived form of an aggregate of seeds.
func archivedSeed(t testing.TB, seeds ...string) []byte {
	b := &batch{}
	for _, s := range seeds {
		b.members = append(b.members, &member{c: anchortest.Commitment(s)})
	}
	b.agg = aggregateOf(t, seeds...)
	val, err := encodeArchived(b, anchor.Receipt{Ledger: "tlog", Chain: "c", Commitment: b.agg, TxID: "ab", State: anchor.Final})
	if err != nil {
		t.Fatal(err)
	}
	return val
}

// FuzzParseArchived: an archived aggregate is read back only if its
// members rebuild its aggregate, and what is read back encodes to the same
// bytes (one encoding).
func FuzzParseArchived(f *testing.F) {
	f.Add(archivedSeed(f, "a"))
	f.Add(archivedSeed(f, "a", "b", "c"))
	f.Add([]byte{0, 1, 2})
	f.Fuzz(func(t *testing.T, val []byte) {
		b, inner, err := parseArchived(7, val)
		if err != nil {
			return
		}
		again, err := encodeArchived(b, inner)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, val) {
			t.Fatalf("read back as another encoding:\n%x\n%x", val, again)
		}
	})
}

// A damaged archived aggregate is refused: cut short, a member changed
// (its aggregate no longer rebuilds), an inner receipt of another
// commitment.
func TestParseArchivedRefuses(t *testing.T) {
	good := archivedSeed(t, "a", "b")
	if _, _, err := parseArchived(1, good); err != nil {
		t.Fatal(err)
	}
	other := archivedSeed(t, "a", "c")
	bm, _, _ := parseArchived(1, good)
	om, _, _ := parseArchived(1, other)
	encode := func(b *batch, innerOf anchor.Commitment) []byte {
		v, err := encodeArchived(b, anchor.Receipt{Ledger: "tlog", Chain: "c", Commitment: innerOf, TxID: "ab", State: anchor.Final})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := map[string][]byte{
		"cut short":     good[:len(good)-1],
		"empty":         nil,
		"trailing byte": append(bytes.Clone(good), 0),
		// The aggregate of a and b with the members of a and c.
		"another member":                      encode(&batch{agg: bm.agg, members: om.members}, bm.agg),
		"inner receipt of another commitment": encode(bm, om.agg),
	}
	for name, val := range cases {
		if _, _, err := parseArchived(1, val); err == nil {
			t.Errorf("%s: read back", name)
		}
	}
}
