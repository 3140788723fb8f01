package evmtx

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/iotrust/iotrust/internal/evmtx/evmtxtest"
)

const revertABI = `[
 {"type":"error","name":"TooLow","inputs":[{"name":"have","type":"uint256"},{"name":"want","type":"uint256"}]},
 {"type":"error","name":"Closed","inputs":[]}
]`

func TestDecodeRevert(t *testing.T) {
	a := MustParseABI(func() (*abi.ABI, error) { x, err := abi.JSON(strings.NewReader(revertABI)); return &x, err })
	tooLow := a.Errors["TooLow"]
	args, err := tooLow.Inputs.Pack(big.NewInt(3), big.NewInt(7))
	if err != nil {
		t.Fatal(err)
	}
	data := hexutil.Encode(append(tooLow.ID[:4:4], args...))
	closedID := a.Errors["Closed"].ID
	closed := hexutil.Encode(closedID[:4])

	name, got, ok := DecodeRevert(a, fmt.Errorf("estimate: %w", evmtxtest.Reverted(data)))
	if !ok || name != "TooLow" || len(got) != 2 || got[0].(*big.Int).Int64() != 3 || got[1].(*big.Int).Int64() != 7 {
		t.Fatalf("TooLow(3, 7) decoded as %q %v %v", name, got, ok)
	}
	if name, got, ok := DecodeRevert(a, evmtxtest.Reverted(closed)); !ok || name != "Closed" || len(got) != 0 {
		t.Fatalf("Closed() decoded as %q %v %v", name, got, ok)
	}
	for _, c := range []struct {
		name string
		err  error
	}{
		{"no data", errors.New("connection refused")},
		{"nil", nil},
		{"data not a string", evmtxtest.Reverted(42)},
		{"not hex", evmtxtest.Reverted("0xzz")},
		{"short selector", evmtxtest.Reverted("0x0102")},
		{"unknown selector", evmtxtest.Reverted("0xdeadbeef")},
		{"arguments cut short", evmtxtest.Reverted(data[:len(data)-2])},
	} {
		if name, _, ok := DecodeRevert(a, c.err); ok {
			t.Errorf("%s: decoded as %s", c.name, name)
		}
	}
	if d, ok := RevertData(evmtxtest.Reverted("0xzz")); !ok || d != nil {
		t.Errorf("non-hex revert data: %x %v, want nil, true", d, ok)
	}
	if _, ok := RevertData(errors.New("x")); ok {
		t.Error("plain error carries revert data")
	}
}

func TestMustParseABIPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for an ABI that does not parse")
		}
	}()
	MustParseABI(func() (*abi.ABI, error) { return nil, errors.New("bad") })
}

// Senders hands out one Sender per account, the same one on every call.
func TestSenders(t *testing.T) {
	f := newFixture(t, Config{})
	p := NewSenders(f.chain.Client, Config{PollInterval: 2 * time.Millisecond})
	a1, err := p.Of(testCtx(t), KeySigner(f.key))
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := p.Of(testCtx(t), KeySigner(f.key))
	b, _ := p.Of(testCtx(t), KeySigner(f.other))
	if a1 != a2 || a1 == b || b.Address() != evmtxtest.Address(f.other) {
		t.Fatal("Senders: not one Sender per account")
	}
	if r, err := a1.Transact(testCtx(t), f.transfer()); err != nil || r.Status != 1 {
		t.Fatalf("transfer through Senders: %v", err)
	}
}

// FuzzDecodeRevert: revert data comes from whatever endpoint a package
// talks to; decoding it never panics, and what decodes is one of the ABI's
// errors whose arguments re-encode to the data.
func FuzzDecodeRevert(f *testing.F) {
	a := MustParseABI(func() (*abi.ABI, error) { x, err := abi.JSON(strings.NewReader(revertABI)); return &x, err })
	for _, e := range a.Errors {
		f.Add(append(append([]byte(nil), e.ID[:4]...), make([]byte, 32*len(e.Inputs))...))
	}
	f.Add([]byte{})
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		name, args, ok := DecodeRevert(a, evmtxtest.Reverted(hexutil.Encode(b)))
		if !ok {
			return
		}
		e, found := a.Errors[name]
		if !found || string(e.ID[:4]) != string(b[:4]) {
			t.Fatalf("decoded as %q", name)
		}
		packed, err := e.Inputs.Pack(args...)
		if err != nil || !bytes.HasPrefix(b[4:], packed) {
			t.Fatalf("%s%v does not re-encode to the data: %v", name, args, err)
		}
	})
}

// UnpackRevert hands the revert data to the binding's decoder, and tells
// a revert it cannot decode from an error that is no revert.
func TestUnpackRevert(t *testing.T) {
	unpack := func(data []byte) (any, error) {
		if string(data[:4]) != "\x01\x02\x03\x04" {
			return nil, errors.New("unknown error")
		}
		return "Known", nil
	}
	for _, c := range []struct {
		name     string
		err      error
		v        any
		reverted bool
	}{
		{"known", evmtxtest.Reverted("0x01020304"), "Known", true},
		{"unknown selector", evmtxtest.Reverted("0xdeadbeef"), nil, true},
		{"short", evmtxtest.Reverted("0x01"), nil, true},
		{"not hex", evmtxtest.Reverted("zz"), nil, true},
		{"no revert", errors.New("timeout"), nil, false},
	} {
		if v, reverted := UnpackRevert(c.err, unpack); v != c.v || reverted != c.reverted {
			t.Errorf("%s: %v, %v; want %v, %v", c.name, v, reverted, c.v, c.reverted)
		}
	}
}
