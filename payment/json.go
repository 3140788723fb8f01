package payment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
)

// The JSON forms of Channel, Voucher, Evidence and Redemption. Every member
// is present, named exactly, and spelled one way: byte strings as "0x" and
// lowercase hex, addresses in EIP-55 form, amounts as decimal strings
// without leading zeros (JSON numbers lose precision beyond 2^53 in most
// readers), times as RFC 3339 in UTC, hashes as canon.Digest text with
// lowercase hex. Decoding goes through canon.Decode, so case-variant,
// unknown and duplicate members, empty input and trailing data are
// refused; every error is ErrMalformed wrapping the cause (a
// *canon.DecodeError where the JSON itself is at fault), or the error of
// the value's own check (Channel.Validate: ErrBadChannel).

// Size bounds of the JSON forms (an ML-DSA-87 key or signature is under
// 5,000 bytes, 10,000 hex digits).
const (
	maxChannelJSON    = 16 << 10
	maxVoucherJSON    = 24 << 10
	maxEvidenceJSON   = 2*maxVoucherJSON + 64
	maxRedemptionJSON = canon.DefaultMaxBytes
	jsonDepth         = 4
)

// decodeJSON decodes raw into v, a pointer to one of the mirror structs
// below, strictly (canon.Decode under max bytes) and checks that every
// member v's type names is present.
func decodeJSON(raw []byte, v any, max int) error {
	if err := (canon.Limits{MaxBytes: max, MaxDepth: jsonDepth}).Decode(raw, v); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var present map[string]json.RawMessage
	if err := json.Unmarshal(raw, &present); err != nil { // valid: Decode passed
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	t := reflect.TypeOf(v).Elem()
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		switch m, ok := present[name]; {
		case !ok:
			return fmt.Errorf("%w: member %q missing", ErrMalformed, name)
		case string(m) == "null":
			return fmt.Errorf("%w: member %q is null", ErrMalformed, name)
		}
	}
	return nil
}

// parseAmount parses a decimal amount in [0, 2^256) with no sign, no
// leading zeros and nothing but digits.
func parseAmount(s string) (*big.Int, error) {
	if len(s) == 0 || len(s) > 78 || (s[0] == '0' && len(s) > 1) {
		return nil, fmt.Errorf("amount %q is not a canonical decimal", truncate(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return nil, fmt.Errorf("amount %q is not a canonical decimal", truncate(s))
		}
	}
	a, _ := new(big.Int).SetString(s, 10)
	if a.Cmp(maxUint256) > 0 {
		return nil, fmt.Errorf("amount %s is 2^256 or more", truncate(s))
	}
	return a, nil
}

// parseTime parses a time in the form formatTime writes, and only that.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || formatTime(t) != s {
		return time.Time{}, fmt.Errorf("time %q is not RFC 3339 in UTC in its shortest form", truncate(s))
	}
	return t.UTC(), nil
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// parseCondition parses a condition: "" for none, else a canon.Digest in
// its lowercase text form.
func parseCondition(s string) (canon.Digest, error) {
	if s == "" {
		return canon.Digest{}, nil
	}
	d, err := canon.ParseDigest(s)
	if err != nil {
		return canon.Digest{}, err
	}
	if d.String() != s {
		return canon.Digest{}, fmt.Errorf("condition %q is not in lowercase text form", truncate(s))
	}
	return d, nil
}

func formatCondition(d canon.Digest) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// voucherKeyJSON is the JSON form of a VoucherKey.
type voucherKeyJSON struct {
	Scheme string `json:"scheme"`
	Key    string `json:"key"`
}

// channelJSON is the JSON form of a Channel.
type channelJSON struct {
	ID           string          `json:"id"`
	ChainID      uint64          `json:"chainId"`
	Contract     string          `json:"contract"`
	Payer        string          `json:"payer"`
	Payee        string          `json:"payee"`
	PayeeAddress string          `json:"payeeAddress"`
	Signer       json.RawMessage `json:"signer"`
	Asset        string          `json:"asset"`
	Deposit      string          `json:"deposit"`
	Expiry       string          `json:"expiry"`
	SettleDelay  uint64          `json:"settleDelay"`
	Closed       bool            `json:"closed"`
}

// MarshalJSON returns c's JSON form:
//
//	{"id":"0x…","chainId":1,"contract":"0x…","payer":"did:…","payee":"did:…",
//	 "payeeAddress":"0x…","signer":{"scheme":"Ed25519","key":"0x…"},
//	 "asset":"0x…","deposit":"1000","expiry":"2026-03-02T10:00:00Z",
//	 "settleDelay":3600,"closed":false}
//
// with settleDelay in seconds. c must be valid (Channel.Validate).
func (c Channel) MarshalJSON() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	signer, err := json.Marshal(voucherKeyJSON{Scheme: c.Signer.Scheme, Key: hex0x(c.Signer.Key)})
	if err != nil {
		return nil, err
	}
	return json.Marshal(channelJSON{
		ID: c.ID.String(), ChainID: c.Domain.ChainID, Contract: c.Domain.Contract.String(),
		Payer: c.Payer, Payee: c.Payee, PayeeAddress: c.PayeeAddress.String(),
		Signer: signer, Asset: c.Asset.String(), Deposit: c.Deposit.String(),
		Expiry: formatTime(c.Expiry), SettleDelay: uint64(c.SettleDelay / time.Second), Closed: c.Closed,
	})
}

