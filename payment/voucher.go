package payment

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/iotrust/iotrust/canon"
)

// TagVoucher is the domain-separation tag under which DID keys sign
// vouchers (canon.SigningMessage(TagVoucher, EIP712Encoding)).
const TagVoucher canon.Tag = "iotrust.voucher.v1"

// The EIP-712 domain of every voucher: name and version are fixed, the chain
// ID and the verifying contract come from the channel.
const (
	DomainName    = "iotrust.voucher"
	DomainVersion = "1"
)

// VoucherType is the EIP-712 type string of a voucher; the contract hashes
// the same string.
const VoucherType = "Voucher(bytes32 channel,uint64 lane,uint64 nonce,uint256 amount,uint64 notBefore,uint64 notAfter,uint8 conditionHash,bytes32 condition)"

const domainType = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"

var (
	voucherTypeHash = crypto.Keccak256Hash([]byte(VoucherType))
	domainTypeHash  = crypto.Keccak256Hash([]byte(domainType))
	nameHash        = crypto.Keccak256Hash([]byte(DomainName))
	versionHash     = crypto.Keccak256Hash([]byte(DomainVersion))
	maxUint256      = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
)

// MaxLanes bounds the lane numbers of a channel, so the state a payee keeps
// per channel stays bounded whatever a payer sends.
const MaxLanes = 1 << 16

// ChannelID identifies a channel. On chain it is the contract's channelId
// (see OnChainChannelID); off chain any 32 random bytes (NewChannelID).
type ChannelID [32]byte

// String returns the ID as 0x-prefixed hex.
func (id ChannelID) String() string { return "0x" + hex.EncodeToString(id[:]) }

// Domain is what binds a voucher to one deployment: the chain ID and the
// channel contract (the zero address for channels settled off chain only).
// It is the EIP-712 domain's variable part.
type Domain struct {
	ChainID  uint64
	Contract Address
}

// Separator returns the EIP-712 domain separator of d.
func (d Domain) Separator() [32]byte {
	var buf [5 * 32]byte
	copy(buf[0:], domainTypeHash[:])
	copy(buf[32:], nameHash[:])
	copy(buf[64:], versionHash[:])
	binary.BigEndian.PutUint64(buf[120:], d.ChainID)
	copy(buf[128+12:], d.Contract[:])
	return crypto.Keccak256Hash(buf[:])
}

// Voucher is a payer's signed promise that the payee may take Amount, the
// cumulative total of Lane, from the channel's deposit. A voucher with a
// higher Nonce supersedes the lane's earlier ones, so only the best voucher
// per lane needs keeping.
type Voucher struct {
	// Domain is the chain and contract the channel lives on; it is part of
	// the signed bytes, so a voucher is worthless on any other chain.
	Domain Domain
	// Channel is the channel the voucher draws on.
	Channel ChannelID
	// Lane is an independent sequence of vouchers within the channel (e.g.
	// one per service or per device), below MaxLanes.
	Lane uint64
	// Nonce orders the vouchers of a lane; it must strictly increase.
	Nonce uint64
	// Amount is the cumulative amount of the lane in the asset's smallest
	// unit, 0 ≤ Amount < 2^256.
	Amount *big.Int
	// NotBefore and NotAfter bound, in Unix seconds, when the voucher may be
	// redeemed; 0 leaves a side open.
	NotBefore, NotAfter uint64
	// Condition, when set, is a hash that must be fulfilled before the
	// voucher can be redeemed: see ReadingCondition. Its Func states the
	// hash function (canon.SHA256 conditions can be fulfilled on chain).
	Condition canon.Digest
	// Signature is the channel signer's signature over the voucher's
	// EIP-712 encoding (see Signer).
	Signature []byte
}

// structHash is hashStruct(voucher) of EIP-712.
func (v *Voucher) structHash() ([32]byte, error) {
	if err := v.checkFields(); err != nil {
		return [32]byte{}, err
	}
	var buf [9 * 32]byte
	copy(buf[0:], voucherTypeHash[:])
	copy(buf[32:], v.Channel[:])
	binary.BigEndian.PutUint64(buf[64+24:], v.Lane)
	binary.BigEndian.PutUint64(buf[96+24:], v.Nonce)
	v.Amount.FillBytes(buf[128:160])
	binary.BigEndian.PutUint64(buf[160+24:], v.NotBefore)
	binary.BigEndian.PutUint64(buf[192+24:], v.NotAfter)
	buf[224+31] = byte(v.Condition.Func)
	copy(buf[256:], v.Condition.Sum[:])
	return crypto.Keccak256Hash(buf[:]), nil
}

