#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The data plane against an independent implementation of the wire format
# (selftests/tools/dp_packet.py, python3-cryptography): packets the kernel
# sends are captured off the underlay and decrypted there from the test's
# own key files (header layout, AAD = the 16-byte header, nonce = nonce_i
# XOR counter, tag at the end, counter from 0), and each wrong construction
# of the AEAD input is shown to fail on the same packets; packets sealed
# there are delivered by the kernel. Also: replies never carry keys (raw
# genetlink, selftests/tools/genl_raw.py), the replay window (forged
# counters do not move it, its edge is 2048 packets), bad type bytes and
# short datagrams are dropped and counted, and nothing leaves before keys
# exist or after the hard limit.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

# The guest runs the host's /usr: Debian's python3 with python3-cryptography
# (not whatever python3 comes first on PATH).
PY=/usr/bin/python3
DP_PACKET=$LIB_DIR/tools/dp_packet.py
GENL_RAW=$LIB_DIR/tools/genl_raw.py
MARKER_PORT=9
INNER_PORT=5555

require_dataplane
"$PY" -c 'import cryptography.hazmat.primitives.ciphers.aead, yaml' 2>/dev/null ||
	ktap_skip_all "$PY lacks cryptography or yaml (python3-cryptography, python3-yaml)"

# trio AEAD: hosts 1-3, group 1, no IPv6 on the tunnels (so no housekeeping
# traffic moves the counters the cases compare; the inner packets here are
# IPv4).
trio()
{
	local i

	topo_up 4 3 || return 1
	for i in 1 2 3; do
		ip netns exec "${HOST[$i]}" sysctl -qw \
			"net.ipv6.conf.$DP_DEV.disable_ipv6=1" || return 1
	done
	group_up 1 "$1" 1 2 3
}

# capture_start HOST DIR: every datagram host HOST sends, off its bridge
# port, until capture_stop.
capture_start()
{
	mkdir -p "$2"
	in_ns "$TOPO_BR" "$PY" "$DP_PACKET" capture "p$1" "$2" "$MARKER_PORT" \
		>"$2.log" 2>&1 &
	echo $! >"$2.pid"
	wait_until 10 grep -q ready "$2.log"
}

# capture_stop HOST DIR: a marker datagram after the traffic ends it.
capture_stop()
{
	local pid

	pid=$(cat "$2.pid")
	echo marker >"$2.marker"
	wait_until 20 capture_marker_seen "$1" "$2" "$pid"
	wait "$pid" || { cat "$2.log"; return 1; }
}

capture_marker_seen()
{
	[ -d "/proc/$3" ] || return 0
	in_ns "${HOST[$1]}" "$PY" "$DP_PACKET" send "$2.marker" \
		"$(underlay_addr 2 4)" "$MARKER_PORT"
	sleep 0.2
	[ ! -d "/proc/$3" ]
}

captured()
{
	find "$1" -name '*.pkt' | sort
}

# keyfile_of HOST: the mlsctl key file host HOST installed for epoch 1.
keyfile_of()
{
	local f=$LIB_TMP/keys-$1.$BASHPID

	keyfile 1 1 "$1" 1 2 3 >"$f"
	echo "$f"
}

epoch_tag()
{
	cat "$DP_KEYS/g1-e1/tag"
}

# open_as HOST DIR [--variant V]: decrypt what DIR holds with host HOST's keys.
open_as()
{
	local aead host=$1 dir=$2
	shift 2

	aead=$(cat "$DP_KEYS/aead.1")
	# shellcheck disable=SC2046
	"$PY" "$DP_PACKET" open "$aead" "$(keyfile_of "$host")" "$(epoch_tag)" \
		$(captured "$dir") "$@"
}

