#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Bigger traffic through a 2-member group: 3000-byte pings (inner packets
# fragmented to the 1420 MTU) over both underlays, iperf3 TCP for 3 s, and
# what mlsctl show reports afterwards (counters move, keys never appear).

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane

pair_up()
{
	topo_up "$1" 2 || return 1
	group_up 1 "$2" 1 2 || return 1
	epoch_up 1 1 1 2
}

test_big_ping()
{
	local family=$1

	check "topology, group and epoch" pair_up "$family" aes-128-gcm
	check "3000-byte IPv4 pings" ping_ok "${HOST[1]}" "$(inner4 2)" -s 3000
	check "3000-byte IPv6 pings" ping_ok "${HOST[1]}" "$(inner6 2)" -s 3000
}

test_iperf_tcp()
{
	local out srv

	command -v iperf3 >/dev/null || skip_case "iperf3 not installed"
	check "topology, group and epoch" pair_up 4 aes-128-gcm
	check "iperf3 server" iperf3_server "${HOST[2]}" "$(inner4 2)"
	srv=$IPERF3_SERVER_PID
	out=$(in_ns "${HOST[1]}" iperf3 -c "$(inner4 2)" -t 3 -J 2>&1)
	wait "$srv"
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
bps = d["end"]["sum_received"]["bits_per_second"]
print("# TCP %.1f Mbit/s" % (bps / 1e6))
sys.exit(0 if bps > 0 else 1)' "$out" || {
		echo "$out" | tail -n 20
		echo "FAIL: iperf3 TCP through the tunnel"
		return 1
	}
}

test_show()
{
	local out key

	check "topology, group and epoch" pair_up 6 chacha20-poly1305
	check "ping" ping_ok "${HOST[1]}" "$(inner4 2)"
	out=$(mlsctl_in "${HOST[1]}" show) || return 1
	echo "$out"
	check "text names the group" grep -q '^group: 1$' <<<"$out"
	check "text names the AEAD" grep -q 'aead: chacha20-poly1305' <<<"$out"
	check "text shows the member endpoint" \
		grep -qF "endpoint: $(endpoint_of 2)" <<<"$out"
	check "text shows the current epoch" \
		grep -q 'epoch 1: current' <<<"$out"
	check_eq "tx packets to leaf 1 counted" 1 \
		"$(( $(member_stat "${HOST[1]}" 1 1 tx_packets) >= 3 ))"
	check_eq "rx packets from leaf 0 counted on host 2" 1 \
		"$(( $(member_stat "${HOST[2]}" 1 0 rx_packets) >= 3 ))"
	out="$out $(show_json "${HOST[1]}") $(show_json "${HOST[2]}")"
	for key in $(cut -d' ' -f1,2 "$DP_KEYS"/g1-e1/leaf*) \
		   $(cat "$DP_KEYS/g1-e1/tag"); do
		check_fails "show leaks key material" grep -qi "$key" <<<"$out"
	done
}

ktap_begin 5
run_case ping_3000_v4_underlay test_big_ping 4
run_case ping_3000_v6_underlay test_big_ping 6
run_case iperf3_tcp_3s test_iperf_tcp
run_case show_counters_no_keys test_show
run_case module_unload mlsdco_unload
ktap_finish