// checkFields validates what the encodings cannot represent.
func (v *Voucher) checkFields() error {
	if v == nil {
		return fmt.Errorf("%w: nil voucher", ErrMalformed)
	}
	if v.Amount == nil || v.Amount.Sign() < 0 || v.Amount.Cmp(maxUint256) > 0 {
		return fmt.Errorf("%w: amount %v outside [0, 2^256)", ErrMalformed, v.Amount)
	}
	if v.Lane >= MaxLanes {
		return fmt.Errorf("%w: lane %d, limit %d", ErrLaneOverflow, v.Lane, MaxLanes)
	}
	if v.NotAfter != 0 && v.NotAfter < v.NotBefore {
		return fmt.Errorf("%w: time lock [%d, %d] is empty", ErrMalformed, v.NotBefore, v.NotAfter)
	}
	if !v.Condition.IsZero() && !v.Condition.Valid() {
		return fmt.Errorf("%w: condition hash function %d", ErrMalformed, v.Condition.Func)
	}
	if v.Condition.Func == 0 && v.Condition.Sum != [32]byte{} {
		return fmt.Errorf("%w: condition without hash function", ErrMalformed)
	}
	return nil
}

// EIP712Encoding returns the voucher's one canonical signing input: the 66
// bytes 0x19 0x01 ‖ domain separator ‖ hashStruct(voucher) of EIP-712.
// Ethereum keys sign its Keccak-256 (Digest); DID keys sign
// canon.SigningMessage(TagVoucher, EIP712Encoding). Either way the tag,
// chain ID and contract are inside what is signed.
func (v *Voucher) EIP712Encoding() ([]byte, error) {
	sh, err := v.structHash()
	if err != nil {
		return nil, err
	}
	sep := v.Domain.Separator()
	out := make([]byte, 0, 66)
	out = append(out, 0x19, 0x01)
	out = append(out, sep[:]...)
	return append(out, sh[:]...), nil
}

// Digest returns the EIP-712 digest of the voucher, which the channel
// contract's voucherDigest also computes and ecrecover checks.
func (v *Voucher) Digest() ([32]byte, error) {
	enc, err := v.EIP712Encoding()
	if err != nil {
		return [32]byte{}, err
	}
	return crypto.Keccak256Hash(enc), nil
}

// Clone returns a deep copy of v (nil for nil).
func (v *Voucher) Clone() *Voucher {
	if v == nil {
		return nil
	}
	c := *v
	if v.Amount != nil {
		c.Amount = new(big.Int).Set(v.Amount)
	}
	c.Signature = append([]byte(nil), v.Signature...)
	return &c
}

// sameTerms reports whether v and o promise the same thing (all signed
// fields equal), whatever their signatures.
func (v *Voucher) sameTerms(o *Voucher) bool {
	return v.Domain == o.Domain && v.Channel == o.Channel && v.Lane == o.Lane && v.Nonce == o.Nonce &&
		v.Amount.Cmp(o.Amount) == 0 && v.NotBefore == o.NotBefore && v.NotAfter == o.NotAfter &&
		v.Condition == o.Condition
}

// OnChainChannelID returns the ID the channel contract at contract on chain
// chainID gives the channel payer opens to payee in token (the zero address
// for the native coin) with salt: keccak256(abi.encode(chainID, contract,
// payer, payee, token, salt)).
func OnChainChannelID(chainID uint64, contract, payer, payee, token Address, salt [32]byte) ChannelID {
	var buf [6 * 32]byte
	binary.BigEndian.PutUint64(buf[24:], chainID)
	copy(buf[32+12:], contract[:])
	copy(buf[64+12:], payer[:])
	copy(buf[96+12:], payee[:])
	copy(buf[128+12:], token[:])
	copy(buf[160:], salt[:])
	return ChannelID(crypto.Keccak256Hash(buf[:]))
}
