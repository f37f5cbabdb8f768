#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A 1000-member group through mlsctl: host 1 is leaf 0 of group 1, host 2
# is leaf 1, and leaves 2..999 are members with dummy endpoints that never
# answer. Each host installs an epoch with 999 rx keys from a key file
# (one netlink request of about 64 KB), `mlsctl show -j` must list every
# member, an epoch swap to a second 1000-key epoch works, a real ping
# between the two hosts passes under both epochs, an epoch with exactly
# MLSNL_MAX_RX_KEYS 32-byte keys installs, and one key more is refused
# with a clear error and no change.
# The time `mlsctl epoch add` takes is printed as a diagnostic, not judged.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane
require_cmd od fold awk

LEAVES=1000
MAX_RX_KEYS=4096	# MLSNL_MAX_RX_KEYS in netlink/include/mlsdco/nl.h
STATE=$LIB_TMP/state

# Cases run in subshells: the hosts' namespace names go through a file.
save_hosts()
{
	echo "${HOST[1]} ${HOST[2]}" >"$STATE"
}

load_hosts()
{
	[ -s "$STATE" ] || { echo "no topology (setup failed)"; return 1; }
	read -r HOST[1] HOST[2] <"$STATE"
}

# master_keys FILE N [KEYLEN]: "LEAF KEYHEX NONCEHEX" for leaves 0..N-1,
# KEYLEN-byte keys (default 16, aes-128-gcm), from one read of urandom.
master_keys()
{
	local klen=${3:-16}

	od -An -v -tx1 -N $(($2 * (klen + 12))) /dev/urandom | tr -d ' \n' |
		fold -w $((2 * (klen + 12))) |
		awk -v k=$((2 * klen)) \
			'{ print NR - 1, substr($0, 1, k), substr($0, k + 1, 24) }' \
		>"$1"
	[ "$(wc -l <"$1")" -eq "$2" ] || return 1
	# One tag names the epoch on the wire for every member.
	hexrand 8 >"$1.tag"
}

# keys_for MASTER LEAF: the key file the host with LEAF installs.
keys_for()
{
	awk -v self="$2" '
		$1 == self { print "tx", $2, $3 }
		$1 != self { print "rx", $1, $2, $3 }' "$1"
}

# add_epoch HOST EPOCH MASTER [ARGS...]: mlsctl epoch add from a key file
# on disk, as an agent would; prints how long the command took.
add_epoch()
{
	local i=$1 ep=$2 master=$3 kf t0 t1 n
	shift 3

	kf=$LIB_TMP/keys.h$i.e$ep
	keys_for "$master" "$(leaf_of "$i")" >"$kf"
	chmod 600 "$kf"
	n=$(grep -c '^rx ' "$kf")
	t0=$(date +%s%N)
	mlsctl_in "${HOST[$i]}" epoch add "$DP_DEV" group 1 epoch "$ep" \
		tag "$(cat "$master.tag")" keys "$kf" "$@" || return 1
	t1=$(date +%s%N)
	echo "host $i: mlsctl epoch add with $n rx keys took" \
		"$(((t1 - t0) / 1000000)) ms"
	rm -f "$kf"
}

# dummy_members NS FROM TO: members FROM..TO with an endpoint each in
# TEST-NET-2 (nothing is sent to them: they have no allowed IPs), set by
# one "mlsctl -batch", as an agent would: a fork per member is slow.
dummy_members()
{
	local batch=$LIB_TMP/members.batch l

	for ((l = $2; l <= $3; l++)); do
		echo "member set $DP_DEV group 1 leaf $l" \
			"endpoint 198.51.100.$((l % 250 + 1)):$((20000 + l))"
	done >"$batch"
	in_ns "$1" "$MLSCTL" -batch "$batch"
}

test_setup()
{
	check "two hosts" topo_up 4 2
	save_hosts
	check "group 1 on both hosts" group_up 1 aes-128-gcm 1 2
	check "998 members with dummy endpoints on host 1" \
		dummy_members "${HOST[1]}" 2 $((LEAVES - 1))
	check "keys for $LEAVES leaves" master_keys "$LIB_TMP/master1" $LEAVES
	check "epoch 1 on host 1" add_epoch 1 1 "$LIB_TMP/master1"
	check "epoch 1 on host 2" add_epoch 2 1 "$LIB_TMP/master1"
}

# members_listed NS: group 1 in `mlsctl show -j` of NS has own leaf 0 and
# members 1..LEAVES-1, every one exactly once, each with its endpoint.
members_listed()
{
	local out

	out=$(show_json "$1") || return 1
	python3 -c 'import json, sys
n = int(sys.argv[1])
d = json.loads(sys.stdin.read())
g = [g for dev in d for g in dev["groups"] if g["group_id"] == 1][0]
leaves = sorted(m["leaf"] for m in g["members"])
print("group 1: own leaf %d, %d members listed" % (g["own_leaf"], len(leaves)))
ok = g["own_leaf"] == 0 and leaves == list(range(1, n))
ok = ok and all(m["endpoint"] for m in g["members"])
sys.exit(0 if ok else 1)' "$LEAVES" <<<"$out"
}

