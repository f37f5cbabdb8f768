#!/bin/bash
# SPDX-License-Identifier: MIT
#
# What mlsd needs from the kernel (docs/AGENT.md "What the kernel must
# gain"), on hosts 1 and 2 with two groups like mlsd makes them: group 1
# the pair group (flags none, owns the hosts' inner addresses), group 2
# the network group (multicast, no allowed IPs), each member with its
# host's peer id (100 + host). Host 3 only plays a relay (a UDP socket).
#
#   peer_id_source_check  multicast from host 1 arrives in group 2 with an
#                         inner source owned by group 1: delivered by peer
#                         id, dropped as bad_source without it
#   multicast_flag        the fan-out skips group 1 (its tx_packets stay)
#   relay_one_copy        two members without endpoint behind the group's
#                         relay: one datagram reaches the relay
#   no_route_event        unicast to an address without member: no-route
#                         events, one per destination and second, 20/s
#   keepalive             keepalive 1 s: packets arrive, are counted as
#                         rx_keepalives and are not delivered
#   roaming               replies follow the peer's new source port; not
#                         with roaming off
#   error_counters_in_stats64  drops by kind in ip -s -s link

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

PY=/usr/bin/python3
RELAY_PORT=40000
# ping -s 200: 16-byte header + 20 IP + 8 ICMP + 200 + 16-byte tag
RELAY_PROBE_LEN=260

require_dataplane

peer_of() { echo $((100 + $1)); }

# network_group_up GROUP HOSTS...: a multicast group without allowed IPs,
# every member with its host's peer id, and its first epoch.
network_group_up()
{
	local gid=$1 i j
	shift

	echo aes-128-gcm >"$DP_KEYS/aead.$gid"
	for i; do
		mlsctl_in "${HOST[$i]}" group add "$DP_DEV" id "$gid" \
			aead aes-128-gcm leaf "$(leaf_of "$i")" flags multicast ||
			return 1
		for j; do
			[ "$i" = "$j" ] && continue
			mlsctl_in "${HOST[$i]}" member set "$DP_DEV" group "$gid" \
				leaf "$(leaf_of "$j")" endpoint "$(endpoint_of "$j")" \
				roaming off peer-id "$(peer_of "$j")" || return 1
		done
	done
	epoch_up "$gid" 1 "$@"
}

fixture()
{
	local i

	topo_up 4 3 || return 1
	for i in 1 2; do
		# No IPv6 housekeeping (MLD, RS) moving the counters compared.
		ip netns exec "${HOST[$i]}" sysctl -qw \
			"net.ipv6.conf.$DP_DEV.disable_ipv6=1" || return 1
		in_ns "${HOST[$i]}" sysctl -qw \
			net.ipv4.icmp_echo_ignore_broadcasts=0 || return 1
		ip -n "${HOST[$i]}" route add 224.0.0.0/4 dev "$DP_DEV" ||
			return 1
	done
	group_up 1 aes-128-gcm 1 2 || return 1
	mlsctl_in "${HOST[1]}" member set "$DP_DEV" group 1 leaf 1 \
		peer-id "$(peer_of 2)" &&
	mlsctl_in "${HOST[2]}" member set "$DP_DEV" group 1 leaf 0 \
		peer-id "$(peer_of 1)" &&
	mlsctl_in "${HOST[1]}" group set "$DP_DEV" id 1 flags none &&
	mlsctl_in "${HOST[2]}" group set "$DP_DEV" id 1 flags none &&
	epoch_up 1 1 1 2 &&
	network_group_up 2 1 2
}

# mcast_ping: three echoes from host 1 to 224.0.0.1; prints who answered.
mcast_ping()
{
	in_ns "${HOST[1]}" ping -c 3 -i 0.3 -w 10 -I "$(inner4 1)" 224.0.0.1 \
		2>/dev/null | sed -n 's/^[0-9]* bytes from \([0-9.]*\):.*/\1/p' |
		sort -u | tr '\n' ' '
}

# host2_answers: host 2 answers a multicast echo run, within five runs (a
# loaded guest can answer too late for one run, as in dp_multicast.sh).
host2_answers()
{
	local _

	for _ in 1 2 3 4 5; do
		grep -qw "$(inner4 2)" <<<"$(mcast_ping)" && return 0
	done
	return 1
}

json_of()
{
	show_json "${HOST[$1]}" | "$PY" -c "$2" "${@:3}"
}

