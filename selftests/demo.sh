#!/bin/bash
# SPDX-License-Identifier: MIT
#
# "make demo": the whole VPN in the VM (selftests/vm/run.sh --demo). A
# relay and three hosts in network namespaces on one bridge, a network CA
# made with mlsctl, mlsd on every host; nothing is keyed by hand. It
# shows: the hosts join through the untrusted relay; every pair pings;
# one multicast (mDNS) packet reaches both others; iperf3 through the
# tunnel; a fourth host joins; a host whose certificate the CA did not
# sign is refused; a rekey under traffic loses nothing; mlsctl status.
# The kernel-only walkthroughs are the dp_*.sh selftests.

. "$(dirname "$(readlink -f "$0")")/lib.sh"

MLSD=${MLSD:-$REPO/build/bin/mlsd}
MLSRELAY=${MLSRELAY:-$REPO/build/bin/mlsrelay}
W=$LIB_TMP/demo
declare -a NS

say() { printf '\n==> %s\n' "$*"; }

# run COMMAND...: echo it like a shell session, then run it.
run()
{
	printf '$ %s\n' "$*"
	"$@"
}

die() { echo "demo: $*" >&2; exit 1; }

tun4() { echo "10.7.0.$1"; }

# underlay I NS: the namespace's port on the bridge, 192.0.2.I
underlay()
{
	ip -n "$BR" link add "p$1" type veth peer name ul0 netns "$2" &&
	ip -n "$BR" link set "p$1" master br0 up &&
	ip -n "$2" link set ul0 up &&
	ip -n "$2" addr add "192.0.2.$1/24" dev ul0
}

relay_up()
{
	RELAY_NS=$(ns_create) && underlay 100 "$RELAY_NS" || return 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$W/relay-key.pem" -out "$W/relay-cert.pem" -days 2 \
		-subj /CN=demo-relay 2>/dev/null || return 1
	PIN=$(openssl x509 -in "$W/relay-cert.pem" -outform DER |
	      sha256sum | cut -d' ' -f1)
	cat >"$W/relay.conf" <<EOF
listen		192.0.2.100:4433
listen-udp	192.0.2.100:51830
cert		$W/relay-cert.pem
key		$W/relay-key.pem
database	$W/relay.db
EOF
	in_ns_bg "$RELAY_NS" "$MLSRELAY" -c "$W/relay.conf" >"$W/relay.log" 2>&1
	on_exit kill $!
	wait_until 20 listening "$RELAY_NS" 4433
}

listening() { in_ns "$1" ss -Htln "sport = :$2" | grep -q .; }

# host I [CA]: namespace, key, certificate and mlsd.conf of host hI
host()
{
	local i=$1 ca=${2:-$W/ca} d=$W/h$1

	NS[$i]=$(ns_create) && underlay "$i" "${NS[$i]}" || return 1
	mkdir -p "$d"
	"$MLSCTL" genkey --out "$d/key" &&
	"$MLSCTL" pubkey <"$d/key" >"$d/pub" || return 1
	"$MLSCTL" ca sign "h$i" --ip "$(tun4 "$i")/32" --pubkey "$d/pub" \
		--ca-key "$ca/ca.key" --out "$d/cert" >/dev/null || return 1
	cat >"$d/mlsd.conf" <<EOF
[Interface]
Name = h$i
PrivateKeyFile = key
Certificate = cert
Address = $(tun4 "$i")/24
StateFile = state
ControlSocket = $d/sock

[Network]
Name = demo
CA = $W/ca/ca.pub

[Relay]
Address = 192.0.2.100:4433
DataAddress = 192.0.2.100:51830
Fingerprint = sha256:$PIN
Keepalive = 1
EOF
}

mlsd_start()
{
	in_ns_bg "${NS[$1]}" "$MLSD" -c "$W/h$1/mlsd.conf" -f \
		>>"$W/h$1/log" 2>&1
	on_exit kill $!
}

ctl() { local i=$1; shift; in_ns "${NS[$i]}" "$MLSCTL" -s "$W/h$i/sock" "$@"; }

# the network epoch host I reports, from its status line
net_epoch()
{
	ctl "$1" status -j 2>/dev/null | python3 -c 'import json, sys
s = json.load(sys.stdin)
print([g["epoch"] for g in s["groups"] if g["name"] == "network"][0],
      len(s["hosts"]), len(s["groups"]))'
}

# agree N I...: hosts I... report one network epoch, N-1 hosts, N groups
agree()
{
	local n=$1 first="" e
	shift

	for i in "$@"; do
		e=$(net_epoch "$i") || return 1
		[ "${e#* }" = "$((n - 1)) $n" ] || return 1
		[ -z "$first" ] && first=$e
		[ "$e" = "$first" ] || return 1
	done
}

ping_ok() { in_ns "${NS[$1]}" ping -c 1 -W 2 "$(tun4 "$2")" >/dev/null; }

