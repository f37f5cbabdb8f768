#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Unloading mlsdco.ko while devices carry keyed traffic: rmmod succeeds,
# every device is gone, the kernel logs no oops, warning or leak, and
# (where the kernel can tell) nothing the module allocated is left behind.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane

KMEMLEAK=/sys/kernel/debug/kmemleak

busy_trio()
{
	topo_up "$1" 3 || return 1
	group_up 1 chacha20-poly1305 1 2 3 || return 1
	group_up 2 aes-128-gcm 1 2 || return 1
	epoch_up 1 1 1 2 3 || return 1
	epoch_up 2 1 1 2 || return 1
	epoch_add 1 2 1 2 3 || return 1		# a "next" epoch too
	ping_ok "${HOST[1]}" "$(inner4 2)"
}

test_rmmod_under_traffic()
{
	local i pids=()

	check "topology, groups and epochs" busy_trio "$1"
	for i in 1 2 3; do
		in_ns "${HOST[$i]}" ping -f -w 20 "$(inner4 $((i % 3 + 1)))" \
			>/dev/null 2>&1 &
		pids+=($!)
	done
	in_ns "${HOST[2]}" ping -f -w 20 -s 3000 "$(inner6 1)" >/dev/null 2>&1 &
	pids+=($!)
	sleep 2
	check_eq "traffic is flowing" 1 \
		"$(( $(group_stat "${HOST[2]}" 1 rx_packets) > 10 ))"
	check "rmmod with devices and traffic" rmmod mlsdco
	kill "${pids[@]}" 2>/dev/null
	wait
	check_fails "module gone" module_loaded mlsdco
	for i in 1 2 3; do
		check_eq "no mlsdco device left on host $i" "" \
			"$(ip -n "${HOST[$i]}" -o link show type mlsdco)"
	done
	check_fails "no mlsdco slab cache left" grep -q '^mlsdco' /proc/slabinfo
}

test_reload_cycles_no_leak()
{
	local n

	[ -w "$KMEMLEAK" ] ||
		skip_case "leak check needs kmemleak (CONFIG_DEBUG_KMEMLEAK), which $(uname -r) lacks"
	echo clear >"$KMEMLEAK"
	for n in 1 2 3; do
		check "cycle $n: topology" busy_trio 4
		check "cycle $n: rmmod" rmmod mlsdco
	done
	echo scan >"$KMEMLEAK"
	sleep 5
	echo scan >"$KMEMLEAK"
	if grep -q mlsdco "$KMEMLEAK"; then
		head -n 60 "$KMEMLEAK"
		echo "FAIL: kmemleak reports objects allocated by mlsdco"
		return 1
	fi
}

ktap_begin 3
run_case rmmod_under_traffic_v4_underlay test_rmmod_under_traffic 4
run_case rmmod_under_traffic_v6_underlay test_rmmod_under_traffic 6
run_case reload_cycles_no_leak test_reload_cycles_no_leak
ktap_finish
