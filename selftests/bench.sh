#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# `make bench`: benchmarks, not tests. Prints tables; nothing here passes or
# fails on a number.
#   1. libmls micro-benchmarks (build/bin/mls-bench), all seven suites.
#   2. the relay, outside the VM (build/bin/mlsrelay-bench): commits
#      ordered per second, fan-out of one commit to 1000 TLS connections.
#   3. data-plane throughput in one QEMU VM run (selftests/bench_net.sh),
#      when present: plain veth, mlsdco, WireGuard, ESP, OpenVPN (+ DCO).
# BENCH_QUICK=1 shortens every run; BENCH_ONLY=relay runs step 2 alone
# (`make bench-relay`).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
rc=0

echo "=== bench: machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs"

# run_tool TITLE PROGRAM: one benchmark program of the build, --quick
# with BENCH_QUICK.
run_tool() {
	echo "=== bench: $1"
	if [ -x "$ROOT/build/bin/$2" ]; then
		"$ROOT/build/bin/$2" ${BENCH_QUICK:+--quick} || rc=1
	else
		echo "bench: build/bin/$2 missing (run make)" >&2
		rc=1
	fi
}

# The relay benchmark needs no VM and no root: a temporary SQLite store under
# ${TMPDIR:-/tmp}.
run_relay() {
	run_tool "relay (no VM)" mlsrelay-bench
}

if [ "${BENCH_ONLY:-}" = relay ]; then
	run_relay
	exit $rc
fi
run_tool libmls mls-bench
run_relay

if [ -e "$ROOT/selftests/bench_net.sh" ]; then
	echo "=== bench: data plane (QEMU VM)"
	# The guest does not inherit this environment: bench_net.sh reads its
	# knobs from the kernel command line.
	VM_APPEND="${VM_APPEND:-}${BENCH_QUICK:+ BENCH_QUICK=$BENCH_QUICK}${BENCH_SECONDS:+ BENCH_SECONDS=$BENCH_SECONDS}${BENCH_RUNS:+ BENCH_RUNS=$BENCH_RUNS}" \
		bash "$ROOT/selftests/vm/run.sh" --timeout 1800 \
		"$ROOT/selftests/bench_net.sh" || rc=1
fi
exit $rc
