package ceiling_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/internal/ceiling"
	"github.com/iotrust/iotrust/reading"
)

func signed(t testing.TB, n int) []reading.Signed {
	t.Helper()
	k, err := did.Ed25519.DeriveKey(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	id, err := did.New(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]reading.Signed, n)
	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	for i := range out {
		if out[i], err = reading.Sign(k, reading.Reading{Device: id, Topic: "t/x", Seq: uint64(i + 1),
			Time: base.Add(time.Duration(i) * time.Millisecond), Sensor: "temperature", Value: int64(i), Scale: 1, Unit: "Cel"}); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestMeasure(t *testing.T) {
	ss := signed(t, 300)
	r, err := ceiling.Measure(did.NewKeyCache(16, nil, 0), ss, 64)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rate <= 0 {
		t.Fatalf("rate %v", r.Rate)
	}
	// A forged reading makes the measurement fail, not count.
	ss[150].Signature = append([]byte(nil), ss[150].Signature...)
	ss[150].Signature[0] ^= 1
	if _, err := ceiling.Measure(did.NewKeyCache(16, nil, 0), ss, 64); !errors.Is(err, reading.ErrBadSignature) {
		t.Fatalf("forged reading: %v, want %v", err, reading.ErrBadSignature)
	}
	if _, err := ceiling.Measure(did.NewKeyCache(16, nil, 0), nil, 64); err == nil {
		t.Fatal("no readings: no error")
	}
}

func TestCallsAndRunCalls(t *testing.T) {
	ss := signed(t, 10)
	calls := ceiling.Calls(ss, 4)
	if len(calls) != 3 || len(calls[0]) != 4 || len(calls[2]) != 2 || calls[2][1].Seq != 10 {
		t.Fatalf("calls %d", len(calls))
	}
	seen := make(chan uint64, len(ss))
	ceiling.RunCalls(calls, func(c []reading.Signed) {
		for _, s := range c {
			seen <- s.Seq
		}
	})
	close(seen)
	sum := uint64(0)
	for s := range seen {
		sum += s
	}
	if sum != 55 {
		t.Fatalf("sequence numbers seen sum to %d, want 55", sum)
	}
}

func Example() {
	k, _ := did.Ed25519.DeriveKey(make([]byte, 32))
	id, _ := did.New(k.Public())
	var ss []reading.Signed
	for i := range 128 {
		s, _ := reading.Sign(k, reading.Reading{Device: id, Topic: "t/x", Seq: uint64(i + 1),
			Time: time.Now().Add(-time.Minute).Truncate(time.Millisecond), Sensor: "temperature", Value: 1, Scale: 0, Unit: "Cel"})
		ss = append(ss, s)
	}
	r, err := ceiling.Measure(did.NewKeyCache(16, nil, 0), ss, 32)
	fmt.Println(err == nil && r.Rate > 0)
	// Output: true
}
