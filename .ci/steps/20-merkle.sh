#!/usr/bin/env bash
# .ci/steps/20-merkle.sh — checks owned by package merkle:
#  1. the tests again with -tags purego, so the portable BLAKE3 path (used
#     without AVX2 and off amd64) is checked as well as the assembly;
#  2. the committed vectors (testdata/*.json) against an independent BLAKE3
#     and SHA-256 (@noble/hashes) and an independent, recursive tree.
# (Race and fuzz runs of merkle: .ci/run and .ci/fuzz.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

echo "--- merkle: portable path (-tags purego)"
go test -count=1 -tags purego ./merkle/...

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
