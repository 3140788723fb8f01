package payment

import "errors"

// Errors returned by the payee's checks, the payer's limits, the decoders
// and the store. Each is wrapped with the offending value and, where there
// is one, the cause (a *canon.DecodeError, a did error); test with
// errors.Is.
var (
	// ErrMalformed is returned for input that is not a well-formed,
	// canonical encoding of a voucher, channel, evidence or redemption
	// (binary or JSON), and for a nil or incomplete argument where one of
	// these is expected.
	ErrMalformed = errors.New("payment: malformed input")
	// ErrBadSignature is returned when a voucher's signature is not valid
	// for the channel's signer key.
	ErrBadSignature = errors.New("payment: bad voucher signature")
	// ErrUnknownChannel is returned for a voucher whose channel the payee
	// or payer does not hold (a voucher for the wrong channel).
	ErrUnknownChannel = errors.New("payment: unknown channel")
	// ErrWrongChain is returned for a voucher or channel of another chain
	// ID or channel contract than the one expected.
	ErrWrongChain = errors.New("payment: voucher for another chain or contract")
	// ErrExpired is returned for a voucher that arrives when its channel has
	// expired or is closed.
	ErrExpired = errors.New("payment: channel expired or closed")
	// ErrTimeLocked is returned for a voucher outside its time lock.
	ErrTimeLocked = errors.New("payment: voucher outside its time lock")
	// ErrReplay is returned for a voucher already accepted (same lane,
	// nonce and content).
	ErrReplay = errors.New("payment: voucher replayed")
	// ErrStale is returned for a voucher whose nonce is lower than the best
	// one of its lane, or whose amount is lower than an older nonce's.
	ErrStale = errors.New("payment: stale voucher")
	// ErrDoubleSigned is returned when the signer signed two different
	// vouchers with the same lane and nonce; both are kept as evidence.
	ErrDoubleSigned = errors.New("payment: double-signed voucher")
	// ErrOverspend is returned for a voucher whose cumulative amount across
	// lanes exceeds the channel's deposit, and by a payer asked to sign one.
	ErrOverspend = errors.New("payment: amount exceeds deposit")
	// ErrUnderpaid is returned when a voucher's amount does not cover what
	// the payee has metered for its lane.
	ErrUnderpaid = errors.New("payment: voucher does not cover metered usage")
	// ErrLaneOverflow is returned for a lane number of MaxLanes or above.
	ErrLaneOverflow = errors.New("payment: lane out of range")
	// ErrNonceExhausted is returned by a payer whose lane reached the
	// largest nonce.
	ErrNonceExhausted = errors.New("payment: lane nonce exhausted")
	// ErrCapExceeded is returned by a payer asked to sign beyond one of its
	// spending caps.
	ErrCapExceeded = errors.New("payment: spending cap exceeded")
	// ErrBadChannel is returned for a channel whose parameters are invalid:
	// incomplete, a party that is not a DID (or, for secp256k1 channels, an
	// address), or a voucher key that does not parse or is weak (wrapping
	// did.ErrInvalidKey).
	ErrBadChannel = errors.New("payment: invalid channel")
	// ErrNotTopUp is returned by Payee.Open and Payer.Open for a channel
	// they hold re-opened with anything but a top-up: another asset, payee
	// address or settle delay, a smaller deposit or an earlier expiry.
	ErrNotTopUp = errors.New("payment: channel re-opened with other terms than a top-up")
	// ErrPayerKey is returned when a channel's voucher key is not the
	// payer's: for a DID-key channel, not the key the payer's DID resolves
	// to (wrapping the resolver's error, if any); for a secp256k1 channel
	// settled off chain, not the payer's address.
	ErrPayerKey = errors.New("payment: voucher key is not the payer's")
	// ErrConditionUnmet is returned when a reading, root or proof does not
	// fulfil a voucher's condition.
	ErrConditionUnmet = errors.New("payment: voucher condition not fulfilled")
	// ErrPaymentLag is returned by a streaming payee whose payer fell behind
	// by more than the agreed bound; service must stop.
	ErrPaymentLag = errors.New("payment: payment lags behind usage")
	// ErrBadTariff is returned for a tariff, price or usage that cannot be
	// priced (no price in force, inverted interval, zero denominator).
	ErrBadTariff = errors.New("payment: invalid tariff or usage")
	// ErrCorruptStore is returned when a store file holds a damaged record
	// before its end (a torn last record is repaired silently).
	ErrCorruptStore = errors.New("payment: corrupt store")
	// ErrClosed is returned by a store or party used after Close.
	ErrClosed = errors.New("payment: closed")
)
