#!/bin/bash
# SPDX-License-Identifier: MIT
#
# rmmod while mlsdco devices exist, up and addressed, in several namespaces:
# the unload succeeds, takes every device with it, and leaves the
# namespaces and their other devices intact.

. "$(dirname "$(readlink -f "$0")")/lib.sh"

require_root
require_module
require_cmd ip rmmod

# busy_namespaces N: N namespaces, each with two configured mlsdco devices
# and a veth pair; prints their names.
busy_namespaces()
{
	local i ns

	for ((i = 1; i <= $1; i++)); do
		ns=$(ns_create) || return 1
		ip -n "$ns" link add mlsdco0 type mlsdco &&
		ip -n "$ns" link add "mlsdco-x$i" type mlsdco &&
		ip -n "$ns" addr add "10.66.$i.1" peer "10.66.$i.2" dev mlsdco0 &&
		ip -n "$ns" link set mlsdco0 up &&
		ip -n "$ns" link add veth0 type veth peer name veth1 &&
		ip -n "$ns" link set veth0 up || return 1
		echo "$ns"
	done
}

count_mlsdco_links()
{
	ip -n "$1" -o link show type mlsdco | wc -l
}

test_rmmod_with_links()
{
	local nss ns

	check "load" mlsdco_load
	nss=$(busy_namespaces 4) || { echo "FAIL: namespace setup"; return 1; }
	check "a device in the init namespace too" \
		ip link add mlsdco-init type mlsdco
	on_exit ip link del mlsdco-init
	for ns in $nss; do
		check_eq "links in $ns before rmmod" 2 "$(count_mlsdco_links "$ns")"
	done
	check "rmmod with devices present" rmmod mlsdco
	check_fails "module gone" module_loaded mlsdco
	for ns in $nss; do
		check "$ns survives" ns_exists "$ns"
		check_eq "no mlsdco device left in $ns" 0 "$(count_mlsdco_links "$ns")"
		check_fails "mlsdco0 gone from $ns" \
			ip -n "$ns" link show dev mlsdco0 2>/dev/null
		check "veth0 in $ns untouched" \
			grep -q 'UP' <<<"$(ip -n "$ns" link show dev veth0)"
		check_fails "route to the tunnel peer gone in $ns" \
			grep -q mlsdco0 <<<"$(ip -n "$ns" route show)"
	done
	check_fails "init namespace device gone" \
		ip link show dev mlsdco-init 2>/dev/null
}

# After unloading with devices, the module loads again into a clean state.
test_reload_after_busy_rmmod()
{
	local ns

	check "load" mlsdco_load
	ns=$(ns_create) || return 1
	check "add" ip -n "$ns" link add mlsdco0 type mlsdco
	check "rmmod with a device" rmmod mlsdco
	check "load again" mlsdco_load
	check_eq "no device came back" 0 "$(count_mlsdco_links "$ns")"
	check "same name usable again" ip -n "$ns" link add mlsdco0 type mlsdco
	check "rmmod again" rmmod mlsdco
}

ktap_begin 2
run_case rmmod_with_links_in_namespaces test_rmmod_with_links
run_case reload_after_busy_rmmod test_reload_after_busy_rmmod
ktap_finish
