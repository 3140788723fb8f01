package payment

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
)

func readings(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = fmt.Appendf(nil, `{"device":"did:key:z6Mk","seq":%d,"temp_mC":%d}`, i, 4000+i)
	}
	return out
}

// TestPayPerVerifiedReading: the payer promises 5 units for reading 3 of an
// anchored batch; the payee accepts the conditional voucher, and it is
// redeemable only with that reading and its inclusion proof.
func TestPayPerVerifiedReading(t *testing.T) {
	ctx := context.Background()
	for _, h := range []merkle.Hasher{merkle.SHA256, merkle.BLAKE3} {
		t.Run(h.String(), func(t *testing.T) {
			rs := readings(7)
			tree := merkle.NewTree(h, rs)
			root := h.Digest(tree.Root())
			cond, err := ReadingConditionFor(root, rs[3])
			if err != nil {
				t.Fatal(err)
			}
			if cond.Func != h.Func() {
				t.Fatalf("condition states %s, tree is %s", cond.Func, h)
			}

			clk := newTestClock()
			s := ed25519Signer(t, 1)
			c := testChannel(s, clk, 100)
			payer := newTestPayer(t, openStore(t, t.TempDir(), "payer"), s, nil, clk)
			payee := newTestPayee(t, openStore(t, t.TempDir(), "payee"), clk)
			payer.Open(ctx, c)
			payee.Open(ctx, c)
			v, err := payer.Issue(ctx, Payment{Channel: c.ID, Lane: 9, Amount: big.NewInt(5), Condition: cond})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := payee.Accept(ctx, v, nil); err != nil {
				t.Fatal(err)
			}

			proof, err := tree.InclusionProof(3)
			if err != nil {
				t.Fatal(err)
			}
			good := &Redemption{Root: root, Reading: rs[3], Proof: proof}
			if err := Redeemable(v, good); err != nil {
				t.Fatalf("genuine redemption: %v", err)
			}
			other, _ := tree.InclusionProof(4)
			flipped := proof
			flipped.Path = append([]merkle.Hash(nil), proof.Path...)
			flipped.Path[0][0] ^= 1
			otherTree := merkle.NewTree(h, readings(8))
			otherProof, _ := otherTree.InclusionProof(3)
			wrongHasher := merkle.SHA256
			if h == merkle.SHA256 {
				wrongHasher = merkle.BLAKE3
			}
			bad := map[string]*Redemption{
				"none":                      nil,
				"other reading":             {Root: root, Reading: rs[4], Proof: other},
				"tampered reading":          {Root: root, Reading: append([]byte("x"), rs[3]...), Proof: proof},
				"flipped proof":             {Root: root, Reading: rs[3], Proof: flipped},
				"proof for the wrong index": {Root: root, Reading: rs[3], Proof: other},
				"other root":                {Root: h.Digest(otherTree.Root()), Reading: rs[3], Proof: otherProof},
				"other hash function":       {Root: canon.Digest{Func: wrongHasher.Func(), Sum: root.Sum}, Reading: rs[3], Proof: proof},
			}
			for name, r := range bad {
				if err := Redeemable(v, r); !errors.Is(err, ErrConditionUnmet) {
					t.Errorf("%s: got %v, want ErrConditionUnmet", name, err)
				}
			}
		})
	}
}
