#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A device dump that spans several netlink messages and races a device
# being added or removed is flagged NLM_F_DUMP_INTR by the kernel, and
# libmlsdco-nl turns that into an error ("dump interrupted by a concurrent
# change, retry") instead of a list that skips or repeats a device
# (docs/NETLINK.md). strace slows mlsctl's reads so that the dump's rounds
# are far apart and a change lands between them every time; without the
# concurrent change the same slowed dump is complete.

. "$(dirname "$(readlink -f "$0")")/lib.sh"

require_root
require_module
require_mlsctl
require_cmd ip strace python3

N_DEV=400
# Slowed reads: the dump's rounds come at least this far apart (us).
DELAY_US=200000

# many_devices NS: N_DEV mlsdco devices in NS, by one ip -batch.
many_devices()
{
	local i

	for ((i = 0; i < N_DEV; i++)); do
		echo "link add md$i type mlsdco"
	done | ip -n "$1" -batch - || return 1
}

dev_count()	# JSON on stdin
{
	python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}

slow_show()	# NS: mlsctl dev show -j with every read delayed
{
	in_ns "$1" strace -f -qq -o /dev/null -e trace=recvfrom \
		-e inject=recvfrom:delay_enter=$DELAY_US "$MLSCTL" dev show -j
}

# churn NS STOPFILE: add and delete one extra device until STOPFILE exists.
churn()
{
	local ns=$1 stop=$2 i=0

	while [ ! -e "$stop" ] && [ $i -lt 3000 ]; do
		ip -n "$ns" link add churn0 type mlsdco 2>/dev/null
		ip -n "$ns" link del churn0 2>/dev/null
		i=$((i + 1))
	done
}

test_dump_spans_messages()
{
	local ns out

	check "load" mlsdco_load
	ns=$(ns_create) || exit 1
	check "$N_DEV devices" many_devices "$ns"
	echo "$ns" >"$LIB_TMP/ns"
	out=$(slow_show "$ns") || { echo "FAIL: slowed dev show"; exit 1; }
	check_eq "a slowed dump with no change lists every device" "$N_DEV" \
		"$(dev_count <<<"$out")"
}

test_concurrent_change_is_reported()
{
	local ns stop=$LIB_TMP/stop out rc tries

	ns=$(cat "$LIB_TMP/ns") || exit 1
	churn "$ns" "$stop" &
	on_exit touch "$stop"
	for tries in 1 2 3; do
		out=$(slow_show "$ns" 2>&1)
		rc=$?
		[ $rc -ne 0 ] && break
		echo "try $tries: the dump came back whole ($(dev_count <<<"$out" 2>/dev/null) devices)"
	done
	touch "$stop"
	wait
	echo "$out" | tail -n 2
	check "mlsctl fails" test "$rc" -ne 0
	check "with the library's message" \
		grep -q 'dump interrupted by a concurrent change, retry' <<<"$out"
	out=$(in_ns "$ns" "$MLSCTL" dev show -j) || exit 1
	check_eq "after the change a dump is whole again" "$N_DEV" \
		"$(dev_count <<<"$out")"
}

ktap_begin 2
run_case dump_spans_messages test_dump_spans_messages
run_case concurrent_change_is_reported test_concurrent_change_is_reported
ktap_finish
