#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Rekey without loss: 20 epoch changes while a fast ping (every 5 ms) and
# a fixed-rate UDP iperf3 run through the tunnel; not one packet may be
# lost in the tunnel (iperf3's losses may not exceed what host 2's UDP
# dropped at the server's full socket buffer). Each change follows the
# design: the new epoch is installed as "next" on both hosts first, host
# 1 swaps to it, and host 2 promotes it on the first packet it decrypts
# under it (the grace timer is set far beyond the test's waits, so only a
# packet can do it).
#
# Nothing here depends on how fast the machine is: the traffic runs in
# rounds until the changes are done (no ping round may lose an echo), and
# every wait is on a condition with a generous bound.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane
require_cmd iperf3

CHANGES=20
# How long host 2 may take to see host 1's first packet under a new epoch
# (seconds), and the grace time after which it would promote anyway (ms),
# well beyond it so the timer cannot pass for the packet.
SWITCH_WAIT=60
GRACE_MS=300000

is_current()
{
	grep -qw "$3:current" <<<"$(epoch_states "$1" "$2")"
}

# wait_current NS GROUP EPOCH: until EPOCH is the current one on NS.
wait_current()
{
	wait_until "$SWITCH_WAIT" is_current "$@"
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

# rekey_loop FIRST: CHANGES epoch changes from FIRST on, each while the
# traffic still runs (else it would not be "under load").
rekey_loop()
{
	local e

	for ((e = $1; e < $1 + CHANGES; e++)); do
		traffic_running ||
			{ echo "FAIL: the traffic ended before epoch $e"; return 1; }
		rekey_once "$e" || return 1
		sleep 0.2
	done
}

# rounds_go: the rounds go on until traffic_stop (or the case ends).
rounds_go()
{
	[ ! -e "$TRAFFIC_STOP" ]
}

# ping_rounds: rounds of 200 pings every 5 ms to host 2 until the stop
# file exists; each round's summary goes to ping.out.
ping_rounds()
{
	while rounds_go; do
		in_ns "${HOST[1]}" ping -q -i 0.005 -c 200 -W 10 "$(inner6 2)" \
			2>&1 | grep 'packets transmitted'
	done >"$LIB_TMP/ping.out"
}

# iperf_rounds: 3 s UDP rounds at 2 Mbit/s to a one-shot server on host 2
# until the stop file exists, one JSON result per round.
iperf_rounds()
{
	local n=0

	while rounds_go; do
		n=$((n + 1))
		iperf3_server "${HOST[2]}" "$(inner4 2)" ||
			{ echo "no iperf3 server" >"$LIB_TMP/iperf.$n.json"; return 1; }
		in_ns "${HOST[1]}" iperf3 -c "$(inner4 2)" -u -b 2M -l 1000 \
			-t 3 -J >"$LIB_TMP/iperf.$n.json" 2>&1
		wait "$IPERF3_SERVER_PID"
	done
}

# traffic_start: both rounds in the background, stopped by traffic_stop,
# which also runs when the case ends early.
traffic_start()
{
	TRAFFIC_STOP=$LIB_TMP/stop.$BASHPID
	rm -f "$LIB_TMP"/iperf.*.json
	trap traffic_stop EXIT
	ping_rounds &
	TRAFFIC_PING=$!
	iperf_rounds &
	TRAFFIC_IPERF=$!
	# Both have begun: a round's first echo, an iperf3 round connected.
	wait_until 30 stat_at_least "${HOST[2]}" 1 rx_packets 400
}

traffic_running()
{
	kill -0 "$TRAFFIC_PING" 2>/dev/null && kill -0 "$TRAFFIC_IPERF" 2>/dev/null
}

# traffic_stop: let the rounds under way finish.
traffic_stop()
{
	touch "$TRAFFIC_STOP"
	wait "$TRAFFIC_PING" "$TRAFFIC_IPERF" 2>/dev/null
	return 0
}

# ping_lost_nothing: every round answered every echo.
ping_lost_nothing()
{
	local rounds full

	cat "$LIB_TMP/ping.out"
	rounds=$(grep -c 'packets transmitted' "$LIB_TMP/ping.out")
	full=$(grep -c '^200 packets transmitted, 200 received' "$LIB_TMP/ping.out")
	echo "ping: $full of $rounds rounds of 200 echoes fully answered"
	[ "$rounds" -gt 0 ] && [ "$full" = "$rounds" ]
}

# udp_rcvbuf_errors NS: datagrams NS's UDP dropped because a socket's
# receive buffer was full (/proc/net follows the reader's namespace).
udp_rcvbuf_errors()
{
	in_ns "$1" awk '/^Udp:/ { if (!n++) { for (i = 2; i <= NF; i++) col[$i] = i }
		else print $col["RcvbufErrors"] }' /proc/net/snmp
}

