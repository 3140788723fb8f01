// Package settle settles payment channels on an EVM chain: a Settler drives
// the PaymentChannels contract (package payment/contracts) over any
// JSON-RPC endpoint (*ethclient.Client) or go-ethereum's in-process
// simulated chain.
//
// The life of an on-chain channel:
//
//	settler, err := settle.New(ctx, client, contract, settle.Config{})
//	payer := settle.KeySigner(payerKey) // or a wallet, HSM, KMS behind Signer
//	ch, _, err := settler.Open(ctx, payer, settle.OpenParams{Payee: ..., Signer: voucherKey, Deposit: ..., Expiry: ..., SettleDelay: time.Hour})
//	// off chain: payment.Payer.Issue / payment.Payee.Accept, many times
//	settler.SubmitBest(ctx, payee, payeeStore, ch.ID) // close with the best redeemable voucher of every lane, in one transaction
//	// during SettleDelay: anyone may Challenge with a better voucher; a payee
//	// (or its watchtower) calls Defend periodically to answer a payer's close
//	settler.Collect(ctx, anyone, ch.ID) // after the delay: payee paid, rest back to the payer
//	// or, if the payee vanished: settler.Recover(ctx, payer, ch.ID) after expiry
//
// A lane's voucher on chain is replaced by one with a larger amount, or the
// same amount and a higher nonce. An honest payer's higher nonce never
// carries less, so "the newer voucher wins"; ordering by amount first means
// a payer cannot undercut the payee in the challenge period with a fresh
// higher-nonce voucher for less, so submission can be open to anyone (the
// payee, the payer, a watchtower).
//
// # Transactions
//
// Each call names the account that sends it (a Signer) and returns once
// the transaction is mined, with its receipt. The Settler sends through
// iotrust's one EVM transaction sender, the one anchor/evm uses: gas
// estimated with a margin, EIP-1559 fees capped by Config.MaxFeePerGas
// (ErrFeeTooHigh), nonces assigned per account under a lock and
// re-read from the node after any send error, transient RPC failures
// retried (then ErrUnavailable), a receipt reported only once the node's
// canonical chain holds its block, and a transaction stuck in the pool for
// Config.FeeBumpBlocks blocks replaced by one with the same nonce and fees
// raised by more than the 10% a node requires, up to the cap. A closing
// payee's Defend that must land before the challenge period ends is
// therefore not left behind by a fee spike below the cap.
//
// Contract reverts come back as *RevertError, which errors.Is matches
// against the sentinel of its kind (payment.ErrBadSignature, payment.ErrStale,
// ErrTooEarly, ErrChallengeOver, ...).
//
// # Gas
//
// Opening, closing and collecting a channel are three transactions
// whatever the number of off-chain payments it carried, so the gas per
// payment falls with every voucher; closing with many lanes in one
// transaction costs a fixed amount per extra lane, and a challenge adds one
// more transaction. TestGasReport (go test -run TestGasReport -v
// ./payment/settle) measures every call on go-ethereum's simulated chain
// and fails when one exceeds its bound.
//
// Only channels with a secp256k1 voucher key (payment.SchemeEthereum) can be
// settled here: the contract verifies signatures with ecrecover over the
// vouchers' EIP-712 digest, the same bytes package payment signs.
package settle
