package payment

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
)

// SchemeEthereum is the VoucherKey scheme of secp256k1 keys identified by
// their Ethereum address; they sign the EIP-712 digest, the only form the
// channel contract can check (ecrecover). Every other scheme name is a did
// key scheme ("Ed25519", "P-256", "ML-DSA-44", ...), signing
// canon.SigningMessage(TagVoucher, EIP712Encoding): fast and post-quantum
// capable, but settled off chain only.
const SchemeEthereum = "secp256k1"

// maxSignatureSize bounds signatures in encodings (ML-DSA-87: 4627 bytes).
const maxSignatureSize = 8192

// VoucherKey is the public key fixed when a channel opens: every voucher of
// the channel must be signed by it. Make one with NewVoucherKey from a did
// key, or take it from a Signer (Signer.VoucherKey).
type VoucherKey struct {
	// Scheme is SchemeEthereum or a did scheme name.
	Scheme string
	// Key is the 20-byte address for SchemeEthereum and the did public
	// key's Bytes otherwise.
	Key []byte
}

// NewVoucherKey returns the VoucherKey of a did key: its scheme's name and
// its canonical encoding, checked by parsing it again through the scheme
// (so a key did would refuse, such as a weak Ed25519 key, is refused here
// with ErrBadChannel wrapping did's error).
func NewVoucherKey(k did.PublicKey) (VoucherKey, error) {
	if k == nil || k.Scheme() == nil {
		return VoucherKey{}, fmt.Errorf("%w: nil key", ErrBadChannel)
	}
	vk := VoucherKey{Scheme: k.Scheme().Name(), Key: append([]byte(nil), k.Bytes()...)}
	if vk.Scheme == SchemeEthereum {
		return VoucherKey{}, fmt.Errorf("%w: did key of scheme %q", ErrBadChannel, vk.Scheme)
	}
	if _, err := vk.Verifier(); err != nil {
		return VoucherKey{}, err
	}
	return vk, nil
}

// String returns "scheme:hex".
func (k VoucherKey) String() string { return k.Scheme + ":" + hex.EncodeToString(k.Key) }

// Equal reports whether k and o are the same key.
func (k VoucherKey) Equal(o VoucherKey) bool {
	return k.Scheme == o.Scheme && bytes.Equal(k.Key, o.Key)
}

// OnChain reports whether vouchers of k can be checked by the contract.
func (k VoucherKey) OnChain() bool { return k.Scheme == SchemeEthereum }

// EthereumAddress returns the address of a SchemeEthereum key.
func (k VoucherKey) EthereumAddress() (Address, error) {
	if k.Scheme != SchemeEthereum || len(k.Key) != AddressLength {
		return Address{}, fmt.Errorf("%w: %s key of %d bytes is not an Ethereum address", ErrBadChannel, truncate(k.Scheme), len(k.Key))
	}
	return Address(k.Key), nil
}

// Verifier returns the key's signature checker. A did key is parsed
// through package did, which refuses malformed and weak keys; the bytes
// must be the key's canonical encoding. It fails with ErrBadChannel
// wrapping the cause (did.ErrUnsupportedKeyType, did.ErrInvalidKey).
func (k VoucherKey) Verifier() (Verifier, error) {
	if k.Scheme == SchemeEthereum {
		a, err := k.EthereumAddress()
		if err != nil {
			return nil, err
		}
		return ethereumVerifier(a), nil
	}
	s, err := did.SchemeByName(k.Scheme)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadChannel, err)
	}
	pk, err := s.UnmarshalPublicKey(k.Key)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadChannel, err)
	}
	if !bytes.Equal(pk.Bytes(), k.Key) {
		return nil, fmt.Errorf("%w: %w: %s key not in its canonical encoding", ErrBadChannel, did.ErrInvalidKey, k.Scheme)
	}
	return didVerifier{pk}, nil
}

// Verifier checks voucher signatures of one VoucherKey.
type Verifier interface {
	// VerifyVoucher reports whether sig is the key's signature over the
	// voucher EIP-712 encoding enc (66 bytes).
	VerifyVoucher(enc, sig []byte) bool
}

// Signer signs vouchers with a channel's signer key. Implementations for
// keys in hardware only need the two methods.
type Signer interface {
	// VoucherKey returns the public key the channel is opened with.
	VoucherKey() VoucherKey
	// SignVoucher signs the 66-byte EIP-712 encoding enc of a voucher in
	// the way of its scheme (see SchemeEthereum).
	SignVoucher(enc []byte) ([]byte, error)
}

