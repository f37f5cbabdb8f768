#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A prefix belongs to one member of the whole device, whatever its group
# (docs/NETLINK.md, "Allowed IPs"): host 1 is in group 1 with host 2 and
# in group 2 with host 3. A member-set in group 2 naming group 1's prefix
# moves it there (traffic follows, group 1's list no longer shows it);
# deleting group 2 removes it without handing it back to group 1.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane

PREFIX=10.99.0.0/24
PROBE=10.99.0.7

two_groups_up()
{
	topo_up 4 3 || return 1
	group_up 1 aes-128-gcm 1 2 || return 1
	group_up 2 aes-128-gcm 1 3 || return 1
	epoch_up 1 1 1 2 || return 1
	epoch_up 2 1 1 3 || return 1
	ip -n "${HOST[1]}" route add "$PREFIX" dev "$DP_DEV"
}

# allowed_of NS GROUP LEAF: the member's allowed IPs, space-separated.
allowed_of()
{
	show_json "$1" | python3 -c 'import json, sys
d = json.load(sys.stdin)
g = [g for dev in d for g in dev["groups"] if g["group_id"] == int(sys.argv[1])][0]
m = [m for m in g["members"] if m["leaf"] == int(sys.argv[2])][0]
print(" ".join(m["allowed_ips"]))' "$2" "$3"
}

probe()
{
	in_ns "${HOST[1]}" python3 -c 'import socket, sys
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.sendto(b"probe", (sys.argv[1], 9))' "$PROBE"
}

# sent_to GROUP LEAF: that member's tx_packets on host 1.
sent_to()
{
	member_stat "${HOST[1]}" "$1" "$2" tx_packets
}

# probe_goes_to 1|2: one probe moves exactly that group's member counter
# (of the two members host 1 has).
probe_goes_to()
{
	local a1 a2 b1 b2

	a1=$(sent_to 1 "$(leaf_of 2)") && a2=$(sent_to 2 "$(leaf_of 3)") ||
		return 1
	probe || return 1
	b1=$(sent_to 1 "$(leaf_of 2)") && b2=$(sent_to 2 "$(leaf_of 3)") ||
		return 1
	case $1 in
	1) check_eq "group 1's member got it" "$((a1 + 1)) $a2" "$b1 $b2" ;;
	2) check_eq "group 2's member got it" "$a1 $((a2 + 1))" "$b1 $b2" ;;
	esac
}

# probe_dropped: with group 2 gone, the probe leaves through nobody and
# is counted as the device's no-route.
probe_dropped()
{
	local a1 nr b1

	a1=$(sent_to 1 "$(leaf_of 2)") && nr=$(dev_stat "${HOST[1]}" no_route) ||
		return 1
	probe || return 1
	b1=$(sent_to 1 "$(leaf_of 2)") || return 1
	check_eq "group 1's member did not get it" "$a1" "$b1"
	check_eq "the probe counts as no-route" "$((nr + 1))" \
		"$(dev_stat "${HOST[1]}" no_route)"
}

test_prefix_moves_across_groups()
{
	local l2 l3

	l2=$(leaf_of 2)
	l3=$(leaf_of 3)
	check "two groups on host 1" two_groups_up
	check "give $PREFIX to host 2 in group 1" \
		mlsctl_in "${HOST[1]}" member set "$DP_DEV" group 1 leaf "$l2" \
		allowed-ips "$(inner4 2)/32,$PREFIX"
	check "traffic to it goes to group 1" probe_goes_to 1
	check "host 3 in group 2 claims it" \
		mlsctl_in "${HOST[1]}" member set "$DP_DEV" group 2 leaf "$l3" \
		allowed-ips "$(inner4 3)/32,$PREFIX"
	check "traffic to it goes to group 2" probe_goes_to 2
	check_eq "group 1's member no longer lists it" "$(inner4 2)/32" \
		"$(allowed_of "${HOST[1]}" 1 "$l2")"
	check_eq "group 2's member lists it" "$(inner4 3)/32 $PREFIX" \
		"$(allowed_of "${HOST[1]}" 2 "$l3")"
	check "delete group 2" \
		mlsctl_in "${HOST[1]}" group del "$DP_DEV" id 2
	check "the prefix is not handed back to group 1" probe_dropped
	check "group 1 still carries its own traffic" \
		ping_ok "${HOST[1]}" "$(inner4 2)"
}

ktap_begin 1
run_case prefix_moves_across_groups test_prefix_moves_across_groups
ktap_finish
