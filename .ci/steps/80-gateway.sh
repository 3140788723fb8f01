#!/usr/bin/env bash
# gateway (mqttgw, examples/gateway): the load test against a real Mosquitto
# from Debian (the gateway bridges to it as an MQTT 5 client), and the audit
# page driven in Debian's headless chromium; screenshots go to
# $IOTRUST_ARTIFACTS (default .cache/artifacts/gateway).
set -euo pipefail
need=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
mosq=$(command -v mosquitto || echo /usr/sbin/mosquitto)

work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_inflight_messages 0
max_queued_messages 100000
log_dest stderr
log_type error
log_type warning
CONF
"$mosq" -c "$work/mosquitto.conf" 2>"$work/mosquitto.log" &
mpid=$!
trap 'kill $mpid 2>/dev/null || true; wait $mpid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do
  (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
  sleep 0.1
done
echo "mosquitto $("$mosq" -h 2>/dev/null | head -1 | awk '{print $3}') on 127.0.0.1:$port"

export IOTRUST_ARTIFACTS="${IOTRUST_ARTIFACTS:-$PWD/.cache/artifacts/gateway}"
IOTRUST_MQTT_BROKER="mqtt://127.0.0.1:$port" \
  go test -count=1 -run 'TestLoadExternalBroker|TestAuditPageInBrowser|TestLoad$|TestOverload' -v ./mqttgw \
  | grep -E '^(=== RUN|---|ok|FAIL|PASS|panic|\s+\S+_test\.go)'
echo "screenshots: $IOTRUST_ARTIFACTS"
