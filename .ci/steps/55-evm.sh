#!/usr/bin/env bash
# anchor/evm: Solidity toolchain reproducibility.
# (Race and fuzz runs of anchor/evm: .ci/run and .ci/fuzz.)
set -euo pipefail

# The committed ABI and bytecode must be what the pinned compiler makes of
# the source; here a missing Node.js toolchain is a failure, not a skip.
IOTRUST_REQUIRE_SOLC=1 go test -count=1 -run 'TestArtifactsMatchSource|TestBindingMatchesArtifacts|TestDeployedBytecodeIsBinding|TestCompileErrorsAndCheck' ./anchor/evm/contracts ./anchor/evm/solc

# solcgen -check: the same comparison through the command go generate runs.
(cd anchor/evm/contracts && go run ../solc/solcgen -check Anchor.sol)
