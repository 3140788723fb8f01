package reading

import (
	"context"
	"crypto/elliptic"
	"errors"
	"math/big"
	"testing"

	"github.com/iotrust/iotrust/did"
)

// A P-256 signature (r, s) also verifies as (r, n−s). The leaf commits to
// the signature's bytes, so a relay could make a second leaf for one
// reading without the device key: only the low-s form is accepted, by
// Verify and VerifyBatch alike, and Sign makes only that form.
func TestP256HighSRefused(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, did.P256, 11)
	n := elliptic.P256().Params().N
	half := new(big.Int).Rsh(n, 1)
	for i := range 32 {
		s := mustSign(t, d, sample(d.did, uint64(i+1)))
		if new(big.Int).SetBytes(s.Signature[32:]).Cmp(half) > 0 {
			t.Fatalf("reading %d: Sign made a high-s signature", i)
		}
		if err := Verify(ctx, did.SelfCertifying{}, s); err != nil {
			t.Fatalf("reading %d: %v", i, err)
		}
		// The other form of the same signature.
		high := s
		high.Signature = append([]byte(nil), s.Signature...)
		new(big.Int).Sub(n, new(big.Int).SetBytes(s.Signature[32:])).FillBytes(high.Signature[32:])
		if pk := d.key.Public(); !pk.Verify(mustMessage(t, s), high.Signature) {
			t.Fatal("n−s does not verify as an ECDSA signature: the test builds it wrong")
		}
		if err := Verify(ctx, did.SelfCertifying{}, high); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("reading %d with n−s: Verify = %v, want ErrBadSignature", i, err)
		}
		errs := VerifyBatch(ctx, did.SelfCertifying{}, []Signed{s, high})
		if errs[0] != nil || !errors.Is(errs[1], ErrBadSignature) {
			t.Fatalf("reading %d: VerifyBatch = %v, want nil and ErrBadSignature", i, errs)
		}
	}
}

func mustMessage(t *testing.T, s Signed) []byte {
	t.Helper()
	m, err := s.Reading.SigningMessage()
	if err != nil {
		t.Fatal(err)
	}
	return m
}
