#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Configuring the data plane through mlsctl: who may install keys, what
# the kernel refuses and how it explains it, that refused input changes
# nothing, the packet limits (a tiny hard limit stops sending and is
# counted and announced), and the events of "mlsctl monitor".

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane
require_cmd setpriv

pair_up()
{
	topo_up 4 2 || return 1
	group_up 1 aes-128-gcm 1 2
}

# try_epoch_add NS KEYTEXT ARGS...: epoch add with KEYTEXT on stdin;
# prints stderr, returns mlsctl's exit code.
try_epoch_add()
{
	local ns=$1 keys=$2
	shift 2

	printf '%s\n' "$keys" |
		mlsctl_in "$ns" epoch add "$DP_DEV" "$@" keys - 2>&1 >/dev/null
}

test_unprivileged_epoch_add()
{
	local out rc

	check "topology and group" pair_up
	epoch_keys 1 1 1 2
	out=$(keyfile 1 1 1 1 2 | unprivileged_in "${HOST[1]}" "$MLSCTL" \
		epoch add "$DP_DEV" group 1 epoch 1 \
		tag "$(cat "$DP_KEYS/g1-e1/tag")" keys - 2>&1)
	rc=$?
	echo "$out"
	check_eq "exit code" 1 "$rc"
	check "EPERM reported" grep -q 'Operation not permitted' <<<"$out"
	check_epochs "no epoch was installed" "${HOST[1]}" 1 ""
}

