#!/usr/bin/env bash
# .ci/steps/70-payment.sh — checks owned by package payment:
#  1. the contracts recompile, with the pinned solc, to exactly the committed
#     ABI and bytecode, and the committed bindings are current (un-skipped:
#     IOTRUST_REQUIRE_SOLC makes a missing Node.js toolchain a failure);
#  2. vouchers against independent implementations: ethers (EIP-712,
#     secp256k1) and @noble (BLAKE3 derive-key, Ed25519 ZIP-215).
# (Race and fuzz runs of payment: .ci/run and .ci/fuzz.)
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
