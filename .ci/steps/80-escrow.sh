#!/usr/bin/env bash
# .ci/steps/80-escrow.sh — checks owned by package escrow:
#  1. the development batch verifier: rerun the deterministic setup from
#     escrow.DevSeed and export its verifying key and Solidity verifier; any
#     difference from the committed files fails;
#  2. the contracts recompile, with the pinned solc, to exactly the committed
#     ABI and bytecode, and the committed bindings are current
#     (IOTRUST_REQUIRE_SOLC makes a missing Node.js toolchain a failure).
# (The simulated-chain tests run in go test ./...; fuzzing in .ci/fuzz.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

echo "--- escrow: regenerate the development verifier"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd escrow && go run ./internal/devexport "$tmp/BatchVerifier.sol" "$tmp/dev.vk")
cmp "$tmp/BatchVerifier.sol" escrow/contracts/BatchVerifier.sol
cmp "$tmp/dev.vk" escrow/dev-batch-16-16.vk

echo "--- escrow: contracts match source and bindings"
IOTRUST_REQUIRE_SOLC=1 go test -count=1 -run 'TestArtifactsMatchSource|TestBindingsMatchArtifacts' -v ./escrow/contracts |
  grep -E '^(--- |ok|FAIL|PASS)'