test_wrong_key_length()
{
	local out rc tag nonce

	check "topology and group" pair_up
	tag=$(hexrand 8) nonce=$(hexrand 12)
	# aes-128-gcm takes 16-byte keys: a 32-byte tx key must be refused.
	out=$(try_epoch_add "${HOST[1]}" "tx $(hexrand 32) $nonce
rx 1 $(hexrand 16) $nonce" group 1 epoch 1 tag "$tag")
	rc=$?
	echo "$out"
	check_eq "exit code" 1 "$rc"
	check "EINVAL with the kernel's reason mentioning the key" \
		grep -qiE 'Invalid argument: .*key' <<<"$out"
	# Same for a member's key.
	out=$(try_epoch_add "${HOST[1]}" "tx $(hexrand 16) $nonce
rx 1 $(hexrand 24) $nonce" group 1 epoch 1 tag "$tag")
	rc=$?
	echo "$out"
	check_eq "exit code" 1 "$rc"
	check "EINVAL with the kernel's reason mentioning the key" \
		grep -qiE 'Invalid argument: .*key' <<<"$out"
	check_epochs "nothing was installed" "${HOST[1]}" 1 ""
}

# one_line TEXT: TEXT is one non-empty line (wc -l counts "" as one).
one_line()
{
	[ -n "$1" ] && [ "$(wc -l <<<"$1")" -eq 1 ]
}

# Bad input never reaches the kernel half-parsed, and changes nothing.
test_bad_input()
{
	local nonce key out rc

	check "topology and group" pair_up
	check "epoch 1" epoch_up 1 1 1 2
	nonce=$(hexrand 12) key=$(hexrand 16)
	for args in "tag 0011" "tag zz11223344556677" "epoch x tag 0011223344556677"; do
		# shellcheck disable=SC2086
		out=$(try_epoch_add "${HOST[1]}" "tx $key $nonce" group 1 $args)
		rc=$?
		echo "$out"
		check_eq "exit code for \"$args\"" 1 "$rc"
		check "one clear line for \"$args\"" one_line "$out"
	done
	out=$(try_epoch_add "${HOST[1]}" "rx 1 $key $nonce" group 1 epoch 2 \
		tag "$(hexrand 8)")
	check "keys without tx refused" grep -q 'no "tx" line' <<<"$out"
	out=$(try_epoch_add "${HOST[1]}" "tx $key 0011" group 1 epoch 2 \
		tag "$(hexrand 8)")
	check "short nonce refused" grep -q 'keys line 1' <<<"$out"
	check_fails "group add with unknown aead" mlsctl_in "${HOST[1]}" \
		group add "$DP_DEV" id 2 aead rot13 leaf 0
	check_fails "member set with bad endpoint" mlsctl_in "${HOST[1]}" \
		member set "$DP_DEV" group 1 leaf 1 endpoint 1.2.3.4
	check_fails "member set with bad prefix" mlsctl_in "${HOST[1]}" \
		member set "$DP_DEV" group 1 leaf 1 allowed-ips 10.0.0.0/33
	check_epochs "epochs unchanged" "${HOST[1]}" 1 "1:current"
	check "traffic unaffected" ping_ok "${HOST[1]}" "$(inner4 2)"
	out=$(mlsctl_in "${HOST[1]}" group add "$DP_DEV" id 1 aead aes-128-gcm \
		leaf 0 2>&1)
	echo "$out"
	check "duplicate group refused with EEXIST" grep -q 'File exists' <<<"$out"
}

test_hard_limit()
{
	local out

	check "topology and group" pair_up
	check "hard limit 5 on host 1" mlsctl_in "${HOST[1]}" dev set "$DP_DEV" \
		hard-limit 5
	check_eq "dev show reports it" 5 "$(show_json "${HOST[1]}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["hard_limit"])')"
	# Only the pings may use the 5 packets: no IPv6 (MLD reports would
	# go to every member) on host 1's tunnel in this case.
	check "no IPv6 on host 1's tunnel" in_ns "${HOST[1]}" sysctl -qw \
		"net.ipv6.conf.$DP_DEV.disable_ipv6=1"
	check "epoch 1" epoch_up 1 1 1 2
	# The soft limit (derived from the hard one) comes first, then the
	# exhausted one; either may repeat once a second until handled, so the
	# monitor takes what comes for 20 s rather than a fixed count.
	check "event monitor subscribed" monitor_start "${HOST[1]}" 1000 20 \
		"$LIB_TMP/events"
	# -W: a loaded host may answer late; ping lingers that long for it.
	out=$(in_ns "${HOST[1]}" ping -c 10 -i 0.1 -W 10 "$(inner4 2)" 2>&1)
	echo "$out" | tail -n 2
	check "exactly 5 echoes got through" grep -q ' 5 received' <<<"$out"
	check_eq "host 1 sent exactly 5 packets under epoch 1" 5 \
		"$(group_stat "${HOST[1]}" 1 tx_packets)"
	check_eq "host 2 decrypted exactly 5 packets" 5 \
		"$(group_stat "${HOST[2]}" 1 rx_packets)"
	check_eq "the 5 refused are counted as exhausted" 5 \
		"$(group_stat "${HOST[1]}" 1 exhausted)"
	wait
	cat "$LIB_TMP/events"
	check "key-exhausted event" \
		grep -q '^key-exhausted dev mlsdco0 group 1 epoch 1' "$LIB_TMP/events"
	# hard 5: soft = 5 - 5/4 = 4 (docs/WIRE-FORMAT.md), the first soft
	# event names that counter, and exhausted names the hard limit.
	check_eq "the soft limit is hard - hard/4" \
		"key-soft-limit dev mlsdco0 group 1 epoch 1 tx-counter 4" \
		"$(grep -m1 '^key-soft-limit' "$LIB_TMP/events")"
	check_eq "the exhausted event names the hard limit" \
		"key-exhausted dev mlsdco0 group 1 epoch 1 tx-counter 5" \
		"$(grep -m1 '^key-exhausted' "$LIB_TMP/events")"
	check "a new epoch sends again" epoch_up 1 2 1 2
	check "ping under epoch 2" ping_ok "${HOST[1]}" "$(inner4 2)"
}

test_soft_limit_event()
{
	check "topology and group" pair_up
	check "soft limit 3" mlsctl_in "${HOST[1]}" dev set "$DP_DEV" soft-limit 3
	# Only the pings may count towards the limit: IPv6 on the tunnel
	# (MLD reports) could cross it before the monitor listens.
	check "no IPv6 on host 1's tunnel" in_ns "${HOST[1]}" sysctl -qw \
		"net.ipv6.conf.$DP_DEV.disable_ipv6=1"
	check "epoch 1" epoch_up 1 1 1 2
	check "event monitor subscribed" monitor_start "${HOST[1]}" 1 60 \
		"$LIB_TMP/events"
	check "traffic continues past the soft limit" \
		ping_ok "${HOST[1]}" "$(inner4 2)" -c 6
	wait
	cat "$LIB_TMP/events"
	check "key-soft-limit event" \
		grep -q '^key-soft-limit dev mlsdco0 group 1 epoch 1' "$LIB_TMP/events"
}

test_switch_event()
{
	# No promotion by timer while the test looks (TCG can be slow).
	DP_GRACE=60000
	check "topology and group" pair_up
	check "epoch 1" epoch_up 1 1 1 2
	check "epoch 2 as next" epoch_add 1 2 1 2
	check_epochs "states on host 1" "${HOST[1]}" 1 "1:current 2:next"
	check "event monitor subscribed" monitor_start "${HOST[1]}" 1 60 \
		"$LIB_TMP/events"
	check "swap" mlsctl_in "${HOST[1]}" epoch swap "$DP_DEV" group 1
	wait
	cat "$LIB_TMP/events"
	check "epoch-switched event" \
		grep -q '^epoch-switched dev mlsdco0 group 1 epoch 2' "$LIB_TMP/events"
	check_epochs "states after swap" "${HOST[1]}" 1 "1:previous 2:current"
	check "host 2 promotes epoch 2 on host 1's first packet" \
		ping_ok "${HOST[1]}" "$(inner4 2)"
	check "epoch 2 current on host 2" grep -qw '2:current' \
		<<<"$(epoch_states "${HOST[2]}" 1)"
}

ktap_begin 7
run_case unprivileged_epoch_add_eperm test_unprivileged_epoch_add
run_case wrong_key_length_einval_extack test_wrong_key_length
run_case bad_input_changes_nothing test_bad_input
run_case tiny_hard_limit_stops_tx test_hard_limit
run_case soft_limit_event test_soft_limit_event
run_case epoch_swap_and_switch_event test_switch_event
run_case module_unload mlsdco_unload
ktap_finish
