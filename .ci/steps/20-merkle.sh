#!/usr/bin/env bash
# .ci/steps/20-merkle.sh — checks owned by package merkle:
#  1. the parallel tree builder under the race detector;
#  2. each fuzz target of merkle for a short run;
#  3. the committed vectors (testdata/*.json) against an independent BLAKE3
#     and SHA-256 (@noble/hashes) and an independent, recursive tree.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

echo "--- merkle: race"
go test -race -short ./merkle/...

echo "--- merkle: fuzz"
for target in FuzzInclusionProofDecode FuzzConsistencyProofDecode FuzzMultiInclusionProofDecode \
              FuzzVerifyInclusion FuzzVerifyConsistency FuzzVerifyMultiInclusion FuzzBuilderState; do
  go test -run '^$' -fuzz "^${target}\$" -fuzztime=10s ./merkle
done

echo "--- merkle: cross-check with @noble/hashes"
NOBLE_VERSION=2.0.1
dir=.cache/npm-merkle
if [ ! -f "$dir/node_modules/@noble/hashes/package.json" ] ||
   ! grep -q "\"version\": \"$NOBLE_VERSION\"" "$dir/node_modules/@noble/hashes/package.json"; then
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" "@noble/hashes@$NOBLE_VERSION" >&2
fi
# Node resolves ESM imports from the script's own directory.
cp merkle/testdata/crosscheck.mjs "$dir/crosscheck.mjs"
node "$dir/crosscheck.mjs" "$PWD/merkle/testdata"
