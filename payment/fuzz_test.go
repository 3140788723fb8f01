package payment

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"log/slog"
	"math/big"
	"testing"

	"github.com/iotrust/iotrust/canon"
)

func voucherSeeds(f *testing.F) [][]byte {
	clk := newTestClock()
	var out [][]byte
	for _, s := range []Signer{ed25519Signer(f, 1), ethSigner(f, 1)} {
		c := testChannel(s, clk, 1000)
		v := signed(f, s, c, 1, 2, 3)
		b, _ := v.MarshalBinary()
		out = append(out, b)
		v.NotBefore, v.NotAfter = 10, 20
		v.Condition = canon.Digest{Func: canon.SHA256, Sum: [32]byte{1}}
		Sign(s, v)
		b, _ = v.MarshalBinary()
		out = append(out, b)
	}
	return out
}

// FuzzParseVoucher: the decoder never panics, and whatever it accepts
// re-encodes to exactly the same bytes (one encoding per voucher), and the
// payee's checks on it never panic either.
func FuzzParseVoucher(f *testing.F) {
	for _, b := range voucherSeeds(f) {
		f.Add(b)
		f.Add(b[:len(b)-1])
	}
	for _, tc := range binaryVoucherCases(f) {
		f.Add(tc.in)
	}
	clk := newTestClock()
	s := ed25519Signer(f, 1)
	c := testChannel(s, clk, 1000)
	payee := newTestPayee(f, openStore(f, f.TempDir(), "payee"), clk)
	if err := payee.Open(context.Background(), c); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ParseVoucher(b)
		if err != nil {
			return
		}
		again, err := v.MarshalBinary()
		if err != nil {
			t.Fatalf("accepted voucher does not re-encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("non-canonical encoding accepted:\n%x\n%x", b, again)
		}
		if _, err := v.Digest(); err != nil {
			t.Fatalf("accepted voucher has no digest: %v", err)
		}
		payee.Accept(context.Background(), v, big.NewInt(0))
	})
}

// FuzzStoreReplay: store records of any content (here framed by a 2-byte
// length each) replay to an error or a state, never a panic; replaying the
// records accepted before the first error again gives the same state.
func FuzzStoreReplay(f *testing.F) {
	clk := newTestClock()
	s := ed25519Signer(f, 1)
	c := testChannel(s, clk, 1000)
	chJSON, err := json.Marshal(c)
	if err != nil {
		f.Fatal(err)
	}
	v1, _ := signed(f, s, c, 0, 1, 5).MarshalBinary()
	v2, _ := signed(f, s, c, 0, 1, 6).MarshalBinary()
	frame := func(recs ...[]byte) []byte {
		var b []byte
		for _, r := range recs {
			b = append(binary.BigEndian.AppendUint16(b, uint16(len(r))), r...)
		}
		return b
	}
	ch := storeRecord(recChannel, chJSON)
	vr := storeRecord(recVoucher, append(make([]byte, 8), v1...))
	ev := storeRecord(recEvidence, append(append(binary.BigEndian.AppendUint16(nil, uint16(len(v1))), v1...), v2...))
	f.Add(frame(ch, vr, ev))
	f.Add(frame(vr, ch))
	f.Add(frame(ch, vr[:len(vr)-3]))
	f.Add(frame(ch, []byte{}, ev))
	f.Add(frame([]byte{9, 0}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var recs [][]byte
		for len(b) >= 2 {
			n := min(int(binary.BigEndian.Uint16(b)), len(b)-2)
			recs, b = append(recs, b[2:2+n]), b[2+n:]
		}
		st := newStore(slog.New(slog.DiscardHandler))
		ok := 0
		for _, r := range recs {
			if st.apply(r) != nil {
				break
			}
			ok++
		}
		again := newStore(slog.New(slog.DiscardHandler))
		for _, r := range recs[:ok] {
			if err := again.apply(r); err != nil {
				t.Fatalf("accepted record refused on replay: %v", err)
			}
		}
		if len(again.channels) != len(st.channels) || len(again.best) != len(st.best) || len(again.evidence) != len(st.evidence) {
			t.Fatal("replaying the accepted records changed the state")
		}
		if len(st.channels)+len(st.evidence) > ok {
			t.Fatalf("%d records made %d channels and %d evidence", ok, len(st.channels), len(st.evidence))
		}
	})
}
