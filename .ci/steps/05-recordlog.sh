#!/usr/bin/env bash
# .ci/steps/05-recordlog.sh — checks owned by internal/recordlog: the race
# detector over the log (its writer goroutine, group commit, concurrent
# Records), the SIGKILL crash tests included (20 and 10 kills under -short).
# (The full 40- and 20-kill crash tests run in go test ./...; fuzzing in .ci/fuzz.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
echo "--- recordlog: race detector, crash test"
go test -race -short -count=1 ./internal/recordlog
