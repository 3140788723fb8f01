#!/usr/bin/env bash
# anchor/tlog: the full crash test (>= 50 SIGKILLs of an anchoring child
# process). (Race and fuzz runs of anchor: .ci/run and .ci/fuzz.)
set -euo pipefail

TLOG_CRASH_KILLS=50 go test -count=1 -run '^TestCrash$' -timeout 10m ./anchor/tlog/
