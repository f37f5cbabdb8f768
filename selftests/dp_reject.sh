#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The receive path rejects, and counts, what it must not deliver: a
# replayed packet and a packet with one byte flipped (in the header and in
# the ciphertext); dp_reject_stale.sh covers deleted epochs and members.
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

test_replay()
{
	local f=$LIB_TMP/seen.pkt

	check "topology, group and epoch" trio_up "$1"
	check "capture a packet 1->2 that 2 delivers" capture_from 1 2 "$f"
	check "a replay is counted" \
		counter_moves "${HOST[2]}" 1 replays replay_from 1 "$f"
	check "a second replay is counted" \
		counter_moves "${HOST[2]}" 1 replays replay_from 1 "$f"
}

test_flip()
{
	local f=$LIB_TMP/flip.pkt off rx_before

	check "topology, group and epoch" trio_up "$1"
	check "capture a packet 3->2 that 2 never saw" capture_from 3 2 "$f" hold
	# Last byte of the AEAD tag, first byte of the ciphertext, and the
	# counter's low byte (authenticated as AAD): each must fail the AEAD.
	for off in -1 16 15; do
		check "byte $off flipped fails the AEAD" \
			counter_moves "${HOST[2]}" 1 decrypt_failures \
			replay_from 3 "$f" "$off"
	done
	# A flipped epoch tag (bytes 4-11 of the header) names no epoch, so
	# no group: the device counts it.
	check "a flipped tag is an unknown tag" \
		counter_moves "${HOST[2]}" dev unknown_tags replay_from 3 "$f" 4
	# The untouched original still decrypts: the flips were the reason.
	rx_before=$(group_stat "${HOST[2]}" 1 rx_packets) || return 1
	check "replay the original" replay_from 3 "$f"
	check "the original is accepted" \
		wait_stat "${HOST[2]}" 1 rx_packets $((rx_before + 1))
	check_eq "exactly once" "$((rx_before + 1))" \
		"$(group_stat "${HOST[2]}" 1 rx_packets)"
}

ktap_begin 6
run_case control_fresh_replay_accepted test_control 4
run_case replay_rejected_v4_underlay test_replay 4
run_case replay_rejected_v6_underlay test_replay 6
run_case flipped_byte_rejected_v4_underlay test_flip 4
run_case flipped_byte_rejected_v6_underlay test_flip 6
run_case module_unload mlsdco_unload
ktap_finish
