#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The receive path rejects what belongs to the past: a packet under an
# epoch that was deleted, and a packet from a member that was deleted
# (with an unknown-sender event); dp_reject.sh covers replays and flips.
# Packets are captured off the underlay and re-sent by
# selftests/tools/udp-replay. A control case first proves
# that a captured, never-delivered packet replayed unchanged IS accepted,
# so every rejection below is the kernel's doing, not the tool's.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane
[ -x "$UDP_REPLAY" ] || ktap_skip_all "$UDP_REPLAY not built (make)"

trio_up()
{
	topo_up "$1" 3 || return 1
	group_up 1 aes-128-gcm 1 2 3 || return 1
	epoch_up 1 1 1 2 3
}

test_control()
{
	local f=$LIB_TMP/fresh.pkt rx_before

	check "topology, group and epoch" trio_up "$1"
	check "capture a packet 3->2 that 2 never saw" capture_from 3 2 "$f" hold
	rx_before=$(group_stat "${HOST[2]}" 1 rx_packets) || return 1
	check "replay it" replay_from 3 "$f"
	check "a fresh replayed packet is accepted" \
		wait_stat "${HOST[2]}" 1 rx_packets $((rx_before + 1))
	check_eq "exactly once" "$((rx_before + 1))" \
		"$(group_stat "${HOST[2]}" 1 rx_packets)"
}

test_deleted_epoch()
{
	local f=$LIB_TMP/old.pkt
	# Epoch 1 must outlive epoch 2's install until we delete it: on a
	# loaded host the default 5 s grace can expire first.
	local DP_GRACE=60000

	check "topology, group and epoch" trio_up "$1"
	check "capture a packet 3->2 under epoch 1" capture_from 3 2 "$f" hold
	check "epoch 2 everywhere" epoch_up 1 2 1 2 3
	check "delete epoch 1 on host 2" \
		mlsctl_in "${HOST[2]}" epoch del "$DP_DEV" group 1 epoch 1
	check_epochs "epoch 1 is gone, epoch 2 stays" "${HOST[2]}" 1 \
		"2:current"
	check "a packet under the deleted epoch is an unknown tag" \
		counter_moves "${HOST[2]}" dev unknown_tags replay_from 3 "$f"
}

# replay_until_event SRC FILE EVENTS PATTERN: replay FILE from host SRC
# until a line of EVENTS matches PATTERN. Unknown-sender events are
# limited to one a second per device, so a stray packet just before the
# replay can take the replay's event; a later replay gets one.
replay_until_event()
{
	local try

	for try in $(seq 1 20); do
		replay_from "$1" "$2" || return 1
		wait_until 2 grep -q "$4" "$3" && return 0
	done
	echo "no event matching '$4' after $try replays"
	return 1
}

test_deleted_member()
{
	local f=$LIB_TMP/member.pkt rx_before unk_before

	check "topology, group and epoch" trio_up "$1"
	check "capture a packet 3->2 that 2 never saw" capture_from 3 2 "$f" hold
	check "delete member leaf 2 (host 3) on host 2" \
		mlsctl_in "${HOST[2]}" member del "$DP_DEV" group 1 leaf 2
	rx_before=$(group_stat "${HOST[2]}" 1 rx_packets) || return 1
	unk_before=$(group_stat "${HOST[2]}" 1 unknown_tags) || return 1
	# The monitor exits on its first event; the bound only stops it if
	# the event never comes (events are rate-limited to one a second).
	check "event monitor subscribed" monitor_start "${HOST[2]}" 1 60 \
		"$LIB_TMP/events"
	check "replay until the event comes" \
		replay_until_event 3 "$f" "$LIB_TMP/events" '^unknown-sender .*leaf 2'
	check "counted as a packet from an unknown sender" \
		wait_stat "${HOST[2]}" 1 unknown_tags $((unk_before + 1))
	check_eq "nothing delivered from a deleted member" "$rx_before" \
		"$(group_stat "${HOST[2]}" 1 rx_packets)"
	wait
	cat "$LIB_TMP/events"
	check "an unknown-sender event names leaf 2" \
		grep -q '^unknown-sender .*leaf 2' "$LIB_TMP/events"
	check "host 1 still gets through" ping_ok "${HOST[1]}" "$(inner4 2)"
}

ktap_begin 6
run_case control_fresh_replay_accepted_v6 test_control 6
run_case deleted_epoch_rejected_v4 test_deleted_epoch 4
run_case deleted_epoch_rejected_v6 test_deleted_epoch 6
run_case deleted_member_rejected_v4 test_deleted_member 4
run_case deleted_member_rejected_v6 test_deleted_member 6
run_case module_unload mlsdco_unload
ktap_finish
