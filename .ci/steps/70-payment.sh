#!/usr/bin/env bash
# .ci/steps/70-payment.sh — checks owned by package payment:
#  1. the contracts recompile, with the pinned solc, to exactly the committed
#     ABI and bytecode, and the committed bindings are current (un-skipped:
#     IOTRUST_REQUIRE_SOLC makes a missing Node.js toolchain a failure);
#  2. payment's concurrent parts (payee, payer, store) under the race detector;
#  3. vouchers against independent implementations: ethers (EIP-712,
#     secp256k1) and @noble (BLAKE3 derive-key, Ed25519 ZIP-215);
#  4. each fuzz target of payment for a short run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

echo "--- payment: contracts match source and bindings"
IOTRUST_REQUIRE_SOLC=1 go test -count=1 -run 'TestArtifactsMatchSource|TestBindingsMatchArtifacts' -v ./payment/contracts |
  grep -E '^(--- |ok|FAIL|PASS)'

echo "--- payment: cross-check with ethers and @noble"
dir=.cache/npm-payment
if [ ! -f "$dir/node_modules/ethers/package.json" ] ||
   ! grep -q '"version": "6.17.0"' "$dir/node_modules/ethers/package.json" ||
   [ ! -f "$dir/node_modules/@noble/curves/package.json" ]; then
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" ethers@6.17.0 @noble/curves@2.0.1 @noble/hashes@2.0.1 >&2
fi
IOTRUST_PAYMENT_NODE_MODULES="$PWD/$dir/node_modules" IOTRUST_REQUIRE_INTEROP=1 \
  go test -count=1 -run TestInteropEthersNoble -v ./payment | grep -E '^(--- |ok|FAIL)'

echo "--- payment: race"
go test -race -short -count=1 ./payment

echo "--- payment: fuzz"
# A short minimize time: store files are KiB-sized, and the default (60 s
# per new input) would spend the whole run minimizing.
for target in FuzzParseVoucher FuzzStoreReplay; do
  go test -run '^$' -fuzz "^${target}\$" -fuzztime="${FUZZTIME:-10s}" -fuzzminimizetime=1s ./payment
done
go test -run '^$' -fuzz '^FuzzDecodeRevert$' -fuzztime="${FUZZTIME:-10s}" ./payment/settle
