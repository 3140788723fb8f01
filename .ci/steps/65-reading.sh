#!/usr/bin/env bash
# reading: cross-check the deterministic CBOR encoding against cborg, an
# independent JavaScript implementation, both ways. (Race and fuzz runs:
# .ci/run and .ci/fuzz.)
set -euo pipefail
dir="$PWD/.cache/npm-reading"
mkdir -p "$dir"
if [ ! -d "$dir/node_modules/cborg" ]; then
  (cd "$dir" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund cborg@6.1.5)
fi
IOTRUST_NODE_MODULES="$dir/node_modules" IOTRUST_REQUIRE_INTEROP=1 go test -count=1 -run TestInteropNode -v ./reading | grep -E '^(---|ok|FAIL|\s+interop)'
