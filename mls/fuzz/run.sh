#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Run each libFuzzer harness for FUZZ_SECONDS, FUZZ_JOBS at a time, and
# print one line per harness: executions, exec/s, coverage, crashes.
#   run.sh BUILD_DIR HARNESS...
# New corpus units go to BUILD_DIR/work/<h>/ (the seeds in
# BUILD_DIR/corpus/<h>/ stay as extracted), crash inputs to
# BUILD_DIR/artifacts/<h>/, logs to BUILD_DIR/logs/<h>.log.
set -u

out=$1
shift
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}

run_one() {
	local h=$1
	mkdir -p "$out/work/$h" "$out/corpus/$h" "$out/artifacts/$h" "$out/logs"
	"$out/bin/$h" -max_total_time="$seconds" -print_final_stats=1 \
		-timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/artifacts/$h/" \
		"$out/work/$h" "$out/corpus/$h" >"$out/logs/$h.log" 2>&1
	echo $? >"$out/logs/$h.rc"
}

summarise() {
	local h=$1 log=$out/logs/$1.log
	local execs rate cov crashes
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 | cut -d' ' -f2)
	crashes=$(find "$out/artifacts/$h" -type f -newer "$stamp" | wc -l)
	printf '%-32s %12s %9s %7s %8s\n' "$h" "${execs:-?}" "${rate:-?}" \
		"${cov:-?}" "$crashes"
	[ "$crashes" -eq 0 ] ||
		find "$out/artifacts/$h" -type f -newer "$stamp" | sed 's/^/    /'
}

echo "fuzzing ${#@} harnesses for ${seconds}s each, $jobs at a time"
# Crash inputs of earlier runs are kept; only this run's are counted.
mkdir -p "$out/logs"
stamp=$out/logs/.run-start
touch "$stamp"
sleep 1
running=0
for h in "$@"; do
	run_one "$h" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

printf '%-32s %12s %9s %7s %8s\n' harness execs exec/s cov crashes
status=0
for h in "$@"; do
	summarise "$h"
	[ -z "$(find "$out/artifacts/$h" -type f -newer "$stamp")" ] ||
		status=1
done
exit $status
