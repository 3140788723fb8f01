#!/usr/bin/env bash
# canon: cross-check RFC 8785 and tagged BLAKE3 against independent
# JavaScript implementations. (Race and fuzz runs: .ci/run and .ci/fuzz.)
set -euo pipefail
dir="$PWD/.cache/npm-canon"
mkdir -p "$dir"
if [ ! -d "$dir/node_modules/canonicalize" ] || [ ! -d "$dir/node_modules/@noble/hashes" ]; then
  (cd "$dir" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund canonicalize@2.1.0 @noble/hashes@2.0.1)
fi
IOTRUST_NODE_MODULES="$dir/node_modules" IOTRUST_REQUIRE_INTEROP=1 go test -count=1 -run TestInteropNode -v ./canon | grep -E '^(---|ok|FAIL|\s+interop)' 
