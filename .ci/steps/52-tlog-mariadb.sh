#!/usr/bin/env bash
# anchor/tlog beyond one machine: the log on Tessera's MySQL driver against
# a real MariaDB server (conformance suite, outsider's audit, index rebuild,
# two nodes on one database, SIGKILL crash test), and checkpoints cosigned
# by a real c2sp.org/tlog-witness server (litewitness) on POSIX and MySQL.
# The server runs on a Unix socket in a throwaway datadir, a fresh
# database per test; the witness listens on loopback. Here a test that
# skips is a failure.
set -euo pipefail

need_apt=()
command -v mariadbd >/dev/null || command -v mysqld >/dev/null || need_apt+=(mariadb-server)
command -v sqlite3 >/dev/null || need_apt+=(sqlite3)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
server=$(command -v mariadbd || command -v mysqld)
install_db=$(command -v mariadb-install-db || command -v mysql_install_db)
client=$(command -v mariadb || command -v mysql)

work=$(mktemp -d /tmp/tlog-ci.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$install_db" --no-defaults --user=root --datadir="$work/data" \
  --auth-root-authentication-method=normal --skip-test-db >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; exit 1; }
"$server" --no-defaults --user=root --datadir="$work/data" --socket="$work/mysql.sock" \
  --skip-networking --pid-file="$work/mysqld.pid" --log-error="$work/mysqld.err" \
  --innodb-buffer-pool-size=64M &
server_pid=$!
for _ in $(seq 100); do
  "$client" --no-defaults -S "$work/mysql.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/mysqld.err"; exit 1; }
  sleep 0.2
done
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$client" --no-defaults -S "$work/mysql.sock" -uroot -e "
  CREATE USER 'iotrust'@'localhost' IDENTIFIED BY '$password';
  GRANT ALL ON \`iotrust\\_%\`.* TO 'iotrust'@'localhost';"
"$client" --no-defaults -S "$work/mysql.sock" -uroot -e 'SELECT VERSION()' -N
export IOTRUST_MYSQL_DSN="iotrust:$password@unix($work/mysql.sock)/"

# The witness: litewitness from the Go module proxy, at a named version.
GOBIN="$work/bin" go install filippo.io/torchwood/cmd/litewitness@v0.6.1
export IOTRUST_LITEWITNESS="$work/bin/litewitness"

start=$SECONDS
if ! TLOG_CRASH_KILLS=15 go test -count=1 -v -timeout 10m -run 'MySQL|Witness' ./anchor/tlog/ >"$work/test.log" 2>&1; then
  grep -v '^[IWE][0-9]\{4\} ' "$work/test.log" | tail -150
  exit 1
fi
grep -E '^(--- |ok|PASS)' "$work/test.log"
if grep -E -- '--- SKIP' "$work/test.log"; then
  echo "a MariaDB or witness test skipped although the server and the witness were provided"
  exit 1
fi
echo "anchor/tlog MariaDB and witness tests: $((SECONDS - start))s"
