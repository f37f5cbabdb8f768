#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Requests mlsctl would never send, straight to the kernel over raw generic
# netlink (selftests/tools/genl_raw.py, attribute numbers from the YNL spec).
# Each is refused with the exact errno and extended ACK message (and the
# offending or missing attribute where the kernel names one), and leaves
# the whole state as it was: "mlsctl show -j" before and after are equal.

. "$(dirname "$(readlink -f "$0")")/lib.sh"

PY=/usr/bin/python3
GENL_RAW=$LIB_DIR/tools/genl_raw.py
PORT0=51801
PORT1=51802
TAG1=1111111111111111
TAG5=5555555555555555
TAG7=7777777777777777
KEY16=00112233445566778899aabbccddeeff
KEY32=$KEY16$KEY16
NONCE=0102030405060708090a0b0c
SEL='["ifname","mlsdco0"]'

require_root
require_module
require_mlsctl
"$PY" -c 'import yaml' 2>/dev/null || ktap_skip_all "$PY lacks yaml (python3-yaml)"

# fixture (once, shared by the cases: refusals change nothing, and the two
# cases that install an epoch come last): one namespace with mlsdco0 (group 1, aes-128-gcm, own leaf 0,
# member leaf 1, epoch 1 current; group 3, aes-256-gcm, epoch 5 current)
# and mlsdco1 (group 2, chacha20-poly1305, epoch 7 current), both up and
# listening; no addresses, no IPv6, so no traffic moves a counter.
fixture()
{
	local dev

	check "load" mlsdco_load
	NS=$(ns_create) || return 1
	for dev in mlsdco0 mlsdco1; do
		ip -n "$NS" link add "$dev" type mlsdco || return 1
		ip netns exec "$NS" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" ||
			return 1
		ip -n "$NS" link set "$dev" up || return 1
	done
	IDX0=$(ip -n "$NS" -o link show mlsdco0 | cut -d: -f1)
	mlsctl_in "$NS" dev set mlsdco0 port "$PORT0" &&
	mlsctl_in "$NS" dev set mlsdco1 port "$PORT1" &&
	mlsctl_in "$NS" group add mlsdco0 id 1 aead aes-128-gcm leaf 0 &&
	mlsctl_in "$NS" member set mlsdco0 group 1 leaf 1 \
		endpoint 192.0.2.1:51820 allowed-ips 10.0.0.1/32 &&
	echo "tx $KEY16 $NONCE
rx 1 $KEY16 $NONCE" | mlsctl_in "$NS" epoch add mlsdco0 group 1 epoch 1 \
		tag "$TAG1" keys - &&
	mlsctl_in "$NS" group add mlsdco0 id 3 aead aes-256-gcm leaf 0 &&
	echo "tx $KEY32 $NONCE" | mlsctl_in "$NS" epoch add mlsdco0 group 3 \
		epoch 5 tag "$TAG5" keys - &&
	mlsctl_in "$NS" group add mlsdco1 id 2 aead chacha20-poly1305 leaf 3 &&
	echo "tx $KEY32 $NONCE" | mlsctl_in "$NS" epoch add mlsdco1 group 2 \
		epoch 7 tag "$TAG7" keys -
}

raw()
{
	in_ns "$NS" "$PY" "$GENL_RAW" "$@"
}

state()
{
	mlsctl_in "$NS" show -j
}

# refused EXPECTED CMD JSON [OPTIONS...]: the kernel answers EXPECTED
# ("ERRNO: message [attr PATH]") to the request and nothing changes;
# refused_dump: the same for a dump request.
refused()
{
	refused_as "do" "$@"
}

refused_dump()
{
	refused_as dump "$@"
}

