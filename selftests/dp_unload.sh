#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Unloading mlsdco.ko while devices carry keyed traffic: rmmod succeeds,
# every device is gone, the kernel logs no oops, warning or leak; and
# deleting every device frees every object of the module's slab caches.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane

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

# still_running PID...: every one of the background floods is still alive
# (their deadline is far; this proves rmmod met traffic, not silence).
still_running()
{
	local p

	for p; do
		kill -0 "$p" 2>/dev/null || { echo "flood $p ended"; return 1; }
	done
}

# FLOOD_S: the floods' deadline, a backstop (the cases kill them before):
# long enough for any setup after they start, short enough that rmmod
# and the frees get a quiet machine if something keeps them running.
FLOOD_S=120

test_rmmod_under_traffic()
{
	local i pids=() rx

	check "topology, groups and epochs" busy_trio "$1"
	rx=$(group_stat "${HOST[2]}" 1 rx_packets) || return 1
	for i in 1 2 3; do
		in_ns_bg "${HOST[$i]}" ping -f -w $FLOOD_S \
			"$(inner4 $((i % 3 + 1)))" >/dev/null 2>&1
		pids+=($!)
	done
	in_ns_bg "${HOST[2]}" ping -f -w $FLOOD_S -s 3000 "$(inner6 1)" \
		>/dev/null 2>&1
	pids+=($!)
	# A failed check ends the case: the floods end with it.
	trap 'kill "${pids[@]}" 2>/dev/null' EXIT
	check "traffic is flowing" \
		wait_stat "${HOST[2]}" 1 rx_packets $((rx + 10))
	check "the floods still run" still_running "${pids[@]}"
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

# The module's objects come from its own slab caches (kept apart from the
# kmalloc ones by slab_nomerge, which selftests/vm/run.sh passes), so a
# leak shows up as objects still in use, by cache name.
MLSDCO_CACHES="mlsdco_ai_node mlsdco_epoch mlsdco_group mlsdco_member mlsdco_rx_key"

mlsdco_caches()
{
	awk '/^mlsdco_/ { print $1 }' /proc/slabinfo | sort | tr '\n' ' ' |
		sed 's/ $//'
}

# Objects in use in the module's caches. SLUB counts objects of per-CPU
# slabs as active: shrinking flushes those first, so the count is exact.
mlsdco_slab_objects()
{
	local f

	for f in /sys/kernel/slab/mlsdco_*/shrink; do
		[ -w "$f" ] && echo 1 >"$f"
	done
	awk '/^mlsdco_/ { n += $2 } END { print n + 0 }' /proc/slabinfo
}

# Frees wait for RCU grace periods and a workqueue; poll, and make the
# kernel log something meanwhile so idle CPUs pass through quiescent
# states.
no_slab_objects()
{
	echo "mlsdco-selftest: waiting for frees" >/dev/kmsg
	[ "$(mlsdco_slab_objects)" = 0 ]
}

slab_objects_freed()
{
	wait_until 60 no_slab_objects && return 0
	grep '^mlsdco_' /proc/slabinfo
	echo "FAIL: objects left in the module's caches (active_objs above)"
	return 1
}

no_cache_kept_objects()
{
	if dmesg_since_mark | grep -q 'still has objects'; then
		dmesg_since_mark | grep -B2 -A4 'still has objects'
		return 1
	fi
}

test_delete_all_frees_everything()
{
	local i pids=() rx

	check "topology, groups and epochs" busy_trio 4
	check_eq "the module's caches, each under its own name" \
		"$MLSDCO_CACHES" "$(mlsdco_caches)"
	check "objects in use while configured" \
		test "$(mlsdco_slab_objects)" -gt 0
	rx=$(group_stat "${HOST[2]}" 1 rx_packets) || return 1
	for i in 1 2 3; do
		in_ns_bg "${HOST[$i]}" ping -f -w $FLOOD_S \
			"$(inner4 $((i % 3 + 1)))" >/dev/null 2>&1
		pids+=($!)
	done
	trap 'kill "${pids[@]}" 2>/dev/null' EXIT
	check "traffic is flowing" \
		wait_stat "${HOST[2]}" 1 rx_packets $((rx + 10))
	check "the floods still run" still_running "${pids[@]}"
	for i in 1 2 3; do
		check "delete the device on host $i under traffic" \
			ip -n "${HOST[$i]}" link del "$DP_DEV"
	done
	kill "${pids[@]}" 2>/dev/null
	wait
	check "every group, member, epoch, key and prefix freed" \
		slab_objects_freed
	check "rmmod" rmmod mlsdco
	check "no cache destroyed with objects in it" no_cache_kept_objects
	check_fails "no mlsdco slab cache left" grep -q '^mlsdco' /proc/slabinfo
}

ktap_begin 3
run_case rmmod_under_traffic_v4_underlay test_rmmod_under_traffic 4
run_case rmmod_under_traffic_v6_underlay test_rmmod_under_traffic 6
run_case delete_all_frees_everything test_delete_all_frees_everything
ktap_finish
