#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A 3-member group: one multicast ping (IPv4 224.0.0.1, IPv6 ff02::1)
# from one member reaches both others, who answer it, over an IPv4 and an
# IPv6 underlay.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane

trio_up()
{
	local i

	topo_up "$1" 3 || return 1
	group_up 1 aes-256-gcm 1 2 3 || return 1
	epoch_up 1 1 1 2 3 || return 1
	for i in 1 2 3; do
		in_ns "${HOST[$i]}" sysctl -qw \
			net.ipv4.icmp_echo_ignore_broadcasts=0 || return 1
		ip -n "${HOST[$i]}" route add 224.0.0.0/4 dev "$DP_DEV" ||
			return 1
	done
}

# repliers NS SELF TARGET: sorted unique addresses other than SELF (which
# answers its own multicast over loopback) that answered a ping sent from
# SELF. The source is pinned: for ff02::1 the kernel would pick the
# link-local address, which no member's allowed IPs route back to. Three
# echoes, and ping waits up to 10 s for the answers (it stops at the
# first three, which may all be one member's: see repliers_all).
repliers()
{
	in_ns "$1" ping -c 3 -i 0.3 -w 10 -I "$2" "$3" 2>/dev/null |
		sed -n 's/^[0-9]* bytes from \([^ %:]*\(:[0-9a-f:]*\)\{0,1\}\)[%:].*/\1/p' |
		grep -vx "$2" | sort -u | tr '\n' ' '
}

# repliers_all NS SELF TARGET EXPECTED: repliers, gathered over up to ten
# tries until they are EXPECTED (a loaded host can answer one member's
# echoes too late for one ping run); prints what was gathered.
repliers_all()
{
	local got="" _

	for _ in $(seq 1 10); do
		got=$( (tr ' ' '\n' <<<"$got"; repliers "$1" "$2" "$3" | tr ' ' '\n') |
			grep . | sort -u | tr '\n' ' ')
		[ "$got" = "$4" ] && break
	done
	echo "$got"
}

# mcast_rx NS: packets host NS decrypted from leaf 0 (host 1).
mcast_rx()
{
	member_stat "$1" 1 0 rx_packets
}

test_mcast()
{
	local family=$1 got rx2 rx3 want

	check "topology, group and epoch" trio_up "$family"
	check "unicast works first" ping_ok "${HOST[1]}" "$(inner4 3)"

	# Counted from here: the unicast pings above reached host 3 already.
	rx2=$(mcast_rx "${HOST[2]}") && rx3=$(mcast_rx "${HOST[3]}") || return 1
	want="$(inner4 2) $(inner4 3) "
	got=$(repliers_all "${HOST[1]}" "$(inner4 1)" 224.0.0.1 "$want")
	check_eq "IPv4 multicast ping answered by hosts 2 and 3" "$want" "$got"
	# Every echo went to both: each decrypted at least the three of a run.
	check "host 2 decrypted the multicast echoes" \
		test "$(mcast_rx "${HOST[2]}")" -ge $((rx2 + 3))
	check "host 3 decrypted the multicast echoes" \
		test "$(mcast_rx "${HOST[3]}")" -ge $((rx3 + 3))

	want="$(inner6 1) $(inner6 3) "
	got=$(repliers_all "${HOST[2]}" "$(inner6 2)" "ff02::1%$DP_DEV" "$want")
	check_eq "IPv6 multicast ping answered by hosts 1 and 3" "$want" "$got"
}

ktap_begin 3
run_case mcast_v4_underlay test_mcast 4
run_case mcast_v6_underlay test_mcast 6
run_case module_unload mlsdco_unload
ktap_finish
