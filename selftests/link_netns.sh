#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The mlsdco link kind: a layer-3 point-to-point device, created, seen and
# deleted per network namespace.

. "$(dirname "$(readlink -f "$0")")/lib.sh"

require_root
require_module
require_cmd ip

# Expected from the design: IPv6 + UDP + mlsdco header + AEAD tag under a
# 1500-byte underlay, so 1500 - (40 + 8 + 16 + 16).
EXPECTED_MTU=1420

link_json()
{
	ip -n "$1" -d -j link show dev "$2"
}

# json_field JSON EXPR: python3 when it exists; EXPR is a Python expression
# over `d`, the parsed document.
json_field()
{
	python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}

no_carrier()
{
	grep -q NO-CARRIER <<<"$(ip -n "$1" link show dev "$2")"
}

no_veth_in()
{
	[ -z "$(ip -n "$1" -o link show type veth)" ]
}

count_mlsdco_links()
{
	ip -n "$1" -o link show type mlsdco | wc -l
}

test_link_attributes()
{
	local ns out

	ns=$(ns_create) || return 1
	check "load" mlsdco_load
	check "ip link add mlsdco0 type mlsdco" \
		ip -n "$ns" link add mlsdco0 type mlsdco
	out=$(ip -n "$ns" -d link show dev mlsdco0)
	echo "$out"
	check "ip -d link shows kind mlsdco" grep -qw mlsdco <<<"$out"
	check "POINTOPOINT flag" grep -q '<[^>]*POINTOPOINT' <<<"$out"
	check "NOARP flag" grep -q '<[^>]*NOARP' <<<"$out"
	check_fails "no BROADCAST flag" grep -q '<[^>]*BROADCAST' <<<"$out"
	check "no link-layer address (link/none)" grep -q 'link/none' <<<"$out"
	check "mtu $EXPECTED_MTU" grep -q "mtu $EXPECTED_MTU " <<<"$out"
	check_fails "created down" grep -q '<[^>]*[,<]UP[,>]' <<<"$out"
	if command -v python3 >/dev/null; then
		out=$(link_json "$ns" mlsdco0)
		check_eq "JSON info_kind" mlsdco \
			"$(json_field "$out" 'd[0]["linkinfo"]["info_kind"]')"
		check_eq "JSON mtu" "$EXPECTED_MTU" \
			"$(json_field "$out" 'd[0]["mtu"]')"
	fi
}

test_link_up_with_address()
{
	local ns

	ns=$(ns_create) || return 1
	check "load" mlsdco_load
	check "add" ip -n "$ns" link add mlsdco0 type mlsdco
	check "peer address" \
		ip -n "$ns" addr add 10.77.0.1 peer 10.77.0.2 dev mlsdco0
	check "IPv6 address" ip -n "$ns" addr add fd00:77::1/64 dev mlsdco0
	check "set up" ip -n "$ns" link set mlsdco0 up
	check "route via the device" \
		grep -q 'dev mlsdco0' <<<"$(ip -n "$ns" route get 10.77.0.2)"
	check "mtu change to 1280" ip -n "$ns" link set mlsdco0 mtu 1280
	check_eq "mtu after change" 1280 \
		"$(ip -n "$ns" -o link show dev mlsdco0 |
		   sed -n 's/.* mtu \([0-9]*\) .*/\1/p')"
	check_fails "mtu above the maximum" \
		ip -n "$ns" link set mlsdco0 mtu 70000 2>/dev/null
	check "set down" ip -n "$ns" link set mlsdco0 down
}

test_link_del()
{
	local ns

	ns=$(ns_create) || return 1
	check "load" mlsdco_load
	check "add" ip -n "$ns" link add mlsdco0 type mlsdco
	check "add a second" ip -n "$ns" link add mlsdco1 type mlsdco
	check_eq "two links" 2 "$(count_mlsdco_links "$ns")"
	check "del mlsdco0" ip -n "$ns" link del mlsdco0
	check_fails "mlsdco0 gone" ip -n "$ns" link show dev mlsdco0 2>/dev/null
	check_eq "one left" 1 "$(count_mlsdco_links "$ns")"
	check_fails "duplicate name" \
		ip -n "$ns" link add mlsdco1 type mlsdco 2>/dev/null
	check "del mlsdco1" ip -n "$ns" link del mlsdco1
	check_eq "none left" 0 "$(count_mlsdco_links "$ns")"
}

