#!/usr/bin/env bash
# vc: the all-dependencies link check, and interoperability with independent JavaScript
# implementations (jose, did-jwt-vc + key-did-resolver) in both directions.
set -euo pipefail

echo "--- linkcheck: vc-go + did-go + gnark + go-ethereum + tessera in one binary"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/alldeps" ./internal/linkcheck/alldeps
out=$("$tmp/alldeps" 2>/dev/null)
[ "$out" = "ok" ] || { echo "alldeps printed: $out"; exit 1; }
echo "alldeps: $out"

echo "--- vc: JavaScript interop"
npmdir=.cache/npm-vc
mkdir -p "$npmdir"
[ -f "$npmdir/package.json" ] || echo '{"name":"iotrust-vc-interop","private":true,"type":"module"}' > "$npmdir/package.json"
(cd "$npmdir" && npm install --no-audit --no-fund --silent \
  jose@6.2.17 did-jwt-vc@4.0.16 did-jwt@8.0.18 key-did-resolver@4.0.0 did-resolver@4.1.0)
cp vc/internal/interop/verify.mjs "$npmdir/verify.mjs"
go build -o "$tmp/interop" ./vc/internal/interop
"$tmp/interop" issue > "$tmp/interop.json"
node "$npmdir/verify.mjs" "$tmp/interop.json" "$tmp/js-vc.jwt"
js_issuer=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).js.issuer)' "$tmp/interop.json")
"$tmp/interop" verify "$js_issuer" < "$tmp/js-vc.jwt"
# The JS credential with one payload byte changed must fail here too.
node -e '
const t = require("fs").readFileSync(process.argv[1], "utf8").trim().split(".");
const p = t[1].split(""); const i = p.length >> 1; p[i] = p[i] === "A" ? "B" : "A";
process.stdout.write([t[0], p.join(""), t[2]].join("."));' "$tmp/js-vc.jwt" > "$tmp/js-vc-tampered.jwt"
if "$tmp/interop" verify "$js_issuer" < "$tmp/js-vc-tampered.jwt" 2>/dev/null; then
  echo "tampered JavaScript credential verified in Go"; exit 1
fi
echo "tampered JavaScript credential rejected in Go"