// UnmarshalJSON decodes the form MarshalJSON writes, strictly (see the
// package's JSON forms), and checks the channel (Channel.Validate); c is
// left unchanged on error.
func (c *Channel) UnmarshalJSON(raw []byte) error {
	var m channelJSON
	if err := decodeJSON(raw, &m, maxChannelJSON); err != nil {
		return err
	}
	var k voucherKeyJSON
	if err := decodeJSON(m.Signer, &k, maxChannelJSON); err != nil {
		return err
	}
	var out Channel
	var err error
	fail := func(what string, err error) error { return fmt.Errorf("%w: %s: %w", ErrMalformed, what, err) }
	if err := out.ID.UnmarshalText([]byte(m.ID)); err != nil {
		return err
	}
	out.Domain.ChainID = m.ChainID
	if out.Domain.Contract, err = parseAddress(m.Contract); err != nil {
		return fail("contract", err)
	}
	out.Payer, out.Payee = m.Payer, m.Payee
	if out.PayeeAddress, err = parseAddress(m.PayeeAddress); err != nil {
		return fail("payeeAddress", err)
	}
	out.Signer.Scheme = k.Scheme
	if out.Signer.Key, err = parseHex(k.Key, 1, maxSignatureSize, true); err != nil {
		return fail("signer key", err)
	}
	if out.Asset, err = parseAddress(m.Asset); err != nil {
		return fail("asset", err)
	}
	if out.Deposit, err = parseAmount(m.Deposit); err != nil {
		return fail("deposit", err)
	}
	if out.Expiry, err = parseTime(m.Expiry); err != nil {
		return fail("expiry", err)
	}
	if m.SettleDelay > uint64(maxSpan/time.Second) {
		return fail("settleDelay", fmt.Errorf("%d seconds", m.SettleDelay))
	}
	out.SettleDelay = time.Duration(m.SettleDelay) * time.Second
	out.Closed = m.Closed
	if err := out.Validate(); err != nil {
		return err
	}
	*c = out
	return nil
}

// voucherJSON is the JSON form of a Voucher.
type voucherJSON struct {
	ChainID   uint64 `json:"chainId"`
	Contract  string `json:"contract"`
	Channel   string `json:"channel"`
	Lane      uint64 `json:"lane"`
	Nonce     uint64 `json:"nonce"`
	Amount    string `json:"amount"`
	NotBefore uint64 `json:"notBefore"`
	NotAfter  uint64 `json:"notAfter"`
	Condition string `json:"condition"`
	Signature string `json:"signature"`
}

// MarshalJSON returns v's JSON form:
//
//	{"chainId":1,"contract":"0x…","channel":"0x…","lane":0,"nonce":1,
//	 "amount":"1000","notBefore":0,"notAfter":0,"condition":"",
//	 "signature":"0x…"}
//
// with condition "" for none, else "sha256:…" or "blake3:…". v must be
// signed. The JSON form is for people and APIs; what is signed is always
// the EIP-712 encoding, and the binary form (MarshalBinary) is the
// compact one.
func (v Voucher) MarshalJSON() ([]byte, error) {
	if err := v.checkSigned(); err != nil {
		return nil, err
	}
	return json.Marshal(voucherJSON{
		ChainID: v.Domain.ChainID, Contract: v.Domain.Contract.String(), Channel: v.Channel.String(),
		Lane: v.Lane, Nonce: v.Nonce, Amount: v.Amount.String(), NotBefore: v.NotBefore, NotAfter: v.NotAfter,
		Condition: formatCondition(v.Condition), Signature: hex0x(v.Signature),
	})
}

// UnmarshalJSON decodes the form MarshalJSON writes, strictly (see the
// package's JSON forms), with the checks of ParseVoucher. It does not check
// the signature. v is left unchanged on error.
func (v *Voucher) UnmarshalJSON(raw []byte) error {
	var m voucherJSON
	if err := decodeJSON(raw, &m, maxVoucherJSON); err != nil {
		return err
	}
	out := Voucher{Lane: m.Lane, Nonce: m.Nonce, NotBefore: m.NotBefore, NotAfter: m.NotAfter}
	var err error
	fail := func(what string, err error) error { return fmt.Errorf("%w: %s: %w", ErrMalformed, what, err) }
	out.Domain.ChainID = m.ChainID
	if out.Domain.Contract, err = parseAddress(m.Contract); err != nil {
		return fail("contract", err)
	}
	if err := out.Channel.UnmarshalText([]byte(m.Channel)); err != nil {
		return err
	}
	if out.Amount, err = parseAmount(m.Amount); err != nil {
		return fail("amount", err)
	}
	if out.Condition, err = parseCondition(m.Condition); err != nil {
		return fail("condition", err)
	}
	if out.Signature, err = parseHex(m.Signature, 1, maxSignatureSize, true); err != nil {
		return fail("signature", err)
	}
	if err := out.checkSigned(); err != nil {
		return err
	}
	*v = out
	return nil
}

