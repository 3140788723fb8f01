package payment

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/iotrust/iotrust/canon"
)

// The binary voucher encoding, version 1. All integers are big-endian;
// every field has a fixed place, so each voucher has exactly one encoding:
//
//	version        1   (= 1)
//	chain ID       8
//	contract      20
//	channel       32
//	lane           8
//	nonce          8
//	amount        32   (uint256)
//	notBefore      8
//	notAfter       8
//	condition fn   1   (0 none, 1 BLAKE3, 2 SHA-256)
//	condition     32   (zero when fn is 0)
//	sig length     2   (1 … 8192)
//	signature      n
const (
	voucherVersion    = 1
	voucherHeaderSize = 1 + 8 + 20 + 32 + 8 + 8 + 32 + 8 + 8 + 1 + 32 + 2
	// MaxVoucherSize is the largest encoded voucher accepted.
	MaxVoucherSize = voucherHeaderSize + maxSignatureSize
)

// MarshalBinary returns v's canonical binary encoding. v must be signed.
func (v *Voucher) MarshalBinary() ([]byte, error) {
	if err := v.checkFields(); err != nil {
		return nil, err
	}
	if len(v.Signature) == 0 || len(v.Signature) > maxSignatureSize {
		return nil, fmt.Errorf("%w: signature of %d bytes", ErrMalformed, len(v.Signature))
	}
	b := make([]byte, voucherHeaderSize, voucherHeaderSize+len(v.Signature))
	b[0] = voucherVersion
	binary.BigEndian.PutUint64(b[1:], v.Domain.ChainID)
	copy(b[9:], v.Domain.Contract[:])
	copy(b[29:], v.Channel[:])
	binary.BigEndian.PutUint64(b[61:], v.Lane)
	binary.BigEndian.PutUint64(b[69:], v.Nonce)
	v.Amount.FillBytes(b[77:109])
	binary.BigEndian.PutUint64(b[109:], v.NotBefore)
	binary.BigEndian.PutUint64(b[117:], v.NotAfter)
	b[125] = byte(v.Condition.Func)
	copy(b[126:], v.Condition.Sum[:])
	binary.BigEndian.PutUint16(b[158:], uint16(len(v.Signature)))
	return append(b, v.Signature...), nil
}

// UnmarshalBinary parses a voucher encoded by MarshalBinary. It rejects any
// other version, trailing or missing bytes, and field values no canonical
// encoding holds. It does not check the signature.
func (v *Voucher) UnmarshalBinary(b []byte) error {
	p, err := ParseVoucher(b)
	if err != nil {
		return err
	}
	*v = *p
	return nil
}

// ParseVoucher parses a voucher's binary encoding (see UnmarshalBinary).
func ParseVoucher(b []byte) (*Voucher, error) {
	if len(b) < voucherHeaderSize || len(b) > MaxVoucherSize {
		return nil, fmt.Errorf("%w: %d bytes", ErrMalformed, len(b))
	}
	if b[0] != voucherVersion {
		return nil, fmt.Errorf("%w: version %d", ErrMalformed, b[0])
	}
	v := &Voucher{}
	v.Domain.ChainID = binary.BigEndian.Uint64(b[1:])
	copy(v.Domain.Contract[:], b[9:29])
	copy(v.Channel[:], b[29:61])
	v.Lane = binary.BigEndian.Uint64(b[61:])
	v.Nonce = binary.BigEndian.Uint64(b[69:])
	v.Amount = new(big.Int).SetBytes(b[77:109])
	v.NotBefore = binary.BigEndian.Uint64(b[109:])
	v.NotAfter = binary.BigEndian.Uint64(b[117:])
	v.Condition.Func = canon.HashFunc(b[125])
	copy(v.Condition.Sum[:], b[126:158])
	n := int(binary.BigEndian.Uint16(b[158:]))
	if n == 0 || n > maxSignatureSize || len(b) != voucherHeaderSize+n {
		return nil, fmt.Errorf("%w: signature length %d with %d bytes left", ErrMalformed, n, len(b)-voucherHeaderSize)
	}
	v.Signature = append([]byte(nil), b[voucherHeaderSize:]...)
	if err := v.checkFields(); err != nil {
		return nil, err
	}
	return v, nil
}
