#!/bin/bash
# SPDX-License-Identifier: MIT
#
# What "make demo" shows inside the VM (selftests/vm/run.sh --demo): the
# module loads, mlsdco links live in two network namespaces, ip(8) and
# mlsctl both see them, the listen port is configured over generic netlink,
# the kernel explains what it refuses, and unloading removes every link.

set -uo pipefail

REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
KO=${MLSDCO_KO:-$REPO/kmod/mlsdco.ko}
MLSCTL=${MLSCTL:-$REPO/build/bin/mlsctl}
NS_A=demo-alpha
NS_B=demo-bravo
export PATH=$PATH:/usr/sbin:/sbin

say()
{
	printf '\n==> %s\n' "$*"
}

# run COMMAND...: echo it like a shell session, then run it.
run()
{
	printf '$ %s\n' "$*"
	"$@"
}

# expect_fail COMMAND...: a command the demo shows failing, and why.
expect_fail()
{
	local rc=0

	printf '$ %s\n' "$*"
	"$@" || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "demo: this should have been refused" >&2
		exit 1
	fi
	echo "(failed as expected, exit code $rc)"
}

in_ns()
{
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# load_module: insmod does not load what the module needs (udp_tunnel,
# ip6_udp_tunnel), so modprobe the dependencies it declares first.
load_module()
{
	local deps

	deps=$(modinfo -F depends "$KO" | tr ',' ' ')
	# shellcheck disable=SC2086 # one word per module
	[ -z "$deps" ] || run modprobe -a $deps
	run insmod "$KO"
}

# wait_listen NS PORT: until a TCP socket listens on PORT in NS (a
# background server may take a while to start in a slow VM).
wait_listen()
{
	for _ in $(seq 50); do
		in_ns "$1" ss -Htln "sport = :$2" | grep -q . && return 0
		sleep 0.2
	done
	echo "demo: nothing listens on port $2 in $1" >&2
	return 1
}

cleanup()
{
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	[ -d /sys/module/mlsdco ] && rmmod mlsdco 2>/dev/null
	return 0
}
trap cleanup EXIT

set -e

say "Loading mlsdco.ko from this tree into kernel $(uname -r)"
[ -d /sys/module/mlsdco ] && rmmod mlsdco
load_module
run grep -w mlsdco /proc/modules

say "Two network namespaces, $NS_A and $NS_B, with mlsdco links in each"
run ip netns add "$NS_A"
run ip netns add "$NS_B"
run ip -n "$NS_A" link add mlsdco0 type mlsdco
run ip -n "$NS_A" link add mlsdco1 type mlsdco
run ip -n "$NS_B" link add mlsdco0 type mlsdco

say "ip sees a layer-3 point-to-point device: no L2 header, no ARP, MTU 1420"
echo "(1420 = 1500 - 40 IPv6 - 8 UDP - 16 mlsdco header - 16 AEAD tag)"
run ip -n "$NS_A" -d link show mlsdco0

say "mlsctl asks the kernel over the \"mlsdco\" generic netlink family"
run in_ns "$NS_A" "$MLSCTL" dev show
run in_ns "$NS_A" "$MLSCTL" dev show -j
run in_ns "$NS_B" "$MLSCTL" dev show

say "Set the UDP listen port of $NS_A/mlsdco0 (stored until the data plane opens the socket)"
run in_ns "$NS_A" "$MLSCTL" dev set mlsdco0 port 51820
run in_ns "$NS_A" "$MLSCTL" dev show mlsdco0
run in_ns "$NS_A" "$MLSCTL" dev show -j
echo "(namespaces are separate: $NS_B/mlsdco0 still has port 0)"
run in_ns "$NS_B" "$MLSCTL" dev show mlsdco0

say "The kernel says why it refuses (extended ACK messages)"
expect_fail in_ns "$NS_A" "$MLSCTL" dev show nosuch0
expect_fail in_ns "$NS_A" "$MLSCTL" dev show lo
expect_fail in_ns "$NS_A" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$MLSCTL" dev set mlsdco0 port 1
expect_fail in_ns "$NS_A" "$MLSCTL" dev set mlsdco0 port 70000

say "No keys are installed yet, so packets sent into the tunnel are dropped and counted"
run ip -n "$NS_A" addr add 10.77.0.1/24 dev mlsdco0
run ip -n "$NS_A" link set mlsdco0 up
expect_fail in_ns "$NS_A" ping -q -c 3 -i 0.2 -W 1 10.77.0.2
run ip -n "$NS_A" -s link show mlsdco0

say "Links may move between namespaces (their socket will stay where they were created)"
run ip -n "$NS_A" link set mlsdco1 netns "$NS_B" name mlsdco1
run in_ns "$NS_B" "$MLSCTL" dev show

say "Unloading the module deletes every mlsdco link in every namespace"
run rmmod mlsdco
run ip -n "$NS_A" link show type mlsdco
run ip -n "$NS_B" link show type mlsdco
expect_fail in_ns "$NS_A" "$MLSCTL" dev show

say "The data plane: $NS_A and $NS_B talk through mlsdco over a veth 'underlay'"
load_module
run ip link add ul-a netns "$NS_A" type veth peer name ul-b netns "$NS_B"
run ip -n "$NS_A" addr add 192.0.2.1/24 dev ul-a
run ip -n "$NS_B" addr add 192.0.2.2/24 dev ul-b
run ip -n "$NS_A" link set ul-a up
run ip -n "$NS_B" link set ul-b up
for ns in "$NS_A" "$NS_B"; do
	n=$([ "$ns" = "$NS_A" ] && echo 1 || echo 2)
	run ip -n "$ns" link add mlsdco0 type mlsdco
	run ip -n "$ns" addr add "10.77.0.$n/24" dev mlsdco0
	run ip -n "$ns" link set mlsdco0 up
	run in_ns "$ns" "$MLSCTL" dev set mlsdco0 port $((51820 + n))
done

say "A 2-member group (id 1, AES-128-GCM): $NS_A is leaf 0, $NS_B is leaf 1"
run in_ns "$NS_A" "$MLSCTL" group add mlsdco0 id 1 aead aes-128-gcm leaf 0
run in_ns "$NS_B" "$MLSCTL" group add mlsdco0 id 1 aead aes-128-gcm leaf 1
run in_ns "$NS_A" "$MLSCTL" member set mlsdco0 group 1 leaf 1 \
	endpoint 192.0.2.2:51822 allowed-ips 10.77.0.2/32
run in_ns "$NS_B" "$MLSCTL" member set mlsdco0 group 1 leaf 0 \
	endpoint 192.0.2.1:51821 allowed-ips 10.77.0.1/32

say "Epoch 1: keys (here random; mlsd exports them from MLS) go in on stdin, never argv"
hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
TAG=$(hex 8)
KEY0="$(hex 16) $(hex 12)"
KEY1="$(hex 16) $(hex 12)"
echo "(key text format: \"tx KEYHEX NONCEHEX\" and \"rx LEAF KEYHEX NONCEHEX\" lines)"
printf '$ printf "tx ...\\nrx 1 ..." | mlsctl epoch add mlsdco0 group 1 epoch 1 tag %s keys -\n' "$TAG"
printf 'tx %s\nrx 1 %s\n' "$KEY0" "$KEY1" |
	in_ns "$NS_A" "$MLSCTL" epoch add mlsdco0 group 1 epoch 1 tag "$TAG" keys -
printf 'tx %s\nrx 0 %s\n' "$KEY1" "$KEY0" |
	in_ns "$NS_B" "$MLSCTL" epoch add mlsdco0 group 1 epoch 1 tag "$TAG" keys -
unset KEY0 KEY1
echo "(a group's first epoch is current at once: there is nothing to swap from)"

say "Ping and a short iperf3 through the tunnel"
run in_ns "$NS_A" ping -c 3 -i 0.2 10.77.0.2
in_ns "$NS_B" iperf3 -s -1 -B 10.77.0.2 >/dev/null 2>&1 &
wait_listen "$NS_B" 5201
run in_ns "$NS_A" iperf3 -c 10.77.0.2 -t 3
wait

say "mlsctl show: groups, epochs, members, endpoints and counters (never keys)"
run in_ns "$NS_A" "$MLSCTL" show
run in_ns "$NS_B" "$MLSCTL" show -j

say "Rekey: epoch 2 installed as next on both, swapped in on $NS_A; $NS_B follows on the first packet"
TAG=$(hex 8)
KEY0="$(hex 16) $(hex 12)"
KEY1="$(hex 16) $(hex 12)"
printf 'tx %s\nrx 1 %s\n' "$KEY0" "$KEY1" |
	in_ns "$NS_A" "$MLSCTL" epoch add mlsdco0 group 1 epoch 2 tag "$TAG" keys -
printf 'tx %s\nrx 0 %s\n' "$KEY1" "$KEY0" |
	in_ns "$NS_B" "$MLSCTL" epoch add mlsdco0 group 1 epoch 2 tag "$TAG" keys -
unset KEY0 KEY1
run in_ns "$NS_A" "$MLSCTL" epoch swap mlsdco0 group 1
run in_ns "$NS_A" ping -c 3 -i 0.2 10.77.0.2
run in_ns "$NS_B" "$MLSCTL" show mlsdco0
run rmmod mlsdco

say "Demo finished"
