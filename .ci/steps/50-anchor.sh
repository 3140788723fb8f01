#!/usr/bin/env bash
# anchor/tlog and anchor/aggregate: the full crash tests (SIGKILLs of an
# anchoring child process at random moments; the inner log and the
# aggregator's record file must keep every acknowledged commitment).
# (Race and fuzz runs of anchor: .ci/run and .ci/fuzz.)
set -euo pipefail

TLOG_CRASH_KILLS=50 go test -count=1 -run '^TestCrash$' -timeout 10m ./anchor/tlog/
AGGREGATE_CRASH_KILLS=30 go test -count=1 -run '^TestCrash$' -timeout 10m ./anchor/aggregate/
