#!/usr/bin/env bash
# .ci/steps/90-cmd-iotrust.sh — checks owned by cmd/iotrust: the command
# installs with `go install` as users install it, and the installed binary
# behaves as its manual says (exit statuses, did new / did resolve round
# trip, key file mode, inspect of its own key file). The in-process and
# built-binary tests of the commands run in go test ./...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

echo "--- cmd/iotrust: go install and smoke test"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp/bin" go install ./cmd/iotrust
bin="$tmp/bin/iotrust"

"$bin" help >/dev/null
"$bin" version
set +e
"$bin" verify >/dev/null 2>&1; code=$?
set -e
[ "$code" -eq 2 ] || { echo "verify without a bundle: exit $code, want 2"; exit 1; }

for scheme in ed25519 p256 ml-dsa-44; do
  id=$("$bin" did new --scheme "$scheme" --out "$tmp/$scheme.jwk")
  mode=$(stat -c %a "$tmp/$scheme.jwk")
  [ "$mode" = 600 ] || { echo "$scheme key file mode $mode, want 600"; exit 1; }
  "$bin" did resolve "$id" | grep -q "\"id\": \"$id\"" || { echo "$scheme: did resolve does not give $id"; exit 1; }
  "$bin" inspect "$tmp/$scheme.jwk" | grep -q "did:        $id" || { echo "$scheme: inspect of the key file"; exit 1; }
done
echo "cmd/iotrust: ok"
