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
# link-local address, which no member's allowed IPs route back to.
repliers()
{
	in_ns "$1" ping -c 3 -i 0.3 -w 4 -I "$2" "$3" 2>/dev/null |
		sed -n 's/^[0-9]* bytes from \([^ %:]*\(:[0-9a-f:]*\)\{0,1\}\)[%:].*/\1/p' |
		grep -vx "$2" | sort -u | tr '\n' ' '
}

test_mcast()
{
	local family=$1 got

	check "topology, group and epoch" trio_up "$family"
	check "unicast works first" ping_ok "${HOST[1]}" "$(inner4 3)"

	got=$(repliers "${HOST[1]}" "$(inner4 1)" 224.0.0.1)
	check_eq "IPv4 multicast ping answered by hosts 2 and 3" \
		"$(inner4 2) $(inner4 3) " "$got"
	check_eq "each receiver decrypted the multicast echo (host 2)" 1 \
		"$(( $(member_stat "${HOST[2]}" 1 0 rx_packets) >= 3 ))"
	check_eq "each receiver decrypted the multicast echo (host 3)" 1 \
		"$(( $(member_stat "${HOST[3]}" 1 0 rx_packets) >= 3 ))"

	got=$(repliers "${HOST[2]}" "$(inner6 2)" "ff02::1%$DP_DEV")
	check_eq "IPv6 multicast ping answered by hosts 1 and 3" \
		"$(inner6 1) $(inner6 3) " "$got"
}

ktap_begin 3
run_case mcast_v4_underlay test_mcast 4
run_case mcast_v6_underlay test_mcast 6
run_case module_unload mlsdco_unload
ktap_finish
