// Package escrow pays on a zero-knowledge proof: a payer locks an amount on
// an EVM chain for a payee, and the RangeEscrow contract releases it when a
// batch proof (package zkp) shows that every value a set of readings commits
// to lay within an interval — a cold-chain shipment stayed within 2–8 °C —
// without revealing one value. If nobody shows such a proof by the deadline,
// the amount goes to a fallback party instead (an insurer, or back to the
// payer).
//
// # The life of a deal
//
//	payer := escrow.KeySigner(payerKey)                // or a wallet, HSM or KMS
//	e, _, _ := escrow.Deploy(ctx, escrow.Config{Backend: client}, payer, verifier)
//	id, _, _ := e.Open(ctx, payer, escrow.Terms{Payee: carrier, Fallback: insurer,
//		Attester: gateway, Amount: fee, Interval: iv, Deadline: arrival.Add(24 * time.Hour)})
//	claim, _ := escrow.Claim(privateReadings, iv)       // commitments in canonical order
//	e.Attest(ctx, gatewaySigner, id, claim.Commitments) // root and count on chain
//	claim, ordered, _ := escrow.ClaimOpenings(privateReadings, openings, iv) // the prover: openings in reading order
//	proof, _ := zkp.Prove(pk, claim, ordered)          // by whoever holds the openings
//	e.Release(ctx, anyone, id, proof)                  // verified on chain: payee paid
//	// or, with no valid proof by the deadline:
//	e.Expire(ctx, anyone, id)                          // fallback paid
//
// # What binds the proof to the shipment
//
// A proof is about commitments; the contract must know which ones. Ed25519
// signatures and BLAKE3 trees cannot be checked on chain at a sensible
// cost, so the deal names an attester: the party that verified the readings'
// signatures and anchored them (a gateway, package batch) records the
// Poseidon2 Merkle root of their commitments and their number, once, before
// the deadline. The attestation is checkable by anyone who holds the
// readings — evidence bundles (package evidence) carry them — by
// recomputing the root with Claim and zkp.MerkleRoot; a false one is
// provable misbehaviour of the attester. The circuit pins the count and
// the padding, so a prover can neither drop a reading nor add one.
//
// # Keys and verifiers
//
// The contract calls a Groth16 verifier of zkp's batch circuit. The
// committed BatchVerifier (DeployDevVerifier) embeds DEVELOPMENT keys made
// from the public DevSeed: anyone can forge proofs for it, so it is for
// examples, tests and test networks only. Its proving key takes a slow
// deterministic setup: SetupDevKeys makes it once and saves it in a cache
// directory, LoadDevKeys reads it back; package escrow/devkeys ships it
// (reproducible from DevSeed) for programs that want no setup at all. For real money, run a ceremony
// (zkp.KeysFromCeremony), compile VerifierSource's output for its verifying
// key and pass that contract's address to Deploy.
//
// # Money and errors
//
// Amounts are integers in the token's smallest unit (wei for the native
// coin), never floats. A payment the contract cannot push to its recipient
// is credited to it instead (Credit, Withdraw), so a hostile payee cannot
// block expiry. Contract reverts come back as *RevertError, which
// errors.Is matches against the sentinel of its kind (ErrBadProof,
// ErrDeadlinePassed, ErrNotAttester, ...).
package escrow
