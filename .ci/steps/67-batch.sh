#!/usr/bin/env bash
# batch: the full SIGKILL crash test, 50 kills of a gateway child process
# at random moments while it ingests; it reports the kills and readings
# acknowledged, and fails on any acknowledged reading lost or batch
# anchored twice. (go test ./... runs 12 kills; race and fuzz runs:
# .ci/run and .ci/fuzz.)
set -euo pipefail
IOTRUST_CRASH_KILLS=50 go test -count=1 -v -run '^TestCrash$' -timeout 10m ./batch | grep -E '^(---|ok|FAIL|\s+crash_test)'
