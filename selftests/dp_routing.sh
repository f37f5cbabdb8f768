#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Longest-prefix routing over many members: host 1 has one group with
# ROUTING_FAKE members whose allowed IPs nest (/8 > /16 > /24 > /32 and
# the IPv6 analogues) and whose endpoints lead nowhere, plus host 2 as
# a real member. A probe to an address must be sent to (counted on) the
# member with the longest matching prefix and no other; a prefix given
# to another member moves; deleting a member lets the next shorter
# prefix take over its addresses; the receive source check uses the same
# table.
#
# Setting up ~200 members costs minutes under TCG, so the cases share one
# topology: the first builds it, the later ones change it in turn.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane

# Real member plus fakes stays at or below 200 members.
ROUTING_FAKE=${ROUTING_FAKE:-198}
NOWHERE=192.0.2.250:9		# on the underlay, but no host has it
ROUTING_STATE=$LIB_TMP/routing.state

# Fake member K (0-based) is leaf K + 2, with one IPv4 and one IPv6 prefix:
#   K = 0        10.0.0.0/8      fd10::/16
#   K = 1..9     10.a.0.0/16     fd10:a::/32        a = K
#   K = 10..99   10.a.b.0/24     fd10:a:b::/48      every (a, b) in 1..9 x 1..10
#   K = 100..    10.a.b.c/32     fd10:a:b::c/128    c = 10, 11 inside those /24s
# and a probe address for which it is the longest match.
fake_leaf() { echo $(($1 + 2)); }

fake_prefixes()
{
	local k=$1 i a b c

	if ((k == 0)); then
		echo "10.0.0.0/8 fd10::/16"
	elif ((k < 10)); then
		echo "10.$k.0.0/16 fd10:$k::/32"
	elif ((k < 100)); then
		i=$((k - 10)); a=$((i % 9 + 1)); b=$((i / 9 + 1))
		echo "10.$a.$b.0/24 fd10:$a:$b::/48"
	else
		i=$((k - 100)); a=$((i % 9 + 1)); b=$((i / 9 % 10 + 1))
		c=$((i / 90 + 10))
		echo "10.$a.$b.$c/32 fd10:$a:$b::$c/128"
	fi
}

# fake_probes K: "ADDR4 ADDR6" that member K matches most specifically.
fake_probes()
{
	local k=$1 p4 p6 net

	read -r p4 p6 <<<"$(fake_prefixes "$k")"
	case ${p4#*/} in
	8) echo "10.200.1.1 fd10:ff00::1" ;;
	16) net=${p4%.0.0/16}; echo "$net.200.1 ${p6%::/32}:ff00::1" ;;
	24) net=${p4%.0/24}; echo "$net.7 ${p6%::/48}:ff00::1" ;;
	*) echo "${p4%/32} ${p6%/128}" ;;
	esac
}

routing_up()
{
	local k

	topo_up 4 2 || return 1
	# Host 2 also owns addresses nested deep inside the fakes' prefixes
	# (added before any key, so their MLD reports go nowhere).
	ip -n "${HOST[2]}" addr add 10.5.5.5/32 dev "$DP_DEV" &&
	ip -n "${HOST[2]}" addr add 10.5.5.6/32 dev "$DP_DEV" &&
	ip -n "${HOST[2]}" addr add fd10:5:5::5/128 dev "$DP_DEV" nodad ||
		return 1
	group_up 1 chacha20-poly1305 1 2 || return 1
	epoch_up 1 1 1 2 || return 1
	mlsctl_in "${HOST[1]}" member set "$DP_DEV" group 1 leaf 1 \
		allowed-ips "$(inner4 2)/32,$(inner6 2)/128,10.5.5.5/32,fd10:5:5::5/128" ||
		return 1
	ip -n "${HOST[1]}" route add 10.0.0.0/8 dev "$DP_DEV" &&
	ip -n "${HOST[1]}" -6 route add fd10::/16 dev "$DP_DEV" || return 1
	# One shell in the namespace for all of them: a process less each.
	for ((k = 0; k < ROUTING_FAKE; k++)); do
		echo "$(fake_leaf "$k") $(fake_prefixes "$k" | tr ' ' ',')"
	done | in_ns "${HOST[1]}" bash -c 'while read -r leaf ips; do
		"$0" member set "$1" group 1 leaf "$leaf" endpoint "$2" \
			allowed-ips "$ips" || exit 1
	done' "$MLSCTL" "$DP_DEV" "$NOWHERE" || return 1
	declare -p HOST DP_KEYS TOPO_FAMILY TOPO_N |
		sed 's/^declare /declare -g /' >"$ROUTING_STATE"
}