mcast_listen()
{
	in_ns "${NS[$1]}" timeout 20 python3 -c 'import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("224.0.0.251", 5353))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
             struct.pack("4s4s", socket.inet_aton("224.0.0.251"),
                         socket.inet_aton(sys.argv[1])))
data, src = s.recvfrom(2048)
print("  h%s got %r from %s" % (sys.argv[2], data, src[0]))' \
		"$(tun4 "$1")" "$1" &
	LISTENERS="$LISTENERS $!"
}

mcast_send()
{
	in_ns "${NS[$1]}" python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
             socket.inet_aton(sys.argv[1]))
s.sendto(b"mDNS hello from h1", ("224.0.0.251", 5353))' "$(tun4 "$1")"
}

require_root
mlsdco_load || die "cannot load the module"
mkdir -p "$W"
BR=$(ns_create) || die "no namespace"
ip -n "$BR" link add br0 type bridge && ip -n "$BR" link set br0 up

say "A network CA, made with mlsctl (its key never leaves this folder)"
run "$MLSCTL" ca init --network demo --out "$W/ca" || die "ca init"
"$MLSCTL" ca init --network demo --out "$W/other-ca" >/dev/null

say "The relay: untrusted, it orders MLS messages and forwards ciphertext"
relay_up || { cat "$W/relay.log"; die "relay did not start"; }
echo "  mlsrelay on 192.0.2.100 (TLS 4433, UDP 51830), pinned by fingerprint"

say "Three hosts: a key each, a certificate for its tunnel address, mlsd"
for i in 1 2 3; do
	host "$i" || die "host h$i"
	echo "  h$i: $(tun4 "$i"), certificate signed by the network CA"
done
printf '$ cat h1/mlsd.conf\n'
sed 's/^/  /' "$W/h1/mlsd.conf"
for i in 1 2 3; do mlsd_start "$i"; sleep 1; done

say "They join: h1 creates the network group, h2 and h3 join through the relay"
wait_until 120 agree 3 1 2 3 ||
	{ tail -n 20 "$W"/h*/log; die "the hosts did not agree"; }
grep -h "status group=mlsdco/net/" "$W/h3/log" | tail -n 1 | sed 's/^/  /'
echo "  every host is in the network group and a pair group with each other"

say "Every pair pings through the tunnel (unicast under pair-group keys)"
for i in 1 2 3; do
	for j in 1 2 3; do
		[ "$i" = "$j" ] && continue
		wait_until 20 ping_ok "$i" "$j" || die "h$i cannot ping h$j"
		echo "  h$i -> h$j ok"
	done
done

say "One mDNS packet from h1 reaches both others (encrypted once)"
for i in 1 2 3; do
	ip -n "${NS[$i]}" route replace 224.0.0.0/4 dev mlsdco0
done
LISTENERS=
mcast_listen 2
mcast_listen 3
sleep 2
mcast_send 1
# shellcheck disable=SC2086
wait $LISTENERS

say "iperf3 through the tunnel, h1 -> h2 (TCG: a slow virtual CPU)"
in_ns_bg "${NS[2]}" iperf3 -s -1 >/dev/null 2>&1
wait_until 10 listening "${NS[2]}" 5201
run in_ns "${NS[1]}" iperf3 -c "$(tun4 2)" -t 3 -f m | grep -E "sender|receiver"

say "A fourth host joins; everyone rekeys"
host 4 || die "host h4"
mlsd_start 4
wait_until 120 agree 4 1 2 3 4 || die "h4 did not join"
wait_until 30 ping_ok 4 1 || die "h4 cannot ping h1"
echo "  h4 -> h1 ok; network epoch now $(net_epoch 1 | cut -d' ' -f1)"

say "A host with a certificate from another CA is refused"
host 5 "$W/other-ca" || die "host h5"
in_ns "${NS[5]}" "$MLSD" -c "$W/h5/mlsd.conf" -f 2>&1 | head -n 1 | sed 's/^/  /'

say "Rekey under traffic: UDP at a fixed rate while h1 commits 3 self-Updates in the h1-h2 pair group"
in_ns_bg "${NS[2]}" iperf3 -s -1 >/dev/null 2>&1
wait_until 10 listening "${NS[2]}" 5201
in_ns_bg "${NS[1]}" iperf3 -c "$(tun4 2)" -u -b 2M -t 6 -l 1000 \
	>"$W/iperf-udp" 2>&1
IPERF=$!
for n in 1 2 3; do
	sleep 1.5
	run ctl 1 rekey pair/h2 | sed 's/^/  /'
done
wait "$IPERF"
grep -E "receiver" "$W/iperf-udp" | sed 's/^/  /'
echo "  pair/h2 epoch now $(ctl 1 status -j | python3 -c 'import json, sys
print([g["epoch"] for g in json.load(sys.stdin)["groups"]
       if g["name"] == "pair/h2"][0])')"

say "mlsctl status on h1"
run ctl 1 status

say "Done: no key was typed by hand, and the relay never held one"
