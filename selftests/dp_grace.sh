#!/bin/bash
# SPDX-License-Identifier: MIT
#
# What the kernel does on its own clock, which the other scripts pin away
# (they set a 60 s grace so swaps and packets, not the timer, move epochs):
#   - a *next* epoch that no packet and no swap confirms becomes *current*
#     when its grace time ends (epoch-switched without a leaf), and the
#     old *current*, now *previous*, is deleted one grace time later;
#   - unknown-sender events are rate-limited to one per second per device
#     while every unknown packet is still counted.
# docs/NETLINK.md states both.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane
[ -x "$UDP_REPLAY" ] || ktap_skip_all "$UDP_REPLAY not built (make)"

pair_up()
{
	topo_up 4 2 || return 1
	group_up 1 aes-128-gcm 1 2 || return 1
	epoch_up 1 1 1 2
}

states_are()	# NS GROUP WANT
{
	[ "$(epoch_states "$1" "$2")" = "$3" ]
}

promoted()	# NS: group 1's epoch 2 is current, epoch 1 previous or gone
{
	local st

	st=$(epoch_states "$1" 1)
	[ "$st" = "1:previous 2:current" ] || [ "$st" = "2:current" ]
}

unknown_at_least()	# NS N
{
	[ "$(dev_stat "$1" unknown_tags)" -ge "$2" ]
}

test_grace_promotes_then_deletes()
{
	local ev=$LIB_TMP/grace.events rx_before

	check "two hosts, epoch 1 current" pair_up
	rx_before=$(group_stat "${HOST[2]}" 1 rx_packets)
	check "monitor on host 2" monitor_start "${HOST[2]}" 1 120 "$ev"
	# 1 s of grace and no traffic: only the timer can promote epoch 2.
	DP_GRACE=1000
	check "epoch 2 as next with a 1 s grace, on both" epoch_add 1 2 1 2
	# The timer promotes it; a loaded host may be past the deletion
	# already when it looks, so either state shows the promotion.
	check "the timer makes epoch 2 current" \
		wait_until 60 promoted "${HOST[2]}"
	check "one grace time later epoch 1 is deleted" \
		wait_until 60 states_are "${HOST[2]}" 1 "2:current"
	check "host 1 too" wait_until 60 states_are "${HOST[1]}" 1 "2:current"
	check "the monitor saw the switch" \
		wait_until 30 grep -q '^epoch-switched .* group 1 epoch 2' "$ev"
	check_fails "a timer switch names no leaf" \
		grep -q '^epoch-switched .* epoch 2 leaf' "$ev"
	check_eq "no packet was received meanwhile" "$rx_before" \
		"$(group_stat "${HOST[2]}" 1 rx_packets)"
	check "and epoch 2 carries traffic" ping_ok "${HOST[1]}" "$(inner4 2)"
}

# Host 2 forgets epoch 1's tag, then gets many packets under it.
test_unknown_sender_rate_limit()
{
	local f=$LIB_TMP/unknown.pkt ev=$LIB_TMP/unknown.events
	local n=60 i t0 t1 before after events secs

	check "two hosts, epoch 1 current" pair_up
	check "capture a packet 1->2 under epoch 1" capture_from 1 2 "$f" hold
	DP_GRACE=60000
	check "epoch 2 on both" epoch_add 1 2 1 2
	check "swap to epoch 2" epoch_swap_all 1 1 2
	check "delete epoch 1 on host 2" \
		mlsctl_in "${HOST[2]}" epoch del "$DP_DEV" group 1 epoch 1
	check "monitor on host 2" monitor_start "${HOST[2]}" 1000 120 "$ev"
	before=$(dev_stat "${HOST[2]}" unknown_tags) || exit 1
	t0=$(date +%s.%N)
	for ((i = 0; i < n; i++)); do
		in_ns "${HOST[1]}" "$UDP_REPLAY" send "$f" ||
			{ echo "FAIL: send $i"; exit 1; }
	done
	t1=$(date +%s.%N)
	check "every packet is counted" \
		wait_until 30 unknown_at_least "${HOST[2]}" $((before + n))
	after=$(dev_stat "${HOST[2]}" unknown_tags)
	check_eq "unknown_tags grew by the packets sent" "$((before + n))" \
		"$after"
	sleep 1.5	# let a last event of the final second arrive
	events=$(grep -c '^unknown-sender' "$ev")
	# ceil(elapsed) + 1 windows of one second can each hold one event.
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { s = b - a; print int(s) + (s > int(s)) + 1 }')
	echo "sent $n packets in $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s: $events events (at most $secs allowed)"
	check "at least one event" test "$events" -ge 1
	check "at most one per second" test "$events" -le "$secs"
	check "events name the tag" grep -q '^unknown-sender .* tag ' "$ev"
}

ktap_begin 2
run_case grace_promotes_then_deletes test_grace_promotes_then_deletes
run_case unknown_sender_rate_limit test_unknown_sender_rate_limit
ktap_finish