# The topology the first case built, in a later case.
routing_resume()
{
	[ -s "$ROUTING_STATE" ] || {
		echo "FAIL: no topology (the first case did not build it)"
		return 1
	}
	# shellcheck source=/dev/null
	. "$ROUTING_STATE"
}

# send_probes NS ADDR...: one UDP datagram to each address, from one
# process (a process per packet costs too much under TCG).
send_probes()
{
	local ns=$1
	shift

	in_ns "$ns" python3 -c 'import socket, sys
for a in sys.argv[1:]:
    fam = socket.AF_INET6 if ":" in a else socket.AF_INET
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.sendto(b"probe", (a, 9))' "$@"
}

# tx_by_leaf NS: "LEAF TX_PACKETS" per member of group 1.
tx_by_leaf()
{
	show_json "$1" | python3 -c 'import json, sys
d = json.load(sys.stdin)
g = [g for dev in d for g in dev["groups"] if g["group_id"] == 1][0]
for m in g["members"]:
    print(m["leaf"], m["stats"]["tx_packets"])'
}

# routed_to NS EXPECT ADDR...: send one probe to each ADDR; the members'
# TX counters must grow exactly as EXPECT says ("LEAF:COUNT ..."), every
# other member's must stay put.
routed_to()
{
	local ns=$1 expect=$2 before after
	shift 2

	before=$(tx_by_leaf "$ns") || return 1
	send_probes "$ns" "$@" || return 1
	after=$(tx_by_leaf "$ns") || return 1
	python3 -c 'import sys
def table(text):
    return {int(l.split()[0]): int(l.split()[1]) for l in text.splitlines()}
before, after = table(sys.argv[1]), table(sys.argv[2])
want = {int(e.split(":")[0]): int(e.split(":")[1]) for e in sys.argv[3].split()}
bad = [(leaf, after[leaf] - before.get(leaf, 0), want.get(leaf, 0))
       for leaf in after if after[leaf] - before.get(leaf, 0) != want.get(leaf, 0)]
bad += [(leaf, None, n) for leaf, n in want.items() if leaf not in after]
for leaf, got, n in bad:
    print("leaf %d: %s packets sent, expected %d" % (leaf, got, n))
sys.exit(1 if bad else 0)' "$before" "$after" "$expect"
}

# allowed_ips_of NS LEAF: the member's allowed IPs as mlsctl reports them.
allowed_ips_of()
{
	show_json "$1" | python3 -c 'import json, sys
d = json.load(sys.stdin)
g = [g for dev in d for g in dev["groups"] if g["group_id"] == 1][0]
m = [m for m in g["members"] if m["leaf"] == int(sys.argv[1])]
print(" ".join(m[0]["allowed_ips"]) if m else "no member")' "$2"
}

test_longest_prefix_wins()
{
	local k p4 p6 bad expect="" addrs=()

	check "topology and $ROUTING_FAKE members" routing_up
	check_eq "members on host 1" $((ROUTING_FAKE + 1)) \
		"$(tx_by_leaf "${HOST[1]}" | wc -l)"
	for ((k = 0; k < ROUTING_FAKE; k++)); do
		read -r p4 p6 <<<"$(fake_probes "$k")"
		addrs+=("$p4" "$p6")
		expect+=" $(fake_leaf "$k"):2"
	done
	check "every probe goes to its longest match only" \
		routed_to "${HOST[1]}" "$expect" "${addrs[@]}"
	# Host 2's /32 sits inside fakes' /24, /16 and /8; its replies come
	# from there and must pass the source check against the same table.
	check "IPv4 end to end inside nested prefixes" \
		ping_ok "${HOST[1]}" 10.5.5.5
	check "IPv6 end to end inside nested prefixes" \
		ping_ok "${HOST[1]}" fd10:5:5::5
	# 10.5.5.6 routes to a fake member on host 1, not to host 2. (IPv6
	# housekeeping from "::" may add bad sources of its own: count up.)
	bad=$(group_stat "${HOST[1]}" 1 bad_source) || return 1
	check_fails "a source routed to another member gets no answer" \
		in_ns "${HOST[2]}" ping -q -c 5 -i 0.2 -W 1 -I 10.5.5.6 \
		"$(inner4 1)"
	check "and its packets are dropped as bad sources" \
		wait_stat "${HOST[1]}" 1 bad_source $((bad + 5))
}

