#!/usr/bin/env bash
# anchor/evm, internal/evmtx, payment/settle: Solidity toolchain
# reproducibility. (Race and fuzz runs: .ci/run and .ci/fuzz.)
set -euo pipefail

# The committed ABI and bytecode must be what the pinned compiler makes of
# the source, and each binding what abigen makes of them; here a missing
# Node.js toolchain is a failure, not a skip. (payment/contracts: step 70.)
IOTRUST_REQUIRE_SOLC=1 go test -count=1 -run 'TestArtifactsMatchSource|TestBindingMatchesArtifacts|TestDeployedBytecodeIsBinding|TestCompileErrorsAndCheck|TestCheckBinding' \
  ./anchor/evm/contracts ./anchor/evm/solc ./internal/evmtx/evmtxtest/testtoken

# solcgen -check: the same comparison through the command go generate runs.
(cd anchor/evm/contracts && go run ../solc/solcgen -check Anchor.sol)
