#!/bin/sh
# benchpair.sh runs two compiled test binaries of the root package in
# alternating order (A B, B A, A B, …) and compares one benchmark's
# ratio metrics pair by pair: on a machine whose speed drifts, the
# difference within a pair is what tells two versions apart.
#
#	git stash && go test -c -o /tmp/a.test . && git stash pop && go test -c -o /tmp/b.test .
#	scripts/benchpair.sh 10 'GatewayIngest/wal=disk$' /tmp/a.test /tmp/b.test
#
# It prints each pair's x-ingest/ceiling and x-cpu/ceiling (A, then B),
# then for each metric A's and B's medians, the median of the paired
# differences B − A and how many pairs went up. Extra arguments after the
# binaries are passed to both (for example -test.benchtime 20000x; the
# default is 100000x).
set -eu
if [ $# -lt 4 ]; then
	echo "usage: $0 PAIRS BENCH_REGEX A.test B.test [test flags...]" >&2
	exit 2
fi
pairs=$1 re=$2 a=$3 b=$4
shift 4
run() {
	bin=$1
	shift
	"$bin" -test.run '^$' -test.bench "$re" -test.benchtime 100000x "$@" 2>&1 |
		awk '/x-ingest\/ceiling/ { for (i = 1; i < NF; i++) { if ($(i+1) == "x-ingest/ceiling") x = $i; if ($(i+1) == "x-cpu/ceiling") c = $i }; print x, c; exit }'
}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
i=1
while [ "$i" -le "$pairs" ]; do
	if [ $((i % 2)) -eq 1 ]; then
		ra=$(run "$a" "$@")
		rb=$(run "$b" "$@")
	else
		rb=$(run "$b" "$@")
		ra=$(run "$a" "$@")
	fi
	if [ -z "$ra" ] || [ -z "$rb" ]; then
		echo "pair $i: a run reported no x-ingest/ceiling" >&2
		exit 1
	fi
	echo "$ra $rb" | tee -a "$out"
	i=$((i + 1))
done
awk '
function median(v, n,   i, j, t) {
	for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j+1] = v[j]; v[j+1] = t }
	return n % 2 ? v[(n+1)/2] : (v[n/2] + v[n/2+1]) / 2
}
{ n++; xa[n] = $1; ca[n] = $2; xb[n] = $3; cb[n] = $4; dx[n] = $3 - $1; dc[n] = $4 - $2; if ($3 > $1) ux++; if ($4 > $2) uc++ }
END {
	printf "x-ingest/ceiling: A %.3f, B %.3f, median(B-A) %+.3f, B up in %d of %d\n", median(xa, n), median(xb, n), median(dx, n), ux, n
	printf "x-cpu/ceiling:    A %.3f, B %.3f, median(B-A) %+.3f, B up in %d of %d\n", median(ca, n), median(cb, n), median(dc, n), uc, n
}' "$out"