# seal_as HOST COUNTER TEXT OUT: host HOST's next packet to host 2, made here.
seal_as()
{
	"$PY" "$DP_PACKET" seal "$(cat "$DP_KEYS/aead.1")" "$(keyfile_of "$1")" \
		"$(epoch_tag)" "$(leaf_of "$1")" "$2" "$(inner4 "$1")" \
		"$(inner4 2)" "$INNER_PORT" "$3" "$4"
}

# send_to_2 HOST FILE: FILE as a datagram from host HOST to host 2's port.
send_to_2()
{
	in_ns "${HOST[$1]}" "$PY" "$DP_PACKET" send "$2" "$(underlay_addr 2 4)" \
		"$(port_of_host 2)"
}

# delivered HOST FILE TEXT: host 2's stack receives TEXT (the inner UDP
# payload) when FILE is sent.
delivered()
{
	local out=$LIB_TMP/listen.$BASHPID pid

	in_ns "${HOST[2]}" "$PY" "$DP_PACKET" listen "$(inner4 2)" \
		"$INNER_PORT" 60 >"$out" 2>&1 &
	pid=$!
	wait_until 10 grep -q ready "$out" || return 1
	send_to_2 "$1" "$2" || return 1
	wait "$pid"
	check_eq "host 2 received the inner payload" "$3" "$(sed -n 2p "$out")"
}

# The device's rx_dropped: the field after packets and errors below "RX:".
rx_dropped()
{
	ip -n "${HOST[2]}" -s link show "$DP_DEV" |
		awk '/^ *RX:/ { getline; print $4; exit }'
}

rx_dropped_above()	# N: host 2's rx_dropped is above N (read anew each time)
{
	[ "$(rx_dropped)" -gt "$1" ]
}

# group_counters NS: every counter of group 1, one line.
group_counters()
{
	show_json "$1" | "$PY" -c 'import json, sys
d = json.load(sys.stdin)
g = [g for dev in d for g in dev["groups"] if g["group_id"] == 1][0]
print(" ".join("%s=%d" % kv for kv in sorted(g["stats"].items())))'
}

# dropped_silently HOST FILE: host 2 drops FILE before the AEAD: rx_dropped
# grows by one, no group counter moves, nothing is delivered.
dropped_silently()
{
	local before after ctr_before ctr_after

	before=$(rx_dropped) || return 1
	ctr_before=$(group_counters "${HOST[2]}") || return 1
	send_to_2 "$1" "$2" || return 1
	wait_until 30 rx_dropped_above "$before"
	after=$(rx_dropped)
	ctr_after=$(group_counters "${HOST[2]}")
	check_eq "rx_dropped counted once" "$((before + 1))" "$after"
	check_eq "no group counter moved" "$ctr_before" "$ctr_after"
}

# counted FIELD HOST FILE: host 2 counts FILE in group 1's FIELD, once,
# and delivers nothing (waits for the count rather than for a time).
counted()
{
	local field=$1 before rx_before

	before=$(group_stat "${HOST[2]}" 1 "$field") || return 1
	rx_before=$(group_stat "${HOST[2]}" 1 rx_packets) || return 1
	send_to_2 "$2" "$3" || return 1
	wait_stat "${HOST[2]}" 1 "$field" $((before + 1)) || return 1
	check_eq "$field counted once" "$((before + 1))" \
		"$(group_stat "${HOST[2]}" 1 "$field")"
	check_eq "nothing delivered (rx_packets)" "$rx_before" \
		"$(group_stat "${HOST[2]}" 1 rx_packets)"
}

# ---- cases --------------------------------------------------------------------

test_nothing_before_keys()
{
	local dir=$LIB_TMP/before.$BASHPID before

	before=$(group_stat "${HOST[3]}" 1 no_route)
	check "capture" capture_start 3 "$dir"
	in_ns "${HOST[3]}" ping -c 3 -i 0.2 -W 1 "$(inner4 2)" >/dev/null
	check "stop the capture" capture_stop 3 "$dir"
	check_eq "datagrams host 3 sent without keys" "" "$(captured "$dir")"
	check "the pings reached the device (no_route counted)" \
		test "$(group_stat "${HOST[3]}" 1 no_route)" -ge "$((before + 3))"
}

