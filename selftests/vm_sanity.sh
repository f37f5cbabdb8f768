#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The test environment itself: namespaces, veth, WireGuard as an in-tree
# anchor, and the CPU crypto drivers the benchmarks assume. If this fails,
# the other scripts' results mean nothing.

. "$(dirname "$(readlink -f "$0")")/lib.sh"

require_root
require_cmd ip ping

# veth_pair NS1 NS2: 10.99.0.1/24 in NS1, 10.99.0.2/24 in NS2.
veth_pair()
{
	ip -n "$1" link add veth0 type veth peer name veth0 netns "$2" &&
	ip -n "$1" addr add 10.99.0.1/24 dev veth0 &&
	ip -n "$2" addr add 10.99.0.2/24 dev veth0 &&
	ip -n "$1" link set veth0 up &&
	ip -n "$2" link set veth0 up
}

test_veth_ping()
{
	local a b

	a=$(ns_create) && b=$(ns_create) || return 1
	check "veth pair across namespaces" veth_pair "$a" "$b"
	check "ping over veth" quiet in_ns "$a" ping -c 2 -i 0.2 -W 10 10.99.0.2
	check_fails "ping to an address nobody owns" \
		in_ns "$a" ping -q -c 1 -W 1 10.99.0.3 >/dev/null
}

wg_peer_up()
{
	local ns=$1 key=$2 addr=$3 port=$4 peer_pub=$5 peer_ip=$6 peer_port=$7

	ip -n "$ns" link add wg0 type wireguard &&
	in_ns "$ns" wg set wg0 private-key "$key" listen-port "$port" \
		peer "$peer_pub" endpoint "$peer_ip:$peer_port" \
		allowed-ips 10.98.0.0/24 &&
	ip -n "$ns" addr add "$addr/24" dev wg0 &&
	ip -n "$ns" link set wg0 up
}

test_wireguard_ping()
{
	local a b ka kb pa pb

	command -v wg >/dev/null || skip_case "wg not installed"
	modprobe wireguard 2>/dev/null || skip_case "no wireguard module"
	a=$(ns_create) && b=$(ns_create) || return 1
	check "veth pair" veth_pair "$a" "$b"
	ka=$LIB_TMP/ka kb=$LIB_TMP/kb
	(umask 077 && wg genkey >"$ka" && wg genkey >"$kb") || return 1
	pa=$(wg pubkey <"$ka") && pb=$(wg pubkey <"$kb") || return 1
	check "wg0 in $a" wg_peer_up "$a" "$ka" 10.98.0.1 51820 "$pb" 10.99.0.2 51821
	check "wg0 in $b" wg_peer_up "$b" "$kb" 10.98.0.2 51821 "$pa" 10.99.0.1 51820
	check "ping through WireGuard" \
		quiet in_ns "$a" ping -q -c 2 -i 0.2 -W 10 10.98.0.2
	check "handshake completed" handshake_done "$a"
}

# handshake_done NS: wg0's one peer has a handshake time (seconds since
# the epoch; 0 means none). A failing "wg show" is a failure too.
handshake_done()
{
	local out t

	out=$(in_ns "$1" wg show wg0 latest-handshakes) ||
		{ echo "wg show failed"; return 1; }
	t=$(cut -f2 <<<"$out")
	echo "latest handshake: '$t'"
	[[ $t =~ ^[0-9]+$ ]] && [ "$t" -gt 0 ]
}

# Without udev nothing loads these; the benchmarks would measure C code.
# Driver names are those of the VM's kernel (6.1); newer kernels renamed
# them, so elsewhere this says nothing.
test_cpu_crypto()
{
	local driver

	[ "${MLSDCO_IN_VM:-0}" = 1 ] || skip_case "checks the test VM's kernel only"

	for driver in generic-gcm-aesni chacha20-simd poly1305-simd; do
		grep -q "^driver *: $driver\$" /proc/crypto ||
			{ echo "FAIL: crypto driver $driver not registered"; return 1; }
	done
}

ktap_begin 3
run_case veth_ping test_veth_ping
run_case wireguard_ping test_wireguard_ping
run_case cpu_crypto test_cpu_crypto
ktap_finish
