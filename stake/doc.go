// Package stake lets a data programme hold device owners to the data their
// devices sign: owners bond coin in the Stake contract (package
// stake/contracts) on an EVM chain, and an arbiter slashes a bond when the
// owner's device signed a provably bad reading.
//
// # Evidence and the arbiter
//
// What makes a reading provably bad is a Misreport: the evidence bundle
// (package evidence) of the suspect reading and the bundles of readings of
// its neighbours, each signed by its device and anchored on a ledger. Check
// verifies every bundle offline and applies a published Rule: the suspect
// differs by more than a bound from each of at least MinNeighbours readings
// of the same kind that other devices signed at about the same time.
// The bundles are published; the Digest of the misreport goes on chain with
// the slash, so anyone can fetch the bundles, recompute the digest and rerun
// Check.
//
// The chain does not verify the misreport itself: an EVM contract cannot
// check Ed25519 signatures or BLAKE3 Merkle proofs at a reasonable cost, so
// the contract trusts its arbiter's judgement and makes it auditable. It
// limits what the arbiter can do: slashed coin is burned (kept by the
// contract for good), so the arbiter gains nothing by slashing; each
// misreport slashes once; and a staker cannot leave ahead of a slash, since
// a bond stays slashable through its unbonding delay until withdrawn.
//
// # Life of a bond
//
//	addr, _, err := stake.Deploy(ctx, backend, deployer, arbiter, 7*24*time.Hour, nil)
//	pool, err := stake.New(ctx, backend, addr, nil)
//	pool.Bond(ctx, owner, big.NewInt(1e16))           // the device owner
//	m := stake.Misreport{Suspect: bad, Neighbours: near}
//	err = m.Check(ctx, rule, trust)                   // the arbiter, and anyone
//	d, _ := m.Digest()
//	pool.Slash(ctx, arbiterAuth, ownerAddr, amount, d) // burned, recorded with d
//	pool.Unbond(ctx, owner) … pool.Withdraw(ctx, owner) // after the delay
//
// Which account stands behind which device DID is the programme's
// registration (the example in examples/airquality records it at
// enrolment); the contract knows accounts only.
//
// Gas, measured on go-ethereum's simulated chain, is reported by
// go test -run TestGas -v ./stake.
package stake
