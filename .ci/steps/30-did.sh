#!/usr/bin/env bash
# did: cross-check did:key and signatures against independent JavaScript
# implementations (key-did-resolver + did-resolver, @noble/curves).
# (Race and fuzz runs: .ci/run and .ci/fuzz.)
set -euo pipefail
dir="$PWD/.cache/npm-did"
mkdir -p "$dir"
if [ ! -d "$dir/node_modules/key-did-resolver" ] || [ ! -d "$dir/node_modules/@noble/curves" ] ||
   [ ! -d "$dir/node_modules/did-resolver" ] || [ ! -d "$dir/node_modules/multiformats" ]; then
  (cd "$dir" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
    key-did-resolver@4.0.0 did-resolver@4.1.0 @noble/curves@1.9.7 @noble/hashes@1.8.0 multiformats@13.4.1)
fi
IOTRUST_NODE_MODULES="$dir/node_modules" IOTRUST_REQUIRE_INTEROP=1 \
  go test -count=1 -run 'TestInteropJS' -v ./did | grep -E '^(---|ok|FAIL|\s+interop)'