refused_as()
{
	local kind=$1 want=$2 before after out rc
	shift 2

	before=$(state) || return 1
	out=$(raw "$kind" "$@" 2>&1)
	rc=$?
	after=$(state) || return 1
	echo "$kind $1: $out"
	check_eq "exit code of a refusal" 1 "$rc"
	check_eq "answer to $kind $1 ${2:0:120}" "$want" "$out"
	check_eq "state after $kind $1" "$before" "$after"
}

epoch_req()
{
	# epoch_req GROUP EPOCH TAG [RXKEY-JSON...]
	local gid=$1 ep=$2 tag=$3 req rk
	shift 3

	req="[$SEL,[\"group-id\",$gid],[\"epoch\",$ep],[\"tag\",\"$tag\"]"
	req+=",[\"tx-key\",\"$KEY16\"],[\"tx-nonce\",\"$NONCE\"]"
	for rk; do
		req+=",[\"rx-key\",$rk]"
	done
	echo "$req]"
}

rx_key()
{
	echo "[[\"leaf\",$1],[\"key\",\"$KEY16\"],[\"nonce\",\"$NONCE\"]]"
}

# ---- cases ------------------------------------------------------------------

test_selector_mismatch()
{
	refused "EINVAL: ifname does not match ifindex [attr ifname]" \
		dev-get "[[\"ifindex\",$IDX0],[\"ifname\",\"mlsdco1\"]]"
	refused "EINVAL: ifname does not match ifindex [attr ifname]" \
		group-del "[[\"ifindex\",$IDX0],[\"ifname\",\"mlsdco1\"],[\"group-id\",1]]"
	refused "EINVAL: ifname does not match ifindex [attr ifname]" \
		dev-set "[[\"ifindex\",$IDX0],[\"ifname\",\"mlsdco1\"],[\"listen-port\",4000]]"
}

test_nothing_to_set()
{
	refused "EINVAL: nothing to set: listen-port is missing [missing listen-port]" \
		dev-set "[$SEL]"
}

test_dump_with_selector()
{
	refused_dump "EINVAL: a dump takes no device selector" dev-get "[[\"ifindex\",$IDX0]]"
	refused_dump "EINVAL: a dump takes no device selector" dev-get "[$SEL]"
}