test_peer_id()
{
	local rx bad got

	rx=$(member_stat "${HOST[2]}" 2 0 rx_packets) || return 1
	bad=$(group_stat "${HOST[2]}" 2 bad_source) || return 1
	check "host 2 answers the multicast echo" host2_answers
	check "host 2 delivered the echoes from group 2" \
		test "$(member_stat "${HOST[2]}" 2 0 rx_packets)" -ge $((rx + 3))
	check_eq "no bad_source in group 2" "$bad" \
		"$(group_stat "${HOST[2]}" 2 bad_source)"

	# Without the peer id, 10.77.0.1 belongs to another member.
	check "peer id 0" mlsctl_in "${HOST[2]}" member set "$DP_DEV" \
		group 2 leaf 0 peer-id 0
	rx=$(member_stat "${HOST[2]}" 2 0 rx_packets) || return 1
	got=$(mcast_ping)
	check_eq "member without peer id 0 answered" "" \
		"$(grep -ow "$(inner4 2)" <<<"$got")"
	check "the echoes are bad_source" \
		test "$(group_stat "${HOST[2]}" 2 bad_source)" -ge $((bad + 3))
	check_eq "nothing delivered" "$rx" \
		"$(member_stat "${HOST[2]}" 2 0 rx_packets)"
	check "peer id back" mlsctl_in "${HOST[2]}" member set "$DP_DEV" \
		group 2 leaf 0 peer-id "$(peer_of 1)"
	check_eq "group-get reports the peer id" "$(peer_of 1)" \
		"$(json_of 2 'import json, sys
g = [g for g in json.load(sys.stdin)[0]["groups"] if g["group_id"] == 2][0]
print(g["members"][0]["peer_id"])')"
}

