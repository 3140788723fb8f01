#!/usr/bin/env bash
# .ci/steps/60-zkp.sh — checks owned by package zkp:
#  1. the Solidity verifier: regenerate ReadingVerifier.sol from the
#     deterministic development keys, recompile it with the pinned solc and
#     regenerate the abigen binding; any difference from the committed files
#     fails; then the simulated-chain test with the compiler required.
# (Fuzz runs of zkp: .ci/fuzz.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

echo "--- zkp: regenerate the Solidity verifier"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./zkp/solidity/internal/export "$tmp/ReadingVerifier.sol" >/dev/null
cmp "$tmp/ReadingVerifier.sol" zkp/solidity/ReadingVerifier.sol
(cd zkp/solidity && go run github.com/iotrust/iotrust/anchor/evm/solc/solcgen -check ReadingVerifier.sol)
go run github.com/ethereum/go-ethereum/cmd/abigen --v2 --abi zkp/solidity/ReadingVerifier.abi \
  --bin zkp/solidity/ReadingVerifier.bin --pkg solidity --type ReadingVerifier --out "$tmp/reading_verifier.go"
cmp "$tmp/reading_verifier.go" zkp/solidity/reading_verifier.go
IOTRUST_REQUIRE_SOLC=1 go test -count=1 -v ./zkp/solidity | grep -E '^(---|ok|FAIL|\s+solidity_test)'
