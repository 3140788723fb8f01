#!/usr/bin/env bash
# store: cross-check CIDs (multiformats) and the blob format (BLAKE3
# derive-key, XChaCha20-Poly1305 from @noble) against independent
# JavaScript implementations. HPKE is checked in `go test` against RFC 9180's
# vector and Go's crypto/hpke. (Race and fuzz runs: .ci/run and .ci/fuzz.)
set -euo pipefail
dir="$PWD/.cache/npm-store"
mkdir -p "$dir"
if [ ! -d "$dir/node_modules/multiformats" ] || [ ! -d "$dir/node_modules/@noble/hashes" ] ||
   [ ! -d "$dir/node_modules/@noble/ciphers" ]; then
  (cd "$dir" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
    multiformats@13.4.1 @noble/hashes@2.0.1 @noble/ciphers@2.0.1)
fi
IOTRUST_NODE_MODULES="$dir/node_modules" IOTRUST_REQUIRE_INTEROP=1 \
  go test -count=1 -run 'TestInteropJS' -v ./store | grep -E '^(---|ok|FAIL|\s+interop)'