test_multicast_flag()
{
	local tx1 tx2 flags

	flags=$(json_of 1 'import json, sys
print(" ".join("%d:%s" % (g["group_id"], g["multicast"])
               for g in json.load(sys.stdin)[0]["groups"]))')
	check_eq "multicast flags as set" "1:False 2:True" "$flags"
	tx1=$(group_stat "${HOST[1]}" 1 tx_packets) || return 1
	tx2=$(group_stat "${HOST[1]}" 2 tx_packets) || return 1
	mcast_ping >/dev/null
	check "group 2 sent the echoes" \
		test "$(group_stat "${HOST[1]}" 2 tx_packets)" -ge $((tx2 + 3))
	check_eq "group 1 (no multicast flag) sent nothing" "$tx1" \
		"$(group_stat "${HOST[1]}" 1 tx_packets)"
}

# relay_count NS ADDR PORT SECONDS FILE: count datagrams of
# RELAY_PROBE_LEN bytes arriving at ADDR:PORT for SECONDS, in the
# background; "ready" and then the count go to FILE.
relay_count()
{
	in_ns "$1" "$PY" -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
print("ready", flush=True)
end, n = time.time() + float(sys.argv[3]), 0
while time.time() < end:
    s.settimeout(max(end - time.time(), 0.01))
    try:
        n += len(s.recv(65536)) == int(sys.argv[4])
    except socket.timeout:
        pass
print(n, flush=True)' "$2" "$3" "$4" "$RELAY_PROBE_LEN" >"$5" &
	wait_until 30 grep -q ready "$5"
}

# Group 4 on host 1 only: members 5 and 6 without endpoint, behind the
# relay on host 3.
relay_group_up()
{
	local key

	key=$(hexrand 16)
	mlsctl_in "${HOST[1]}" group add "$DP_DEV" id 4 aead aes-128-gcm \
		leaf 0 flags multicast \
		relay "$(underlay_addr 3):$RELAY_PORT" || return 1
	mlsctl_in "${HOST[1]}" member set "$DP_DEV" group 4 leaf 5 &&
	mlsctl_in "${HOST[1]}" member set "$DP_DEV" group 4 leaf 6 || return 1
	printf 'tx %s %s\nrx 5 %s %s\nrx 6 %s %s\n' "$key" "$(hexrand 12)" \
		"$(hexrand 16)" "$(hexrand 12)" "$(hexrand 16)" "$(hexrand 12)" |
		mlsctl_in "${HOST[1]}" epoch add "$DP_DEV" group 4 epoch 1 \
			tag "$(hexrand 8)" keys -
}

test_relay()
{
	local out=$LIB_TMP/relay.count tx5 tx6

	check "group 4 behind the relay" relay_group_up
	check_eq "group-get reports the relay" \
		"$(underlay_addr 3):$RELAY_PORT" "$(json_of 1 'import json, sys
print([g for g in json.load(sys.stdin)[0]["groups"] if g["group_id"] == 4][0]["relay"])')"
	tx5=$(member_stat "${HOST[1]}" 4 5 tx_packets) || return 1
	tx6=$(member_stat "${HOST[1]}" 4 6 tx_packets) || return 1
	check "relay listens" relay_count "${HOST[3]}" "$(underlay_addr 3)" \
		"$RELAY_PORT" 4 "$out"
	in_ns "${HOST[1]}" ping -c 1 -W 1 -s 200 -I "$(inner4 1)" 224.0.0.1 \
		>/dev/null 2>&1
	wait
	check_eq "datagrams at the relay for two members" 1 "$(tail -n1 "$out")"
	check_eq "member 5 reached" $((tx5 + 1)) \
		"$(member_stat "${HOST[1]}" 4 5 tx_packets)"
	check_eq "member 6 reached" $((tx6 + 1)) \
		"$(member_stat "${HOST[1]}" 4 6 tx_packets)"

	check "group set without relay" mlsctl_in "${HOST[1]}" group set \
		"$DP_DEV" id 4
	check_eq "relay gone" None "$(json_of 1 'import json, sys
print([g for g in json.load(sys.stdin)[0]["groups"] if g["group_id"] == 4][0]["relay"])')"
	tx5=$(member_stat "${HOST[1]}" 4 5 no_route) || return 1
	in_ns "${HOST[1]}" ping -c 1 -W 1 -s 200 -I "$(inner4 1)" 224.0.0.1 \
		>/dev/null 2>&1
	check "without a relay member 5 is unreachable" \
		test "$(member_stat "${HOST[1]}" 4 5 no_route)" -gt "$tx5"
	check "group 4 goes" mlsctl_in "${HOST[1]}" group del "$DP_DEV" id 4
}

# udp_burst NS FIRST LAST COUNT: COUNT rounds of one datagram to each of
# 10.77.0.FIRST..LAST; prints how long it took (seconds).
udp_burst()
{
	in_ns "$1" "$PY" -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t = time.time()
for _ in range(int(sys.argv[3])):
    for i in range(int(sys.argv[1]), int(sys.argv[2]) + 1):
        s.sendto(b"x", ("10.77.0.%d" % i, 9))
print("%.3f" % (time.time() - t))' "$2" "$3" "$4"
}

# under SECONDS LIMIT: a time as python prints it is below LIMIT.
under()
{
	awk -v t="$1" -v l="$2" 'BEGIN { exit !(t < l) }'
}

test_no_route()
{
	local mon=$LIB_TMP/monitor.out nr took1 took2 n pid

	nr=$(dev_stat "${HOST[1]}" no_route) || return 1
	# Stopped once the traffic is done: python starts slowly under TCG.
	in_ns_bg "${HOST[1]}" timeout 120 "$MLSCTL" monitor count 1000 \
		>"$mon" 2>&1
	pid=$!
	check "monitor" wait_until 30 grep -q '^mlsctl: monitoring' "$mon"
	# 20 datagrams to one address without member; a second later (a
	# new window of the device-wide cap), one to each of 30 addresses.
	took1=$(udp_burst "${HOST[1]}" 9 9 20) || return 1
	sleep 1.2
	took2=$(udp_burst "${HOST[1]}" 100 129 1) || return 1
	# Events are sent in the transmit path: all are queued by now.
	wait_until 10 grep -q 10.77.0.119 "$mon"
	sleep 1
	kill "$pid"
	wait "$pid"
	cat "$mon"
	n=$(grep -c '^no-route dev mlsdco0 dest 10.77.0.9/32$' "$mon")
	if under "$took1" 0.9; then
		check_eq "20 packets to 10.77.0.9 in ${took1}s: one event" 1 "$n"
	else
		check "20 packets to 10.77.0.9 in ${took1}s: one event a second (got $n)" \
			test "$n" -ge 1 -a "$n" -le "$(awk -v t="$took1" 'BEGIN { print int(t) + 2 }')"
	fi
	n=$(grep -cE '^no-route dev mlsdco0 dest 10\.77\.0\.1[0-2][0-9]/32$' "$mon")
	if under "$took2" 0.9; then
		check_eq "30 destinations in ${took2}s: the device-wide cap" 20 "$n"
	else
		check "30 destinations in ${took2}s: at most 20 a second (got $n)" \
			test "$n" -ge 20 -a "$n" -le 30
	fi
	check "every packet counted as no_route" \
		test "$(dev_stat "${HOST[1]}" no_route)" -ge $((nr + 50))
}

test_keepalive()
{
	local tx rx ka

	rx=$(member_stat "${HOST[2]}" 1 0 rx_packets) || return 1
	ka=$(member_stat "${HOST[2]}" 1 0 rx_keepalives) || return 1
	check "keepalive 1" mlsctl_in "${HOST[1]}" member set "$DP_DEV" \
		group 1 leaf 1 keepalive 1
	check "host 2 counts keepalives" wait_stat_member "${HOST[2]}" 1 0 \
		rx_keepalives $((ka + 3))
	check_eq "keepalives are not delivered" "$rx" \
		"$(member_stat "${HOST[2]}" 1 0 rx_packets)"
	check "host 1 counts them as sent" \
		test "$(member_stat "${HOST[1]}" 1 1 tx_keepalives)" -ge 3
	check "keepalive 0" mlsctl_in "${HOST[1]}" member set "$DP_DEV" \
		group 1 leaf 1 keepalive 0
	sleep 1
	tx=$(member_stat "${HOST[1]}" 1 1 tx_keepalives) || return 1
	sleep 3
	check_eq "keepalive 0 sends none" "$tx" \
		"$(member_stat "${HOST[1]}" 1 1 tx_keepalives)"
}

# wait_stat_member NS GROUP LEAF FIELD VALUE
wait_stat_member()
{
	wait_until 30 member_at_least "$@"
}

member_at_least()
{
	local v

	v=$(member_stat "$1" "$2" "$3" "$4") || return 1
	[ "$v" -ge "$5" ]
}

endpoint_on_1()
{
	json_of 1 'import json, sys
g = [g for g in json.load(sys.stdin)[0]["groups"] if g["group_id"] == 1][0]
print(g["members"][0]["endpoint"])'
}

test_roaming()
{
	local ul2

	ul2=$(underlay_addr 2)
	# Host 1 thinks host 2 is on a port nobody listens on.
	check "wrong port, roaming on" mlsctl_in "${HOST[1]}" member set \
		"$DP_DEV" group 1 leaf 1 endpoint "$ul2:52999" roaming on
	check "host 2 pings: the replies follow its packets" \
		ping_ok "${HOST[2]}" "$(inner4 1)"
	check_eq "endpoint learnt" "$ul2:$(port_of_host 2)" "$(endpoint_on_1)"
	check "host 2 moves to port 51900" mlsctl_in "${HOST[2]}" dev set \
		"$DP_DEV" port 51900
	check "ping from the new port" ping_ok "${HOST[2]}" "$(inner4 1)"
	check_eq "endpoint follows" "$ul2:51900" "$(endpoint_on_1)"

	check "roaming off at the old port" mlsctl_in "${HOST[1]}" member set \
		"$DP_DEV" group 1 leaf 1 endpoint "$ul2:$(port_of_host 2)" \
		roaming off
	check_fails "replies go to the fixed, stale port" \
		in_ns "${HOST[2]}" ping -c 2 -i 0.3 -W 2 "$(inner4 1)"
	check_eq "endpoint stays" "$ul2:$(port_of_host 2)" "$(endpoint_on_1)"
	check "host 2 back" mlsctl_in "${HOST[2]}" dev set "$DP_DEV" \
		port "$(port_of_host 2)"
}

# link_stat NS DIR FIELD: the interface's stats64 (ip -s -s link).
link_stat()
{
	ip -n "$1" -j -s -s link show "$DP_DEV" | "$PY" -c 'import json, sys
print(json.load(sys.stdin)[0]["stats64"][sys.argv[1]][sys.argv[2]])' "$2" "$3"
}

# counter_sum NS FIELD: FIELD over the device and all its groups.
counter_sum()
{
	json_of "$1" 'import json, sys
d = json.load(sys.stdin)[0]
print(d["stats"][sys.argv[1]] +
      sum(g["stats"][sys.argv[1]] for g in d["groups"]))' "$2"
}

test_error_counters()
{
	local bad frame nr carrier

	# Host 2 dropped multicast as bad_source (peer_id_source_check).
	bad=$(counter_sum 2 bad_source) || return 1
	frame=$(link_stat "${HOST[2]}" rx frame_errors) || return 1
	check "bad_source happened" test "$bad" -ge 3
	check_eq "rx frame_errors are the bad_source drops" "$bad" "$frame"
	check_eq "rx crc_errors are the decrypt failures" \
		"$(counter_sum 2 decrypt_failures)" \
		"$(link_stat "${HOST[2]}" rx crc_errors)"
	check "rx errors include them" \
		test "$(link_stat "${HOST[2]}" rx errors)" -ge "$frame"
	# Host 1 had no route (no_route_event, and group 4, deleted since).
	nr=$(counter_sum 1 no_route) || return 1
	carrier=$(link_stat "${HOST[1]}" tx carrier_errors) || return 1
	check "tx carrier_errors count every no_route ($carrier >= $nr)" \
		test "$carrier" -ge "$nr" -a "$nr" -ge 50
	check "tx errors include them" \
		test "$(link_stat "${HOST[1]}" tx errors)" -ge "$carrier"
}

ktap_begin 8
fixture >"$LIB_TMP/fixture.log" 2>&1 || { cat "$LIB_TMP/fixture.log"; log "fixture failed"; }
run_case peer_id_source_check test_peer_id
run_case multicast_flag test_multicast_flag
run_case relay_one_copy test_relay
run_case no_route_event test_no_route
run_case keepalive test_keepalive
run_case roaming test_roaming
run_case error_counters_in_stats64 test_error_counters
run_case module_unload mlsdco_unload
ktap_finish
