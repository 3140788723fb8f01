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
	f.Add([]byte{})
	f.Add([]byte{1})
	clk := newTestClock()
	s := ed25519Signer(f, 1)
	c := testChannel(s, clk, 1000)
	payee := NewPayee(openStore(f, f.TempDir(), "payee"), clk.Now, nil)
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

// FuzzStoreReplay: store file bytes of any content replay to an error or a
// consistent state, never a panic; replaying the intact prefix again gives
// the same state and no torn tail.
func FuzzStoreReplay(f *testing.F) {
	clk := newTestClock()
	s := ed25519Signer(f, 1)
	c := testChannel(s, clk, 1000)
	// The seed is built in memory: fsyncs in fuzz setup slow every worker.
	chJSON, err := json.Marshal(c)
	if err != nil {
		f.Fatal(err)
	}
	v1, _ := signed(f, s, c, 0, 1, 5).MarshalBinary()
	v2, _ := signed(f, s, c, 0, 1, 6).MarshalBinary()
	seed := encodeRecord(recChannel, chJSON)
	seed = append(seed, encodeRecord(recVoucher, append(make([]byte, 8), v1...))...)
	ev := binary.BigEndian.AppendUint16(nil, uint16(len(v1)))
	seed = append(seed, encodeRecord(recEvidence, append(append(ev, v1...), v2...))...)
	f.Add(seed)
	f.Add(seed[:len(seed)-3])
	f.Add(append(append([]byte(nil), seed...), 0, 0, 0, 0, 0, 0, 0, 0, 0))
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 0, 9})
	f.Fuzz(func(t *testing.T, b []byte) {
		st := newStore(slog.New(slog.DiscardHandler))
		good, err := st.replay(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		if good > int64(len(b)) {
			t.Fatalf("intact prefix %d of %d bytes", good, len(b))
		}
		again := newStore(slog.New(slog.DiscardHandler))
		good2, err := again.replay(bytes.NewReader(b[:good]), good)
		if err != nil || good2 != good {
			t.Fatalf("intact prefix replays to %d, %v", good2, err)
		}
		if len(again.channels) != len(st.channels) || len(again.best) != len(st.best) || len(again.evidence) != len(st.evidence) {
			t.Fatal("replaying the prefix changed the state")
		}
	})
}