// checkSigned is checkFields plus a signature of an encodable size.
func (v *Voucher) checkSigned() error {
	if err := v.checkFields(); err != nil {
		return err
	}
	if len(v.Signature) == 0 || len(v.Signature) > maxSignatureSize {
		return fmt.Errorf("%w: signature of %d bytes", ErrMalformed, len(v.Signature))
	}
	return nil
}

// evidenceJSON is the JSON form of Evidence.
type evidenceJSON struct {
	First  json.RawMessage `json:"first"`
	Second json.RawMessage `json:"second"`
}

// check reports whether e is evidence of double-signing: two vouchers with
// the same domain, channel, lane and nonce but different terms. It does not
// check the signatures (see Evidence.Verify).
func (e *Evidence) check() error {
	if e == nil || e.First == nil || e.Second == nil {
		return fmt.Errorf("%w: evidence without two vouchers", ErrMalformed)
	}
	a, b := e.First, e.Second
	if err := a.checkSigned(); err != nil {
		return err
	}
	if err := b.checkSigned(); err != nil {
		return err
	}
	if a.Domain != b.Domain || a.Channel != b.Channel || a.Lane != b.Lane || a.Nonce != b.Nonce || a.sameTerms(b) {
		return fmt.Errorf("%w: the vouchers are not two terms for one lane and nonce", ErrMalformed)
	}
	return nil
}

// Verify checks that e proves double-signing by key: two different vouchers
// for one lane and nonce (ErrMalformed otherwise), both signed by key
// (ErrBadSignature otherwise).
func (e *Evidence) Verify(key Verifier) error {
	if err := e.check(); err != nil {
		return err
	}
	if err := Verify(key, e.First); err != nil {
		return err
	}
	return Verify(key, e.Second)
}

// MarshalJSON returns e's JSON form {"first":voucher,"second":voucher},
// each voucher in its JSON form.
func (e Evidence) MarshalJSON() ([]byte, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	a, err := e.First.MarshalJSON()
	if err != nil {
		return nil, err
	}
	b, err := e.Second.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return json.Marshal(evidenceJSON{First: a, Second: b})
}

// UnmarshalJSON decodes the form MarshalJSON writes, strictly, and checks
// that it is evidence (two different vouchers for one lane and nonce); it
// does not check signatures (see Verify). e is left unchanged on error.
func (e *Evidence) UnmarshalJSON(raw []byte) error {
	var m evidenceJSON
	if err := decodeJSON(raw, &m, maxEvidenceJSON); err != nil {
		return err
	}
	out := Evidence{First: new(Voucher), Second: new(Voucher)}
	if err := out.First.UnmarshalJSON(m.First); err != nil {
		return err
	}
	if err := out.Second.UnmarshalJSON(m.Second); err != nil {
		return err
	}
	if err := out.check(); err != nil {
		return err
	}
	*e = out
	return nil
}

// redemptionJSON is the JSON form of a Redemption.
type redemptionJSON struct {
	Root    string `json:"root"`
	Reading string `json:"reading"`
	Proof   string `json:"proof"`
}

// MarshalJSON returns r's JSON form
// {"root":"sha256:…","reading":"0x…","proof":"0x…"}, with the proof in
// merkle's binary encoding (one encoding per proof).
func (r Redemption) MarshalJSON() ([]byte, error) {
	if !r.Root.Valid() {
		return nil, fmt.Errorf("%w: root of hash function %d", ErrMalformed, r.Root.Func)
	}
	p, err := r.Proof.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("%w: proof: %w", ErrMalformed, err)
	}
	return json.Marshal(redemptionJSON{Root: r.Root.String(), Reading: hex0x(r.Reading), Proof: hex0x(p)})
}

// UnmarshalJSON decodes the form MarshalJSON writes, strictly; whether it
// fulfils a condition is Fulfils' question. r is left unchanged on error.
func (r *Redemption) UnmarshalJSON(raw []byte) error {
	var m redemptionJSON
	if err := decodeJSON(raw, &m, maxRedemptionJSON); err != nil {
		return err
	}
	var out Redemption
	var err error
	fail := func(what string, err error) error { return fmt.Errorf("%w: %s: %w", ErrMalformed, what, err) }
	if out.Root, err = parseCondition(m.Root); err != nil || out.Root.IsZero() {
		if err == nil {
			err = fmt.Errorf("empty")
		}
		return fail("root", err)
	}
	if out.Reading, err = parseHex(m.Reading, 0, maxRedemptionJSON, true); err != nil {
		return fail("reading", err)
	}
	p, err := parseHex(m.Proof, 1, merkle.MaxBinaryProofSize, true)
	if err != nil {
		return fail("proof", err)
	}
	if err := out.Proof.UnmarshalBinary(p); err != nil {
		return fail("proof", err)
	}
	if again, err := out.Proof.MarshalBinary(); err != nil || !bytes.Equal(again, p) {
		return fail("proof", fmt.Errorf("not in its one binary encoding"))
	}
	*r = out
	return nil
}
