package logfuzz

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
	"github.com/iotrust/iotrust/anchor/evm"
	"github.com/iotrust/iotrust/anchor/evm/contracts"
)

var anchoredEvent = func() abi.Event {
	parsed, err := abi.JSON(strings.NewReader(contracts.AnchorMetaData.ABI))
	if err != nil {
		panic(err)
	}
	return parsed.Events["Anchored"]
}()

// anchoredLog is the log the contract emits for c, built with
// go-ethereum's ABI encoder.
func anchoredLog(t testing.TB, c anchor.Commitment, gateway common.Address) types.Log {
	t.Helper()
	data, err := anchoredEvent.Inputs.NonIndexed().Pack(uint8(c.Root.Func), c.CID.Bytes(),
		uint64(c.WindowStart.UnixNano()), uint64(c.WindowEnd.UnixNano()), c.Count, c.Topic, c.Metadata)
	if err != nil {
		t.Fatal(err)
	}
	return types.Log{Topics: []common.Hash{anchoredEvent.ID, c.Root.Sum, common.BytesToHash(gateway[:])}, Data: data}
}

// FuzzDecodeAnchored feeds arbitrary log data and topics to the decoder: it
// must never panic, and whatever it accepts must be a valid commitment that
// re-encodes to the same log data.
func FuzzDecodeAnchored(f *testing.F) {
	gw := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	for _, seed := range []string{"fuzz", "", "x"} {
		c := anchortest.Commitment(seed + "seed")
		if seed == "" {
			c.Metadata = nil
		}
		l := anchoredLog(f, c, gw)
		f.Add(l.Data, l.Topics[1][:], l.Topics[2][:])
	}
	f.Add([]byte{}, make([]byte, 32), make([]byte, 32))
	f.Add(bytes.Repeat([]byte{0xff}, 400), bytes.Repeat([]byte{1}, 32), make([]byte, 32))
	topic0 := anchoredEvent.ID
	f.Fuzz(func(t *testing.T, data, root, gateway []byte) {
		if len(root) != 32 || len(gateway) != 32 {
			return
		}
		l := types.Log{Topics: []common.Hash{topic0, common.BytesToHash(root), common.BytesToHash(gateway)}, Data: data}
		ev, err := evm.DecodeAnchored(l)
		if err != nil {
			if !errors.Is(err, evm.ErrBadLog) {
				t.Fatalf("error %v does not match evm.ErrBadLog", err)
			}
			return
		}
		if err := ev.Commitment.Validate(); err != nil {
			t.Fatalf("accepted an invalid commitment: %v", err)
		}
		again := anchoredLog(t, ev.Commitment, ev.Gateway)
		if ev.Commitment.Root.Sum != [32]byte(root) || !bytes.Equal(again.Data, data) {
			// ABI decoding tolerates non-canonical offsets and padding; the
			// commitment must still be the one the canonical form carries.
			ev2, err := evm.DecodeAnchored(again)
			if err != nil || !ev2.Commitment.Equal(ev.Commitment) {
				t.Fatalf("re-encoded log decodes to %v, %v", ev2.Commitment, err)
			}
		}
	})
}
