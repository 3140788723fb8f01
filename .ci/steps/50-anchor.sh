#!/usr/bin/env bash
# anchor, anchor/anchortest, anchor/tlog: race runs of the concurrent code
# (Multi, the conformance suite, the log), the full crash test (>= 50
# SIGKILLs of an anchoring child process), and short runs of every fuzz
# target.
set -euo pipefail

go test -race -short -count=1 -skip '^TestCrash$' ./anchor/ ./anchor/anchortest/ ./anchor/tlog/

TLOG_CRASH_KILLS=50 go test -count=1 -run '^TestCrash$' -timeout 10m ./anchor/tlog/

for target in FuzzDecodeCommitment; do
  go test -run '^$' -fuzz "^${target}\$" -fuzztime=10s ./anchor/
done
for target in FuzzParseCheckpoint FuzzInclusionProof FuzzVerifyReceipt; do
  go test -run '^$' -fuzz "^${target}\$" -fuzztime=10s ./anchor/tlog/
done
