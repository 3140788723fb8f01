#!/usr/bin/env bash
# .ci/steps/72-stake.sh — checks owned by package stake: Stake.sol
# recompiles, with the pinned solc, to exactly the committed ABI and
# bytecode, and the committed binding is current (IOTRUST_REQUIRE_SOLC makes
# a missing Node.js toolchain a failure, not a skip).
# (Race and fuzz runs: .ci/run and .ci/fuzz; stake parses no untrusted bytes
# of its own: bundles go through evidence.Parse.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

echo "--- stake: contract matches source and binding"
IOTRUST_REQUIRE_SOLC=1 go test -count=1 -run 'TestArtifactsMatchSource|TestBindingMatchesArtifacts' -v ./stake/contracts |
  grep -E '^(--- |ok|FAIL|PASS)'
