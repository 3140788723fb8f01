package anchor_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// FuzzCommitmentJSON: whatever the bytes, UnmarshalJSON returns a valid
// commitment or an error matching ErrInvalidCommitment; what it accepts
// is the one form MarshalJSON writes (member order and whitespace aside).
func FuzzCommitmentJSON(f *testing.F) {
	f.Add([]byte(goodCommitmentJSON))
	f.Add([]byte(anchortestJSONSeed("fuzz")))
	for _, tc := range commitmentHostile() {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var c anchor.Commitment
		if err := c.UnmarshalJSON(b); err != nil {
			if !errors.Is(err, anchor.ErrInvalidCommitment) {
				t.Fatalf("error %v does not match ErrInvalidCommitment", err)
			}
			return
		}
		if string(b) == "null" {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted an invalid commitment: %v", err)
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back anchor.Commitment
		if err := back.UnmarshalJSON(out); err != nil || !back.Equal(c) {
			t.Fatalf("re-encoding %s does not decode to the same commitment: %v", out, err)
		}
		if !sameValue(b, out) {
			t.Fatalf("accepted %q, which is not the form %s", b, out)
		}
	})
}

// FuzzParseReceipt: ParseReceipt returns a receipt with a valid state and
// commitment, or an error matching ErrMalformedReceipt; what it accepts
// re-encodes to the same JSON value.
func FuzzParseReceipt(f *testing.F) {
	f.Add([]byte(goodReceiptJSON))
	for _, tc := range receiptHostile() {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := anchor.ParseReceipt(b)
		if err != nil {
			if !errors.Is(err, anchor.ErrMalformedReceipt) {
				t.Fatalf("error %v does not match ErrMalformedReceipt", err)
			}
			return
		}
		if !r.State.Valid() || r.Commitment.Validate() != nil {
			t.Fatalf("accepted a receipt in state %d with commitment %+v", r.State, r.Commitment)
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		back, err := anchor.ParseReceipt(out)
		if err != nil {
			t.Fatalf("re-encoding %s does not decode: %v", out, err)
		}
		if again, _ := json.Marshal(back); string(again) != string(out) {
			t.Fatalf("re-encoding is not stable: %s then %s", out, again)
		}
		if !sameValue(b, out) {
			t.Fatalf("accepted %q, which is not the form %s", b, out)
		}
	})
}

func anchortestJSONSeed(seed string) string {
	b, _ := json.Marshal(anchortest.Commitment(seed))
	return string(b)
}

// sameValue reports whether a and b are the same JSON value, numbers
// compared as written.
func sameValue(a, b []byte) bool {
	va, errA := decodeAny(a)
	vb, errB := decodeAny(b)
	return errA == nil && errB == nil && equalJSON(va, vb)
}

func decodeAny(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

func equalJSON(a, b any) bool {
	ja, _ := json.Marshal(a) // maps marshal with sorted keys
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