# iperf_lost_nothing DROPS: every UDP round got packets through, and what
# iperf3 counts lost is no more than the DROPS host 2's UDP made at the
# iperf3 server's full socket (a TCG guest can stop that process for a
# moment, after mlsdco delivered the packets): the tunnel lost nothing.
iperf_lost_nothing()
{
	python3 -c 'import json, sys
bad = lost = 0
drops = int(sys.argv[1])
for f in sys.argv[2:]:
    try:
        s = json.load(open(f))["end"]["sum"]
    except (ValueError, KeyError):
        print("UDP round %s: no result" % f)
        bad += 1
        continue
    print("UDP round: %d packets, %d lost" % (s["packets"], s["lost_packets"]))
    bad += s["packets"] == 0
    lost += s["lost_packets"]
print("UDP: %d lost in all, %d dropped at the full socket on host 2" % (lost, drops))
sys.exit(1 if bad or lost > drops or len(sys.argv) < 3 else 0)' \
		"$1" "$LIB_TMP"/iperf.*.json
}

test_rekey_under_load()
{
	local family=$1 rc=0 t0 last=$((CHANGES + 1)) drops
	local DP_GRACE=$GRACE_MS

	check "topology" topo_up "$family" 2
	check "group" group_up 1 aes-128-gcm 1 2
	check "first epoch" epoch_up 1 1 1 2
	check "ping before rekeying" ping_ok "${HOST[1]}" "$(inner4 2)"

	drops=$(udp_rcvbuf_errors "${HOST[2]}") || return 1
	check "traffic under way" traffic_start
	t0=$SECONDS
	rekey_loop 2 || rc=1
	echo "# $CHANGES changes took $((SECONDS - t0)) s"
	traffic_stop
	[ "$rc" = 0 ] || return 1

	check "ping: no echo lost in any round" ping_lost_nothing
	drops=$(($(udp_rcvbuf_errors "${HOST[2]}") - drops))
	check "UDP iperf3: no packet lost in the tunnel" iperf_lost_nothing "$drops"
	check_eq "no decrypt failures on host 2" 0 \
		"$(group_stat "${HOST[2]}" 1 decrypt_failures)"
	# A tag naming no installed epoch is the device's count, not a group's.
	check_eq "no unknown tags on host 2" 0 \
		"$(dev_stat "${HOST[2]}" unknown_tags)"
	check_eq "no packet from an unknown member on host 2" 0 \
		"$(group_stat "${HOST[2]}" 1 unknown_tags)"
	check_eq "no decrypt failures on host 1" 0 \
		"$(group_stat "${HOST[1]}" 1 decrypt_failures)"
	check_epochs "the last epoch is current on both hosts, the one before" \
		"${HOST[1]}" 1 "$((last - 1)):previous $last:current"
	check_epochs "the same on host 2" \
		"${HOST[2]}" 1 "$((last - 1)):previous $last:current"
}

ktap_begin 3
run_case rekey_20_under_load_v4_underlay test_rekey_under_load 4
run_case rekey_20_under_load_v6_underlay test_rekey_under_load 6
run_case module_unload mlsdco_unload
ktap_finish