// Sign fills v.Signature with s's signature.
func Sign(s Signer, v *Voucher) error {
	if s == nil {
		return fmt.Errorf("%w: no signer", ErrBadChannel)
	}
	enc, err := v.EIP712Encoding()
	if err != nil {
		return err
	}
	sig, err := s.SignVoucher(enc)
	if errors.Is(err, ErrMalformed) {
		return err
	}
	if err != nil {
		return fmt.Errorf("payment: signing voucher: %w", err)
	}
	v.Signature = sig
	return nil
}

// Verify checks v's signature against key.
func Verify(key Verifier, v *Voucher) error {
	if key == nil {
		return fmt.Errorf("%w: no verifier", ErrBadChannel)
	}
	enc, err := v.EIP712Encoding()
	if err != nil {
		return err
	}
	if !key.VerifyVoucher(enc, v.Signature) {
		return fmt.Errorf("%w: lane %d nonce %d", ErrBadSignature, v.Lane, v.Nonce)
	}
	return nil
}

// NewEthereumSigner returns a Signer for a secp256k1 key, whose vouchers the
// channel contract accepts. Signatures are 65 bytes r ‖ s ‖ v with v in
// {27, 28} and low s.
func NewEthereumSigner(k *ecdsa.PrivateKey) (Signer, error) {
	if k == nil || k.Curve != crypto.S256() || k.D == nil || k.X == nil || k.Y == nil {
		return nil, fmt.Errorf("%w: not a secp256k1 key", ErrBadChannel)
	}
	return ethereumSigner{k: k, addr: Address(crypto.PubkeyToAddress(k.PublicKey))}, nil
}

type ethereumSigner struct {
	k    *ecdsa.PrivateKey
	addr Address
}

func (s ethereumSigner) VoucherKey() VoucherKey {
	return VoucherKey{Scheme: SchemeEthereum, Key: append([]byte(nil), s.addr[:]...)}
}

func (s ethereumSigner) SignVoucher(enc []byte) ([]byte, error) {
	if len(enc) != 66 {
		return nil, fmt.Errorf("%w: signing input of %d bytes, want 66", ErrMalformed, len(enc))
	}
	sig, err := crypto.Sign(crypto.Keccak256(enc), s.k)
	if err != nil {
		return nil, err
	}
	sig[64] += 27
	return sig, nil
}

var secp256k1HalfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)

type ethereumVerifier Address

func (a ethereumVerifier) VerifyVoucher(enc, sig []byte) bool {
	// The same rules as the contract: 65 bytes, v in {27, 28}, low s.
	if len(enc) != 66 || len(sig) != 65 || (sig[64] != 27 && sig[64] != 28) {
		return false
	}
	if new(big.Int).SetBytes(sig[32:64]).Cmp(secp256k1HalfN) > 0 {
		return false
	}
	rsv := [65]byte(sig)
	rsv[64] -= 27
	pub, err := crypto.SigToPub(crypto.Keccak256(enc), rsv[:])
	if err != nil {
		return false
	}
	return Address(crypto.PubkeyToAddress(*pub)) == Address(a)
}

// NewDIDSigner returns a Signer for a did key (Ed25519, P-256, ML-DSA, ...):
// it signs canon.SigningMessage(TagVoucher, enc). Its vouchers are for
// channels settled off chain.
func NewDIDSigner(k did.PrivateKey) (Signer, error) {
	if k == nil {
		return nil, fmt.Errorf("%w: nil key", ErrBadChannel)
	}
	vk, err := NewVoucherKey(k.Public())
	if err != nil {
		return nil, err
	}
	return didSigner{k: k, key: vk}, nil
}

type didSigner struct {
	k   did.PrivateKey
	key VoucherKey
}

func (s didSigner) VoucherKey() VoucherKey {
	return VoucherKey{Scheme: s.key.Scheme, Key: append([]byte(nil), s.key.Key...)}
}

func (s didSigner) SignVoucher(enc []byte) ([]byte, error) {
	msg, err := didMessage(enc)
	if err != nil {
		return nil, err
	}
	return s.k.Sign(msg)
}

type didVerifier struct{ pk did.PublicKey }

func (d didVerifier) VerifyVoucher(enc, sig []byte) bool {
	msg, err := didMessage(enc)
	if err != nil {
		return false
	}
	return d.pk.Verify(msg, sig)
}

// voucherHasher computes canon.SigningMessage(TagVoucher, ·) without
// allocating; it holds only the tag's precomputed state.
var voucherHasher = func() *canon.TaggedHasher {
	h, err := canon.NewTaggedHasher(canon.BLAKE3, TagVoucher)
	if err != nil {
		panic(err)
	}
	return h
}()

// didMessage returns canon.SigningMessage(TagVoucher, enc).
func didMessage(enc []byte) ([]byte, error) {
	if len(enc) != 66 {
		return nil, fmt.Errorf("%w: signing input of %d bytes, want 66", ErrMalformed, len(enc))
	}
	d := voucherHasher.Sum(enc)
	return d.Sum[:], nil
}
