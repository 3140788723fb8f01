// Package payment lets machines pay machines: unidirectional payment
// channels with signed cumulative vouchers, metering and pricing, spending
// caps, streaming payment, pay-per-verified-reading, and settlement on an
// EVM chain (sub-package settle, contract in contracts).
//
// # Model
//
// A payer locks a deposit for a payee in a Channel (asset, deposit, expiry,
// settle delay, chain ID and channel contract). It then hands the payee
// Vouchers: "lane L of channel C is owed a cumulative Amount, nonce N",
// signed by the channel's signer key, fixed at open. A voucher with a higher
// nonce supersedes the lane's earlier ones, so a payee keeps only the best
// voucher per lane and settles all lanes in one transaction, however many
// payments were made off chain. Amounts are *big.Int in the asset's
// smallest unit, below 2^256; nothing is ever a float.
//
// # One signed encoding, two kinds of key
//
// An EVM contract can cheaply check only secp256k1 ECDSA (ecrecover), while
// devices' DID keys are Ed25519, P-256 or ML-DSA. So a voucher has exactly
// one canonical signing input, its EIP-712 encoding
//
//	0x19 0x01 ‖ domainSeparator ‖ hashStruct(Voucher)
//
// with the domain {name "iotrust.voucher", version "1", chainId,
// verifyingContract} and the struct Voucher(bytes32 channel, uint64 lane,
// uint64 nonce, uint256 amount, uint64 notBefore, uint64 notAfter, uint8
// conditionHash, bytes32 condition) (see VoucherType). How it is signed
// depends on the channel's VoucherKey:
//
//   - SchemeEthereum (secp256k1, NewEthereumSigner): ECDSA over the
//     Keccak-256 of the encoding, the EIP-712 digest. The channel contract
//     recomputes the same digest and checks it with ecrecover, so these
//     channels settle and are disputed on chain. Wallets and
//     eth_signTypedData_v4 produce the same signatures.
//   - any did key scheme (NewDIDSigner: Ed25519 by default, P-256, ML-DSA):
//     the key signs canon.SigningMessage(TagVoucher, encoding), the BLAKE3
//     derive-key of the encoding under the tag "iotrust.voucher.v1", as
//     every iotrust signature is made. These channels settle off chain
//     (cooperatively, or by the payee's trust in the payer's DID); Channel
//     refuses a DID signer for a channel with a contract.
//
// Either way the chain ID and contract (in the domain separator) and a tag
// naming the object (EIP-712's type hash, and TagVoucher for DID keys) are
// inside the signed bytes, so a voucher can be replayed neither on another
// chain or contract nor as another kind of iotrust object. The choice is
// the channel's: Ed25519 is the fastest to sign and verify; a channel that
// must be enforceable on chain uses a secp256k1 voucher key, which can be a
// separate key from the wallet that funds the channel. One encoding means
// one parser, one fuzz target, and a cross-check against go-ethereum's
// EIP-712 code and the contract.
//
// # Identities
//
// Money moves between identities, so a channel names its parties and binds
// its voucher key to the payer (see Channel). In a DID-key channel both
// parties are DIDs and the voucher key must be the key the payer's DID
// resolves to through a did.KeyResolver when the payee opens the channel,
// and still when each voucher is accepted (a cached did.SelfCertifying for
// did:key and did:jwk by default; a did.Registry for registered DIDs,
// whose rotations and revocations it follows).
// Every key enters through package did, which refuses malformed and weak
// keys. A secp256k1 channel names accounts (an EIP-55 address or a
// did:pkh:eip155 account): off chain the voucher key is the payer's own
// account key; on chain the contract binds the key to the channel.
//
// On the wire a voucher is a fixed-layout binary encoding (MarshalBinary,
// ParseVoucher) that carries the domain explicitly, so a payee reports a
// voucher for another chain as ErrWrongChain rather than as a bad signature.
// Each voucher has exactly one binary encoding. Channels, vouchers,
// double-signing evidence and redemptions also have JSON forms, decoded
// strictly through canon.Decode: exact member names, every member present
// and spelled one way, nothing unknown, duplicated or trailing.
//
// # Payee, payer, store
//
// Payee.Accept checks a voucher — fields well formed and lane in range,
// channel known, same chain and contract, not expired, time lock, signature,
// nonce strictly above the lane's best, amount not going down, all lanes
// within the deposit, amount covering what the payee metered — and stores
// it before returning. Beside the lane's best voucher the Store keeps its
// best one without a condition or NotAfter (Store.Unconditional), which
// settling falls back on when the best cannot be redeemed. Errors
// are typed (ErrReplay, ErrStale, ErrOverspend, ErrWrongChain, ErrExpired,
// ErrBadSignature, ...). Two vouchers with the same lane and nonce but
// different terms are kept as Evidence of double-signing, one pair per
// lane and nonce however often they are replayed. Payee.AcceptBatch
// verifies Ed25519 vouchers in batches.
//
// Payer.Issue signs the next voucher of a lane, never beyond the deposit or
// the payer's Caps (per payee, per sliding time window or in total), and
// stores it before handing it out, so a restarted payer never reuses a
// nonce (which would look like double-signing).
//
// Both keep their state in a Store: an append-only file of CRC-32C
// checksummed records, fsynced before a Put returns; a record is decoded
// as OpenStore would before it is written, so nothing acknowledged fails to
// read back. A crash can only tear
// the last record, which is cut on open; damage elsewhere is
// ErrCorruptStore. A SIGKILL test checks that nothing acknowledged is lost.
// Compact rewrites the file down to what is still needed, atomically.
//
// # Metering and pricing
//
// A Tariff prices a Unit (KWh(), Km(), MB(), Sample(); quantities are
// integers of a base sub-unit such as Wh) with steps that change over time; usage that
// spans a step is split in proportion to time. A Meter sums the exact
// rational cost of all usage, optionally weighted by a QualityWeight hook,
// and Due rounds it up once: vouchers are cumulative, so the payee's
// rounding gain is under one smallest unit per lane over the whole channel.
//
// StreamPayer signs a voucher every N units or every t; StreamPayee stops
// service (ErrPaymentLag) when payment lags by more than a LagBound in
// amount or time.
//
// # Pay per verified reading
//
// A voucher's Condition can be ReadingCondition(root, leaf): H(root ‖
// leaf) under the tree's hash function, which the condition's Digest
// states. It is redeemable only with a Redemption — the reading and its
// merkle inclusion proof under that anchored root. For SHA-256 (RFC 6962)
// trees the contract checks the proof itself (fulfil), for BLAKE3 trees the
// check is off chain.
//
// # Performance
//
// The benchmarks measure voucher creation and verification per key scheme,
// batch verification and durable acceptance:
//
//	go test -run '^$' -bench 'Voucher|Ed25519Raw|StoreAccept' -cpu 1 ./payment
//
// # Neighbours
//
// payment builds on canon (tags, digests, strict JSON), did (keys, DIDs,
// key resolution), merkle (proofs) and go-ethereum (Keccak-256, secp256k1;
// its types stay out of this package's API, which has its own Address).
// payment/settle drives the contract in payment/contracts over any
// JSON-RPC endpoint.
package payment
