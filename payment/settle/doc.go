// Package settle settles payment channels on an EVM chain: a Settler drives
// the PaymentChannels contract (package payment/contracts) over any
// JSON-RPC endpoint (*ethclient.Client) or go-ethereum's in-process
// simulated chain.
//
// The life of an on-chain channel:
//
//	ch, _, err := settler.Open(ctx, payerAuth, settle.OpenParams{Payee: ..., Signer: voucherKey, Deposit: ..., Expiry: ..., SettleDelay: time.Hour})
//	// off chain: payment.Payer.Issue / payment.Payee.Accept, many times
//	settler.SubmitBest(ctx, payeeAuth, payeeStore, ch.ID) // close with the best voucher of every lane, in one transaction
//	// during SettleDelay: anyone may Challenge with a better voucher
//	settler.Collect(ctx, anyAuth, ch.ID) // after the delay: payee paid, rest back to the payer
//	// or, if the payee vanished: settler.Recover(ctx, payerAuth, ch.ID) after expiry
//
// A lane's voucher on chain is replaced by one with a larger amount, or the
// same amount and a higher nonce. An honest payer's higher nonce never
// carries less, so "the newer voucher wins"; ordering by amount first means
// a payer cannot undercut the payee in the challenge period with a fresh
// higher-nonce voucher for less, so submission can be open to anyone (the
// payee, the payer, a watchtower).
//
// Contract reverts come back as *RevertError, which errors.Is matches
// against the sentinel of its kind (payment.ErrBadSignature, payment.ErrStale,
// ErrTooEarly, ErrChallengeOver, ...).
//
// Only channels with a secp256k1 voucher key (payment.SchemeEthereum) can be
// settled here: the contract verifies signatures with ecrecover over the
// vouchers' EIP-712 digest, the same bytes package payment signs.
package settle