test_show()
{
	check "hosts" load_hosts
	check "show -j lists all $LEAVES leaves" members_listed "${HOST[1]}"
	check_eq "epochs of host 1" "1:current" "$(epoch_states "${HOST[1]}" 1)"
}

# pings_ok WHEN: both ways; on failure, host 2's view (a small dump: its
# only member is host 1) says where the packets went.
pings_ok()
{
	ping_ok "${HOST[1]}" "$(inner4 2)" && ping_ok "${HOST[2]}" "$(inner4 1)" &&
		return 0
	echo "pings failed $1; host 2:"
	show_json "${HOST[2]}"
	return 1
}

test_ping()
{
	check "hosts" load_hosts
	check "pings 1->2 and 2->1" pings_ok "under epoch 1"
}

test_swap()
{
	check "hosts" load_hosts
	check "keys for epoch 2" master_keys "$LIB_TMP/master2" $LEAVES
	# A long grace time: no timer promotes epoch 2 while keys for 1000
	# leaves are installed one host after the other under TCG.
	check "epoch 2 on host 1" add_epoch 1 2 "$LIB_TMP/master2" grace 60000
	check "epoch 2 on host 2" add_epoch 2 2 "$LIB_TMP/master2" grace 60000
	check "swap on host 1" mlsctl_in "${HOST[1]}" epoch swap "$DP_DEV" group 1
	# Host 1's first packet under epoch 2 may promote it on host 2 before
	# the swap there (as in epoch_up): the state afterwards decides.
	if grep -qw "2:next" <<<"$(epoch_states "${HOST[2]}" 1)"; then
		mlsctl_in "${HOST[2]}" epoch swap "$DP_DEV" group 1
	fi
	check "epoch 2 current on host 2" \
		grep -qw "2:current" <<<"$(epoch_states "${HOST[2]}" 1)"
	check "pings under epoch 2" pings_ok "under epoch 2"
	check_eq "no decrypt failures on host 2" 0 \
		"$(group_stat "${HOST[2]}" 1 decrypt_failures)"
}

# epoch_add_file HOST GROUP EPOCH MASTER: epoch add of host's key file;
# mlsctl's output on stdout.
epoch_add_file()
{
	local kf=$LIB_TMP/keys.limit rc

	keys_for "$4" "$(leaf_of "$1")" >"$kf"
	mlsctl_in "${HOST[$1]}" epoch add "$DP_DEV" group "$2" epoch "$3" \
		tag "$(cat "$4.tag")" keys "$kf" 2>&1
	rc=$?
	rm -f "$kf"
	return $rc
}

# At the limit with 32-byte keys the request (~260 KB) is larger than the
# default socket send buffer (net.core.wmem_default): the library must
# raise it. One key more is refused before anything reaches the kernel.
test_limit()
{
	local err

	check "hosts" load_hosts
	check "group 2 (aes-256-gcm) on host 2" mlsctl_in "${HOST[2]}" \
		group add "$DP_DEV" id 2 aead aes-256-gcm leaf 1
	check "keys for $((MAX_RX_KEYS + 1)) leaves" \
		master_keys "$LIB_TMP/master3" $((MAX_RX_KEYS + 1)) 32
	check "epoch with $MAX_RX_KEYS rx keys of 32 bytes" \
		epoch_add_file 2 2 1 "$LIB_TMP/master3"
	check "it is installed" grep -qw "1:current" \
		<<<"$(epoch_states "${HOST[2]}" 2)"
	check "keys for $((MAX_RX_KEYS + 2)) leaves" \
		master_keys "$LIB_TMP/master4" $((MAX_RX_KEYS + 2)) 32
	if err=$(epoch_add_file 2 2 2 "$LIB_TMP/master4"); then
		echo "FAIL: $((MAX_RX_KEYS + 1)) rx keys were accepted"
		return 1
	fi
	echo "mlsctl said: $err"
	if ! grep -q "more than $MAX_RX_KEYS rx keys" <<<"$err"; then
		echo "FAIL: no clear error for $((MAX_RX_KEYS + 1)) rx keys"
		return 1
	fi
	check_eq "epochs of group 2 unchanged" "1:current" \
		"$(epoch_states "${HOST[2]}" 2)"
}

ktap_begin 6
run_case setup_1000_members test_setup
run_case show_lists_1000_members test_show
run_case ping_with_1000_members test_ping
run_case epoch_swap_1000_keys test_swap
run_case rx_key_limit test_limit
run_case module_unload mlsdco_unload
ktap_finish