# The counters of decrypted packets: unique, in order, 0 .. N-1.
counters_from_zero()
{
	local got want

	got=$(awk '{ print $4 }' "$1" | sort -n | uniq | tr '\n' ' ')
	want=$(seq 0 $(($(awk '{ print $4 }' "$1" | sort -un | wc -l) - 1)) |
		tr '\n' ' ')
	check_eq "counters from 0, none skipped" "$want" "$got"
}

test_decrypt()
{
	local aead=$1 dir=$LIB_TMP/cap.$BASHPID out=$LIB_TMP/open.$BASHPID
	local n v fails min text pkt=$LIB_TMP/sealed.$BASHPID

	check "capture" capture_start 3 "$dir"
	check "epoch 1" epoch_up 1 1 1 2 3
	check "ping 3 -> 2" ping_ok "${HOST[3]}" "$(inner4 2)"
	check "stop the capture" capture_stop 3 "$dir"
	n=$(captured "$dir" | wc -l)
	check "packets captured" test "$n" -ge 3

	# Host 2 decrypts with the rx key of leaf 2 from its own key file.
	if ! open_as 2 "$dir" >"$out"; then
		cat "$out"
		echo "FAIL: the independent decryptor rejected the kernel's packets"
		return 1
	fi
	cat "$out"
	check_eq "every packet from leaf 2" "$n" "$(grep -c '^leaf 2 ' "$out")"
	counters_from_zero "$out"
	check "the echo request is among them (84-byte IPv4 ICMP 10.77.0.3 -> 10.77.0.2)" \
		grep -q " len 84 src $(inner4 3) dst $(inner4 2) proto 1$" "$out"

	# Each wrong construction fails (a nonce variant cannot fail at
	# counter 0, where the counter's position does not matter).
	open_as 2 "$dir" --variant all >"$out.variants"
	cat "$out.variants"
	for v in nonce-le nonce-left aad-none aad-short tag-front; do
		fails=$(awk -v v="variant $v:" 'index($0, v) == 1 { print $3 }' \
			"$out.variants")
		min=$n
		[ "${v#nonce}" != "$v" ] && min=$((n - 1))
		check "variant $v fails" test "${fails:-0}" -ge "$min" -a "${fails:-0}" -gt 0
	done

	# A packet made here, counter far ahead of the kernel's own.
	text="crosscheck $aead $RANDOM"
	check "seal" seal_as 3 1000 "$text" "$pkt"
	check "host 2 delivers the packet made here" delivered 3 "$pkt" "$text"
}

test_no_keys_in_replies()
{
	local i

	check "ping" ping_ok "${HOST[1]}" "$(inner4 2)"
	for i in 1 2 3; do
		in_ns "${HOST[$i]}" "$PY" "$GENL_RAW" audit "$DP_DEV" \
			"$(keyfile_of "$i")" ||
			{ echo "FAIL: host $i"; return 1; }
	done
}

test_replay_window()
{
	local p=$LIB_TMP/p.$BASHPID top=100000

	check "seal the original" seal_as 3 "$top" "original" "$p.top"
	check "forge its counter +65536" "$PY" "$DP_PACKET" edit "$p.top" \
		"$p.forged" counter=$((top + 65536))
	check "forged counter fails the AEAD" counted decrypt_failures 3 "$p.forged"
	check "the original still goes through" delivered 3 "$p.top" "original"

	# The window: the newest and the 2047 before it.
	check "seal 2049 behind" seal_as 3 $((top - 2049)) "old" "$p.2049"
	check "2049 behind is a replay" counted replays 3 "$p.2049"
	check "seal 2048 behind" seal_as 3 $((top - 2048)) "old" "$p.2048"
	check "2048 behind is a replay" counted replays 3 "$p.2048"
	check "seal 2047 behind" seal_as 3 $((top - 2047)) "edge" "$p.2047"
	check "2047 behind is still inside the window" delivered 3 "$p.2047" edge
	check "the newest again is a replay" counted replays 3 "$p.top"
	check "2047 behind again is a replay" counted replays 3 "$p.2047"
}

