package evm

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/evm/contracts"
	"github.com/iotrust/iotrust/canon"
)

// anchoredLog builds the log the contract emits for c, with go-ethereum's
// ABI encoder (independent of the binding's decoder).
func anchoredLog(t testing.TB, c anchor.Commitment, gateway common.Address) types.Log {
	t.Helper()
	parsed, err := abi.JSON(strings.NewReader(contracts.AnchorMetaData.ABI))
	if err != nil {
		t.Fatal(err)
	}
	ev := parsed.Events["Anchored"]
	data, err := ev.Inputs.NonIndexed().Pack(uint8(c.Root.Func), c.CID.Bytes(),
		uint64(c.WindowStart.UnixNano()), uint64(c.WindowEnd.UnixNano()), c.Count, c.Topic, c.Metadata)
	if err != nil {
		t.Fatal(err)
	}
	return types.Log{
		Topics:      []common.Hash{ev.ID, c.Root.Sum, common.BytesToHash(gateway[:])},
		Data:        data,
		BlockNumber: 7,
		TxHash:      common.Hash{9},
	}
}

func TestDecodeAnchoredRoundTrip(t *testing.T) {
	gw := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	for _, seed := range []string{"a", "with metadata", string(bytes.Repeat([]byte("m"), anchor.MaxMetadataLen))} {
		c := anchortest.Commitment(seed)
		ev, err := DecodeAnchored(anchoredLog(t, c, gw))
		if err != nil {
			t.Fatalf("seed %q: %v", seed, err)
		}
		if !ev.Commitment.Equal(c) || ev.Gateway != gw || ev.Block != 7 {
			t.Fatalf("seed %q: decoded %+v", seed, ev)
		}
	}
	c := anchortest.Commitment("sha256")
	c.Root.Func = canon.SHA256
	ev, err := DecodeAnchored(anchoredLog(t, c, gw))
	if err != nil || ev.Commitment.Root != c.Root {
		t.Fatalf("SHA-256 root: %v, %v", ev.Commitment.Root, err)
	}
}

func TestDecodeAnchoredRejects(t *testing.T) {
	gw := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	good := anchoredLog(t, anchortest.Commitment("reject"), gw)
	edit := func(f func(l *types.Log)) types.Log {
		l := good
		l.Topics = append([]common.Hash(nil), good.Topics...)
		l.Data = append([]byte(nil), good.Data...)
		f(&l)
		return l
	}
	cases := map[string]types.Log{
		"no topics":       edit(func(l *types.Log) { l.Topics = nil }),
		"other event":     edit(func(l *types.Log) { l.Topics[0] = common.Hash{1} }),
		"truncated data":  edit(func(l *types.Log) { l.Data = l.Data[:100] }),
		"oversize data":   edit(func(l *types.Log) { l.Data = append(l.Data, make([]byte, maxAnchoredData)...) }),
		"gateway garbage": edit(func(l *types.Log) { l.Topics[2][0] = 1 }),
		"hash func 0":     edit(func(l *types.Log) { l.Data[31] = 0 }),
		"hash func 9":     edit(func(l *types.Log) { l.Data[31] = 9 }),
		"zero root":       edit(func(l *types.Log) { l.Topics[1] = common.Hash{} }),
	}
	for name, l := range cases {
		if _, err := DecodeAnchored(l); !errors.Is(err, ErrBadLog) {
			t.Errorf("%s: %v, want ErrBadLog", name, err)
		}
	}
	bad := anchortest.Commitment("bad window")
	bad.WindowEnd = bad.WindowStart.Add(-1)
	parsed, _ := abi.JSON(strings.NewReader(contracts.AnchorMetaData.ABI))
	data, _ := parsed.Events["Anchored"].Inputs.NonIndexed().Pack(uint8(1), bad.CID.Bytes(),
		uint64(bad.WindowStart.UnixNano()), uint64(bad.WindowEnd.UnixNano()), bad.Count, bad.Topic, bad.Metadata)
	l := good
	l.Data = data
	if _, err := DecodeAnchored(l); !errors.Is(err, ErrBadLog) || !errors.Is(err, anchor.ErrBadWindow) {
		t.Errorf("window end before start: %v, want ErrBadLog and ErrBadWindow", err)
	}
}