# The same name in several namespaces, each seeing only its own.
test_several_namespaces()
{
	local nss=() ns i

	check "load" mlsdco_load
	for i in 1 2 3 4; do
		ns=$(ns_create) || return 1
		nss+=("$ns")
		check "add in $ns" ip -n "$ns" link add mlsdco0 type mlsdco
		check "extra link in $ns" ip -n "$ns" link add "mlsdco$i" type mlsdco
	done
	for ns in "${nss[@]}"; do
		check_eq "links in $ns" 2 "$(count_mlsdco_links "$ns")"
	done
	check "del in ${nss[0]}" ip -n "${nss[0]}" link del mlsdco0
	check_eq "${nss[1]} unaffected" 2 "$(count_mlsdco_links "${nss[1]}")"
	check_eq "init namespace sees none" 0 \
		"$(ip -o link show type mlsdco | wc -l)"
}

# Deleting a namespace deletes its links: they do not escape to the init
# namespace (what the core does with devices it cannot delete), nothing
# keeps the namespace alive, and the module still unloads afterwards.
#
# The namespaces die asynchronously, so the negative check first waits for
# their teardown: each holds one end of a veth pair whose other end is in
# a witness namespace. The core moves what it cannot delete to the init
# namespace (default_device_exit_net) before it deletes link devices such
# as veth (default_device_exit_batch): once the witness's ends are gone,
# an escaped mlsdco link would be there to see.
test_netns_delete()
{
	local ns i witness

	check "load" mlsdco_load
	witness=$(ns_create) || return 1
	for i in 1 2 3; do
		ns=$(ns_create) || return 1
		check "add in $ns" ip -n "$ns" link add mlsdco0 type mlsdco
		check "up in $ns" ip -n "$ns" link set mlsdco0 up
		check "address in $ns" \
			ip -n "$ns" addr add 10.77.0.1/24 dev mlsdco0
		check "witness veth for $ns" ip -n "$ns" link add "w$i" \
			type veth peer name "w$i" netns "$witness"
		check "delete $ns" ip netns del "$ns"
	done
	check "the deleted namespaces are torn down" \
		wait_until 60 no_veth_in "$witness"
	check_eq "no mlsdco link escaped to the init namespace" 0 \
		"$(ip -o link show type mlsdco | wc -l)"
	check "rmmod after namespace deletion" \
		wait_until 60 rmmod mlsdco
}

# A device moved to another namespace belongs there: deleting the namespace
# it was created in leaves it (without carrier), deleting its current one
# removes it.
test_moved_device()
{
	local a b

	a=$(ns_create) && b=$(ns_create) || return 1
	check "load" mlsdco_load
	check "add in $a" ip -n "$a" link add mlsdco0 type mlsdco
	check "move to $b" ip -n "$a" link set mlsdco0 netns "$b"
	check_fails "gone from $a" ip -n "$a" link show dev mlsdco0 2>/dev/null
	check "present in $b" ip -n "$b" link show dev mlsdco0 >/dev/null
	check "up in $b" ip -n "$b" link set mlsdco0 up
	check_fails "carrier while its socket namespace lives" \
		no_carrier "$b" mlsdco0
	check "delete $a" ip netns del "$a"
	# The namespace dies asynchronously, from a workqueue.
	check "no carrier without its socket namespace" \
		wait_until 60 no_carrier "$b" mlsdco0
	check "still present in $b" ip -n "$b" link show dev mlsdco0 >/dev/null
	check "delete in $b" ip -n "$b" link del mlsdco0
}

ktap_begin 6
run_case link_attributes test_link_attributes
run_case link_up_with_address test_link_up_with_address
run_case link_del test_link_del
run_case several_namespaces test_several_namespaces
run_case netns_delete_deletes_links test_netns_delete
run_case moved_device test_moved_device
ktap_finish