test_bad_type_short()
{
	local p=$LIB_TMP/p.$BASHPID t

	check "seal" seal_as 3 500 "typed" "$p"
	for t in 12 21 00; do
		check "edit the type to $t" "$PY" "$DP_PACKET" edit "$p" "$p.$t" \
			type="$t"
		check "type 0x$t dropped and counted" dropped_silently 3 "$p.$t"
	done
	# 31 bytes: one short of header + tag; 0: empty.
	for t in 31 0; do
		check "cut to $t bytes" "$PY" "$DP_PACKET" edit "$p" "$p.short$t" \
			truncate="$t"
		check "$t-byte datagram dropped and counted" dropped_silently 3 \
			"$p.short$t"
	done
	# None of them used up the counter: the packet itself still goes in.
	check "the unchanged packet is delivered" delivered 3 "$p" "typed"
}

# Host 3's own counter of epoch 1 so far.
tx_counter_3()
{
	show_json "${HOST[3]}" | "$PY" -c 'import json, sys
d = json.load(sys.stdin)
g = [g for dev in d for g in dev["groups"] if g["group_id"] == 1][0]
print([e for e in g["epochs"] if e["epoch"] == 1][0]["tx_counter"])'
}

test_exhausted()
{
	local dir=$LIB_TMP/cap.$BASHPID out=$LIB_TMP/open.$BASHPID c want

	c=$(tx_counter_3) || return 1
	want=$(seq "$c" $((c + 3)) | tr '\n' ' ')
	# Limits apply to installed epochs at once: four packets more.
	check "hard limit $((c + 4)) on host 3" mlsctl_in "${HOST[3]}" dev set \
		"$DP_DEV" hard-limit $((c + 4))
	check "capture" capture_start 3 "$dir"
	in_ns "${HOST[3]}" ping -c 8 -i 0.2 -W 1 "$(inner4 2)" >/dev/null
	check "stop the capture" capture_stop 3 "$dir"
	check "decrypt" open_as 2 "$dir" >"$out"
	cat "$out"
	check_eq "counters sent" "$want" \
		"$(awk '{ print $4 }' "$out" | sort -n | tr '\n' ' ')"
	check "the other pings were refused as exhausted" \
		test "$(group_stat "${HOST[3]}" 1 exhausted)" -ge 4
}

# topology AEAD: hosts 1-3 with group 1 under AEAD, shared by the cases
# that follow (set up here, outside the cases, so that they see it). The
# previous topology goes first.
topology()
{
	local i

	for i in "$TOPO_BR" "${HOST[@]}"; do
		[ -n "$i" ] && ns_delete "$i"
	done
	log "topology: hosts 1-3, group 1 $1"
	trio "$1" >"$LIB_TMP/topology.log" 2>&1 ||
		{ sed 's/^/# /' "$LIB_TMP/topology.log"; log "topology failed"; }
}

ktap_begin 9
topology aes-128-gcm
run_case nothing_sent_before_keys test_nothing_before_keys
run_case decrypt_aes_128_gcm test_decrypt aes-128-gcm
run_case bad_type_and_short_dropped test_bad_type_short
run_case nothing_sent_after_exhaustion test_exhausted
topology aes-256-gcm
run_case decrypt_aes_256_gcm test_decrypt aes-256-gcm
run_case replay_window test_replay_window
topology chacha20-poly1305
run_case decrypt_chacha20_poly1305 test_decrypt chacha20-poly1305
run_case replies_carry_no_keys test_no_keys_in_replies
run_case module_unload mlsdco_unload
ktap_finish
