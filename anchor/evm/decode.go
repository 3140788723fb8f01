package evm

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/evm/contracts"
	"github.com/iotrust/iotrust/canon"
)

// ErrBadLog is returned for a log that is not a well-formed Anchored event
// of a valid commitment.
var ErrBadLog = errors.New("evm: malformed Anchored log")

// maxAnchoredData bounds the data of an Anchored log: six head words, then
// cid, topic and metadata, each a length word and at most its maximum
// rounded up to words. Anything longer is refused before ABI decoding.
const maxAnchoredData = 32*6 + 3*32 + (anchor.MaxCIDLen+31)/32*32 + (anchor.MaxTopicLen+31)/32*32 + (anchor.MaxMetadataLen+31)/32*32

// binding packs and unpacks the contract's calls, events and errors; it is
// immutable after construction and shared.
var binding = contracts.NewAnchor()

// anchoredTopic is the first topic of every Anchored log.
var anchoredTopic = func() common.Hash {
	abi, err := contracts.AnchorMetaData.ParseABI()
	if err != nil {
		panic("evm: committed ABI does not parse: " + err.Error())
	}
	return abi.Events["Anchored"].ID
}()

// AnchoredEvent is a decoded Anchored log: the commitment and who anchored
// it where.
type AnchoredEvent struct {
	Commitment anchor.Commitment
	Gateway    common.Address
	Block      uint64
	BlockHash  common.Hash
	TxHash     common.Hash
	LogIndex   uint
}

// DecodeAnchored decodes an Anchored log into the commitment it carries.
// The log comes from a node and is treated as untrusted: sizes are bounded,
// the root's topic must match its data, and the commitment must be valid.
// Errors match ErrBadLog (and ErrInvalidCommitment for an invalid one).
func DecodeAnchored(l types.Log) (AnchoredEvent, error) {
	if len(l.Topics) != 3 || l.Topics[0] != anchoredTopic {
		return AnchoredEvent{}, fmt.Errorf("%w: %d topics, not an Anchored event", ErrBadLog, len(l.Topics))
	}
	if len(l.Data) > maxAnchoredData {
		return AnchoredEvent{}, fmt.Errorf("%w: %d data bytes exceed %d", ErrBadLog, len(l.Data), maxAnchoredData)
	}
	ev, err := binding.UnpackAnchoredEvent(&l)
	if err != nil {
		return AnchoredEvent{}, fmt.Errorf("%w: %v", ErrBadLog, err)
	}
	if [12]byte(l.Topics[2][:12]) != ([12]byte{}) {
		return AnchoredEvent{}, fmt.Errorf("%w: gateway topic %s is not an address", ErrBadLog, l.Topics[2])
	}
	c, err := commitmentOf(ev)
	if err != nil {
		return AnchoredEvent{}, fmt.Errorf("%w: %w", ErrBadLog, err)
	}
	return AnchoredEvent{
		Commitment: c,
		Gateway:    ev.Gateway,
		Block:      l.BlockNumber,
		BlockHash:  l.BlockHash,
		TxHash:     l.TxHash,
		LogIndex:   l.Index,
	}, nil
}

// commitmentOf rebuilds the commitment an Anchored event carries.
func commitmentOf(ev *contracts.AnchorAnchored) (anchor.Commitment, error) {
	root, err := anchor.NewRoot(canon.HashFunc(ev.HashFunc), ev.Root[:])
	if err != nil {
		return anchor.Commitment{}, err
	}
	if len(ev.Cid) > anchor.MaxCIDLen {
		return anchor.Commitment{}, fmt.Errorf("%w: %w: %d bytes", anchor.ErrInvalidCommitment, anchor.ErrBadCID, len(ev.Cid))
	}
	id, err := cid.Cast(ev.Cid)
	if err != nil {
		return anchor.Commitment{}, fmt.Errorf("%w: %w: %v", anchor.ErrInvalidCommitment, anchor.ErrBadCID, err)
	}
	if ev.WindowStart > math.MaxInt64 || ev.WindowEnd > math.MaxInt64 {
		return anchor.Commitment{}, fmt.Errorf("%w: %w: beyond int64 nanoseconds", anchor.ErrInvalidCommitment, anchor.ErrBadWindow)
	}
	c := anchor.Commitment{
		Root:        root,
		CID:         id,
		WindowStart: time.Unix(0, int64(ev.WindowStart)).UTC(),
		WindowEnd:   time.Unix(0, int64(ev.WindowEnd)).UTC(),
		Count:       ev.Count,
		Topic:       ev.Topic,
	}
	if len(ev.Meta) > 0 {
		c.Metadata = ev.Meta
	}
	if err := c.Validate(); err != nil {
		return anchor.Commitment{}, err
	}
	// One commitment, one spelling: a CID that go-cid accepted in a
	// non-minimal form would give the same commitment two logs.
	if string(c.CID.Bytes()) != string(ev.Cid) {
		return anchor.Commitment{}, fmt.Errorf("%w: %w: not in canonical form", anchor.ErrInvalidCommitment, anchor.ErrBadCID)
	}
	return c, nil
}

// packAnchor returns the calldata of anchor(...) for a valid commitment.
func packAnchor(c anchor.Commitment) ([]byte, error) {
	return binding.TryPackAnchor(c.Root.Sum, uint8(c.Root.Func), c.CID.Bytes(),
		uint64(c.WindowStart.UnixNano()), uint64(c.WindowEnd.UnixNano()), c.Count, c.Topic, c.Metadata)
}