test_unknown_attributes()
{
	# Beyond the command's policy, inside it but not its own, in a nest.
	refused "EINVAL: Unknown attribute type [attr 200]" \
		dev-get "[$SEL,[200,7,\"u32\"]]"
	refused "EINVAL: Unsupported attribute [attr tx-key]" \
		group-new "[$SEL,[\"group-id\",5],[\"aead\",0],[\"own-leaf\",0],[\"tx-key\",\"$KEY16\"]]"
	refused "EINVAL: Unsupported attribute [attr aead]" \
		member-set "[$SEL,[\"group-id\",1],[\"leaf\",2],[\"aead\",0]]"
	refused "EINVAL: Unknown attribute type [attr allowed-ip.9]" \
		member-set "[$SEL,[\"group-id\",1],[\"leaf\",2],[\"allowed-ip\",[[\"family\",2],[\"addr\",\"0a000002\"],[\"cidr\",32],[9,1,\"u32\"]]]]"
	refused "EINVAL: Unknown attribute type [attr rx-key.4]" \
		epoch-new "$(epoch_req 1 2 2222222222222222 \
			"[[\"leaf\",1],[\"key\",\"$KEY16\"],[\"nonce\",\"$NONCE\"],[4,1,\"u32\"]]")"
}

group_new_req()
{
	echo "[$SEL,[\"group-id\",5],[\"aead\",0],[\"own-leaf\",0],$1]"
}

test_group_flags_and_relay()
{
	local bits="EINVAL: unknown group-flags bits (known: multicast = 1) [attr group-flags]"

	refused "$bits" group-new "$(group_new_req '["group-flags",2]')"
	refused "$bits" group-new "$(group_new_req '["group-flags",4294967295]')"
	refused "$bits" group-set "[$SEL,[\"group-id\",1],[\"group-flags\",3]]"
	refused "EINVAL: endpoint needs a port and exactly one of ipv4, ipv6 [attr relay]" \
		group-new "$(group_new_req '["relay",[["port",4000]]]')"
	refused "EINVAL: endpoint needs a port and exactly one of ipv4, ipv6 [attr relay]" \
		group-set "[$SEL,[\"group-id\",1],[\"relay\",[[\"ipv6\",\"$KEY16\"]]]]"
	refused "ENOENT: no such group [attr group-id]" \
		group-set "[$SEL,[\"group-id\",42]]"
	refused "EINVAL: group-id is required [missing group-id]" group-set "[$SEL]"
	refused "EINVAL: Unsupported attribute [attr aead]" \
		group-set "[$SEL,[\"group-id\",1],[\"aead\",0]]"
	refused "ERANGE: integer out of range [attr allowed-ip.cidr]" \
		member-set "[$SEL,[\"group-id\",1],[\"leaf\",1],[\"keepalive\",5],[\"allowed-ip\",[[\"family\",2],[\"addr\",\"0a000001\"],[\"cidr\",200]]]]"
}

allowed_ip_req()
{
	echo "[$SEL,[\"group-id\",1],[\"leaf\",$1],[\"allowed-ip\",$2]]"
}

test_bad_allowed_ip()
{
	local leaf fam_msg

	fam_msg="EINVAL: allowed-ip: family must be AF_INET (4-byte addr, cidr <= 32) or AF_INET6 (16-byte addr, cidr <= 128) [attr allowed-ip]"
	# The existing member keeps its prefix, a new one is not created.
	for leaf in 1 5; do
		refused "$fam_msg" member-set "$(allowed_ip_req "$leaf" \
			"[[\"family\",2],[\"addr\",\"$KEY16\"],[\"cidr\",24]]")"
		refused "$fam_msg" member-set "$(allowed_ip_req "$leaf" \
			"[[\"family\",2],[\"addr\",\"0a000002\"],[\"cidr\",33]]")"
		refused "$fam_msg" member-set "$(allowed_ip_req "$leaf" \
			"[[\"family\",10],[\"addr\",\"0a000002\"],[\"cidr\",8]]")"
		refused "$fam_msg" member-set "$(allowed_ip_req "$leaf" \
			"[[\"family\",7],[\"addr\",\"0a000002\"],[\"cidr\",8]]")"
		refused "ERANGE: integer out of range [attr allowed-ip.cidr]" \
			member-set "$(allowed_ip_req "$leaf" \
			"[[\"family\",10],[\"addr\",\"$KEY16\"],[\"cidr\",129]]")"
		refused "EINVAL: allowed-ip needs family, addr and cidr [attr allowed-ip]" \
			member-set "$(allowed_ip_req "$leaf" \
			"[[\"family\",2],[\"addr\",\"0a000002\"]]")"
	done
}

test_rx_key_leaf()
{
	local msg="EINVAL: rx-key leaf is repeated or this device's own [attr rx-key.leaf]"

	refused "$msg" epoch-new "$(epoch_req 1 2 2222222222222222 \
		"$(rx_key 1)" "$(rx_key 1)")"
	refused "$msg" epoch-new "$(epoch_req 1 2 2222222222222222 \
		"$(rx_key 1)" "$(rx_key 2)" "$(rx_key 1)")"
	refused "$msg" epoch-new "$(epoch_req 1 2 2222222222222222 \
		"$(rx_key 0)")"
}

# After test_4096_rx_keys: epoch 2 is next.
test_second_next_epoch()
{
	refused "EBUSY: a next epoch is already installed (swap or delete it first)" \
		epoch-new "$(epoch_req 1 3 3333333333333333 "$(rx_key 1)")"
}

test_duplicate_epoch_or_tag()
{
	local stale="EEXIST: epoch number is not above the highest this group has had (installing an epoch again would reuse nonces)"
	local tag="EEXIST: tag already installed"

	# Live epochs: the number of the current epoch, the tag of the
	# current epoch of this group and of another group of the device (tags
	# name epochs per device: its socket is where packets arrive).
	# dp_security.sh covers numbers and tags of epochs no longer live.
	refused "$stale" epoch-new "$(epoch_req 1 1 2222222222222222 "$(rx_key 1)")"
	refused "$tag" epoch-new "$(epoch_req 1 9 "$TAG1" "$(rx_key 1)")"
	refused "$tag" epoch-new "$(epoch_req 1 9 "$TAG5" "$(rx_key 1)")"
}

test_swap_without_next()
{
	refused "ENOENT: no next epoch to swap to" \
		epoch-swap "[$SEL,[\"group-id\",1]]"
}

test_delete_unknown_epoch()
{
	refused "ENOENT: no such epoch in this group [attr epoch]" \
		epoch-del "[$SEL,[\"group-id\",1],[\"epoch\",42]]"
	refused "ENOENT: no such epoch in this group [attr epoch]" \
		epoch-del "[$SEL,[\"group-id\",1],[\"epoch\",7]]"
}

port_bound()
{
	in_ns "$NS" ss -Huln "sport = :$1" | grep -q .
}

test_unbindable_port()
{
	refused "EADDRINUSE: cannot bind the UDP port [attr listen-port]" \
		dev-set "[$SEL,[\"listen-port\",$PORT1]]"
	check "mlsdco0 still listens on its port" port_bound "$PORT0"
}

test_hard_limit_too_big()
{
	refused "ERANGE: integer out of range [attr hard-limit]" \
		dev-set "[$SEL,[\"hard-limit\",$(((1 << 32) + 1))]]"
	refused "ERANGE: integer out of range [attr hard-limit]" \
		dev-set "[$SEL,[\"hard-limit\",18446744073709551615]]"
	refused "ERANGE: integer out of range [attr hard-limit]" \
		dev-set "[$SEL,[\"listen-port\",4000],[\"hard-limit\",$((1 << 33))]]"
}

test_too_many_rx_keys()
{
	refused "E2BIG: more than 4096 rx keys (the most one epoch takes)" \
		epoch-new "$(epoch_req 1 2 2222222222222222)" --rx-keys 4097
}

# Installs epoch 2 as next, with a grace time that keeps it next for the
# rest of the script.
test_4096_rx_keys()
{
	local req

	req=$(epoch_req 1 2 2222222222222222)
	check_eq "4096 rx keys" ok \
		"$(raw "do" epoch-new "${req%]},[\"grace-ms\",600000]]" --rx-keys 4096)"
	check "epoch 2 is next" grep -q '"epoch":2,"state":"next"' <<<"$(state)"
}

ktap_begin 16
fixture >"$LIB_TMP/fixture.log" 2>&1 || { cat "$LIB_TMP/fixture.log"; log "fixture failed"; }
run_case ifname_ifindex_mismatch test_selector_mismatch
run_case dev_set_nothing_to_set test_nothing_to_set
run_case dump_with_selector test_dump_with_selector
run_case unknown_attributes test_unknown_attributes
run_case bad_allowed_ip test_bad_allowed_ip
run_case group_flags_and_relay test_group_flags_and_relay
run_case rx_key_repeated_or_own_leaf test_rx_key_leaf
run_case duplicate_epoch_or_tag test_duplicate_epoch_or_tag
run_case swap_without_next test_swap_without_next
run_case delete_unknown_epoch test_delete_unknown_epoch
run_case unbindable_port test_unbindable_port
run_case hard_limit_above_2_32 test_hard_limit_too_big
run_case more_than_4096_rx_keys test_too_many_rx_keys
run_case exactly_4096_rx_keys_accepted test_4096_rx_keys
run_case second_next_epoch test_second_next_epoch
run_case module_unload mlsdco_unload
ktap_finish
