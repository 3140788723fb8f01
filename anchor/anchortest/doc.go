// Package anchortest is the conformance suite of anchor.Ledger: every
// backend runs it from its own tests, so that "implements anchor.Ledger"
// means the same guarantees whatever the ledger.
//
//	func TestConformance(t *testing.T) {
//		anchortest.Run(t, func(t *testing.T) anchor.Ledger {
//			l := openFreshLedger(t) // closed through t.Cleanup
//			return l
//		})
//	}
//
// The suite checks anchoring and lookup, idempotence (sequential and
// concurrent), root conflicts, ordering, concurrent anchoring (run it with
// -race), rejection of bad commitments without a write, context
// cancellation, WaitFinal, Follow's replay, live delivery and close
// semantics, Upgrade (of fresh, stale and final receipts, and its refusal
// of receipts of other ledgers, of unanchored and of conflicting
// commitments), that every receipt reads back from its one JSON form
// (anchor.ParseReceipt), and, for ledgers that implement
// anchor.ReceiptVerifier, offline verification and its rejection of
// tampered receipts. The snippet above is a test, not an Example: the
// suite needs the *testing.T of the backend's own test (see the
// conformance tests of anchor/tlog, anchor/evm and anchor/aggregate).
package anchortest
