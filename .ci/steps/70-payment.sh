#!/usr/bin/env bash
# .ci/steps/70-payment.sh — checks owned by package payment:
#  1. the contracts recompile, with the pinned solc, to exactly the committed
#     ABI and bytecode, and the committed bindings are current (un-skipped:
#     IOTRUST_REQUIRE_SOLC makes a missing Node.js toolchain a failure);
#  2. payment's concurrent parts (payee, payer, store) under the race detector;
#  3. each fuzz target of payment for a short run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

echo "--- payment: contracts match source and bindings"
IOTRUST_REQUIRE_SOLC=1 go test -count=1 -run 'TestArtifactsMatchSource|TestBindingsMatchArtifacts' -v ./payment/contracts |
  grep -E '^(--- |ok|FAIL|PASS)'

echo "--- payment: race"
go test -race -short -count=1 ./payment

echo "--- payment: fuzz"
for target in FuzzParseVoucher FuzzStoreReplay; do
  go test -run '^$' -fuzz "^${target}\$" -fuzztime="${FUZZTIME:-10s}" ./payment
done
go test -run '^$' -fuzz '^FuzzDecodeRevert$' -fuzztime="${FUZZTIME:-10s}" ./payment/settle