test_prefix_moves()
{
	local to from
	to=$(fake_leaf 100)	# 10.1.1.10/32
	from=$(fake_leaf 2)	# 10.2.0.0/16

	check "topology of the first case" routing_resume
	check "give leaf $to the /16 of leaf $from" \
		mlsctl_in "${HOST[1]}" member set "$DP_DEV" group 1 leaf "$to" \
		allowed-ips 10.1.1.10/32,fd10:1:1::10/128,10.2.0.0/16
	check "the moved prefix routes to its new member" \
		routed_to "${HOST[1]}" "$to:2 $from:1 $(fake_leaf 11):1" \
		10.2.200.1 10.1.1.10 fd10:2:ff00::1 10.2.1.7
	check_eq "the old member no longer lists it" "fd10:2::/32" \
		"$(allowed_ips_of "${HOST[1]}" "$from")"
	check_eq "the new member lists it" \
		"10.1.1.10/32 fd10:1:1::10/128 10.2.0.0/16" \
		"$(allowed_ips_of "${HOST[1]}" "$to")"
	check "set the /32 back without the /16" \
		mlsctl_in "${HOST[1]}" member set "$DP_DEV" group 1 leaf "$to" \
		allowed-ips 10.1.1.10/32,fd10:1:1::10/128
	# The /16 is gone, not given back: the /8 covers it now.
	check "a dropped prefix falls back to the shorter one" \
		routed_to "${HOST[1]}" "$(fake_leaf 0):1 $to:1" \
		10.2.200.1 10.1.1.10
}

test_member_del()
{
	local m32 m24 m16 m8 no_route

	m32=$(fake_leaf 100)	# 10.1.1.10/32 in 10.1.1.0/24
	m24=$(fake_leaf 10)	# 10.1.1.0/24
	m16=$(fake_leaf 1)	# 10.1.0.0/16
	m8=$(fake_leaf 0)
	check "topology of the first case" routing_resume
	check "delete the /32 member" \
		mlsctl_in "${HOST[1]}" member del "$DP_DEV" group 1 leaf "$m32"
	check "its addresses go to the /24 and /48, nothing else moved" \
		routed_to "${HOST[1]}" "$m24:3 $m16:1 $(fake_leaf 190):1" \
		10.1.1.10 fd10:1:1::10 10.1.1.7 10.1.200.1 \
		"$(fake_probes 190 | cut -d' ' -f1)"
	check "delete the /24 member" \
		mlsctl_in "${HOST[1]}" member del "$DP_DEV" group 1 leaf "$m24"
	check "then to the /16, whose sibling /24s stay" \
		routed_to "${HOST[1]}" "$m16:2 $(fake_leaf 19):1" \
		10.1.1.10 10.1.1.7 10.1.2.7
	check "delete the /16 member" \
		mlsctl_in "${HOST[1]}" member del "$DP_DEV" group 1 leaf "$m16"
	check "delete the /8 member" \
		mlsctl_in "${HOST[1]}" member del "$DP_DEV" group 1 leaf "$m8"
	no_route=$(dev_stat "${HOST[1]}" no_route)
	check "an address no prefix covers has no route" \
		routed_to "${HOST[1]}" "" 10.1.1.10 10.200.1.1
	check_eq "counted as no route on the device" $((no_route + 2)) \
		"$(dev_stat "${HOST[1]}" no_route)"
	check "host 2 is still reached inside the remaining prefixes" \
		ping_ok "${HOST[1]}" 10.5.5.5
}

ktap_begin 4
run_case longest_prefix_wins test_longest_prefix_wins
run_case prefix_moves test_prefix_moves
run_case member_del_exposes_shorter_prefix test_member_del
run_case module_unload mlsdco_unload
ktap_finish
