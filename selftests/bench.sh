#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# `make bench`: benchmarks, not tests. Prints tables; nothing here passes or
# fails on a number.
#   1. libmls micro-benchmarks (build/bin/mls-bench), all seven suites.
#   2. data-plane throughput in one QEMU VM run (selftests/bench_net.sh),
#      when present: plain veth, mlsdco, WireGuard, ESP, OpenVPN (+ DCO).
# BENCH_QUICK=1 shortens every run.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
rc=0

echo "=== bench: machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs"

echo "=== bench: libmls"
if [ -x "$ROOT/build/bin/mls-bench" ]; then
	"$ROOT/build/bin/mls-bench" ${BENCH_QUICK:+--quick} || rc=1
else
	echo "bench: build/bin/mls-bench missing (run make)" >&2
	rc=1
fi

if [ -e "$ROOT/selftests/bench_net.sh" ]; then
	echo "=== bench: data plane (QEMU VM)"
	# The guest does not inherit this environment: bench_net.sh reads its
	# knobs from the kernel command line.
	VM_APPEND="${VM_APPEND:-}${BENCH_QUICK:+ BENCH_QUICK=$BENCH_QUICK}${BENCH_SECONDS:+ BENCH_SECONDS=$BENCH_SECONDS}${BENCH_RUNS:+ BENCH_RUNS=$BENCH_RUNS}" \
		bash "$ROOT/selftests/vm/run.sh" --timeout 1800 \
		"$ROOT/selftests/bench_net.sh" || rc=1
fi
exit $rc
