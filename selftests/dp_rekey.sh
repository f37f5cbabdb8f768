#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Rekey without loss: 20 epoch changes while a fast ping (every 5 ms) and
# a fixed-rate UDP iperf3 run through the tunnel; not one packet may be
# lost. The traffic lasts as long as this machine needs for 20 changes
# (timed on one change first), and each change checks it still runs. Each change follows the design: the new epoch is installed as
# "next" on both hosts first, host 1 swaps to it, and host 2 promotes it
# on the first packet it decrypts under it (or after the grace time).

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane
require_cmd iperf3

CHANGES=20

is_current()
{
	grep -qw "$3:current" <<<"$(epoch_states "$1" "$2")"
}

# wait_current NS GROUP EPOCH: until EPOCH is the current one on NS.
wait_current()
{
	wait_until 5 is_current "$@"
}

# rekey_once EPOCH: install EPOCH as next on both hosts, swap host 1, and
# wait for host 2 to promote it on the first packet it decrypts under it.
rekey_once()
{
	local e=$1

	epoch_add 1 "$e" 1 2 || { echo "FAIL: epoch add $e"; return 1; }
	mlsctl_in "${HOST[1]}" epoch swap "$DP_DEV" group 1 ||
		{ echo "FAIL: epoch swap $e"; return 1; }
	wait_current "${HOST[2]}" 1 "$e" ||
		{ echo "FAIL: host 2 never switched to epoch $e" \
			"($(epoch_states "${HOST[2]}" 1))"; return 1; }
}

# rekey_loop FIRST PINGPID: CHANGES epoch changes from FIRST on, each while
# the flood ping still runs (else it would not be "under load").
rekey_loop()
{
	local e

	for ((e = $1; e < $1 + CHANGES; e++)); do
		kill -0 "$2" 2>/dev/null ||
			{ echo "FAIL: the traffic ended before epoch $e"; return 1; }
		rekey_once "$e" || return 1
		sleep 0.2
	done
}

test_rekey_under_load()
{
	local family=$1 ping_out iperf_out srv pingpid iperfpid rc=0
	local t0 ms secs count last=$((CHANGES + 2))
	# The swap and the first packet must be what moves the hosts: with
	# the 5 s default grace a loaded host's timer got there first.
	local DP_GRACE=60000

	check "topology" topo_up "$family" 2
	check "group" group_up 1 aes-128-gcm 1 2
	check "first epoch" epoch_up 1 1 1 2
	check "ping before rekeying" ping_ok "${HOST[1]}" "$(inner4 2)"

	# One change without load says how long the traffic must last for
	# all CHANGES to happen under it, on this (possibly slow) machine.
	t0=$(date +%s%N)
	in_ns "${HOST[1]}" ping -q -i 0.05 -c 100 "$(inner4 2)" >/dev/null 2>&1 &
	check "calibration change to epoch 2" rekey_once 2
	ms=$((($(date +%s%N) - t0) / 1000000 + 200))
	kill %% 2>/dev/null
	wait
	secs=$((CHANGES * ms * 2 / 1000 + 6))
	[ "$secs" -lt 14 ] && secs=14
	count=$((secs * 180))
	echo "# one change took $ms ms: $count pings over ~$secs s"

	check "iperf3 server" iperf3_server "${HOST[2]}" "$(inner4 2)"
	srv=$IPERF3_SERVER_PID
	in_ns "${HOST[1]}" ping -q -i 0.005 -c "$count" -W 2 "$(inner6 2)" \
		>"$LIB_TMP/ping.out" 2>&1 &
	pingpid=$!
	in_ns "${HOST[1]}" iperf3 -c "$(inner4 2)" -u -b 2M -l 1000 \
		-t "$secs" -J >"$LIB_TMP/iperf.out" 2>&1 &
	iperfpid=$!
	sleep 1

	rekey_loop 3 "$pingpid" || rc=1
	wait "$pingpid"
	wait "$iperfpid"
	wait "$srv"
	[ "$rc" = 0 ] || return 1

	ping_out=$(cat "$LIB_TMP/ping.out")
	iperf_out=$(cat "$LIB_TMP/iperf.out")
	echo "$ping_out" | tail -n 2
	check "ping: all $count echoes answered" \
		grep -q " $count received" <<<"$ping_out"
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
s = d["end"]["sum"]
print("# UDP: %d packets, %d lost" % (s["packets"], s["lost_packets"]))
sys.exit(0 if s["packets"] > 0 and s["lost_packets"] == 0 else 1)' \
		"$iperf_out" || { echo "FAIL: UDP iperf3 lost packets"; return 1; }
	check_eq "no decrypt failures on host 2" 0 \
		"$(group_stat "${HOST[2]}" 1 decrypt_failures)"
	check_eq "no unknown tags on host 2" 0 \
		"$(group_stat "${HOST[2]}" 1 unknown_tags)"
	check_eq "no decrypt failures on host 1" 0 \
		"$(group_stat "${HOST[1]}" 1 decrypt_failures)"
	check "the last epoch is current on host 1" \
		grep -qw "$last:current" <<<"$(epoch_states "${HOST[1]}" 1)"
}

ktap_begin 3
run_case rekey_20_under_load_v4_underlay test_rekey_under_load 4
run_case rekey_20_under_load_v6_underlay test_rekey_under_load 6
run_case module_unload mlsdco_unload
ktap_finish
