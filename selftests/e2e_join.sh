#!/bin/bash
# SPDX-License-Identifier: MIT
#
# End to end: a relay namespace running the real mlsrelay, three host
# namespaces each running mlsd with a configuration made here with
# mlsctl genkey/pubkey/ca init/ca sign. Nothing is keyed by hand: mlsd
# creates and joins the network group through the relay, makes the pair
# groups and installs every epoch in the kernel.
#
#  - all three reach the same network-group epoch (the epoch
#    authenticator in mlsd's status line, and the kernel's epochs);
#  - every host has a pair group with each other host;
#  - every pair pings over IPv4 and IPv6 through the tunnel;
#  - a multicast packet reaches both others, and the sender's
#    network-group TX counter rises by exactly one per packet;
#  - mlsctl status through each host's control socket shows the network,
#    its groups and hosts with their certified addresses, and
#    `mlsctl rekey network` moves every host to the next epoch, which
#    `mlsctl monitor agent -j` on h1 reports as an epoch event;
#  - UDP at a fixed rate through a pair group loses nothing while it
#    rekeys three times;
#  - the kernel's key-soft-limit event makes mlsd rekey the group;
#  - a restarted mlsd keeps the kernel's epochs as they are; one whose
#    kernel state is gone (device deleted) commits a fresh epoch first
#    and never installs a saved one again;
#  - a host whose certificate another CA signed is refused at its own
#    startup, and a host without a certificate that tries to join is
#    refused by every member; neither becomes a kernel member anywhere.
#
# h3 checks the relay certificate with CAFile, h1 and h2 by Fingerprint.
#
# Topology: bridge 192.0.2.0/24 (relay .100, hosts .1-.3, refused .4-.5),
# tunnel 10.7.0.0/24 and fd00:7::/64. Keepalive is 1 s, so that the
# relay learns every (group, leaf) endpoint within a second of an epoch
# (the kernel counts keepalives apart from tx_packets).

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

MLSD=${MLSD:-$REPO/build/bin/mlsd}
MLSRELAY=${MLSRELAY:-$REPO/build/bin/mlsrelay}
NET_GID=mlsdco/net/corp
W=$LIB_TMP/world
declare -a NS

require_dataplane
require_cmd openssl
require_cmd iperf3
[ -x "$MLSD" ] || ktap_skip_all "$MLSD not built (make)"
[ -x "$MLSRELAY" ] || ktap_skip_all "$MLSRELAY not built (make)"

tun4() { echo "10.7.0.$1"; }
tun6() { echo "fd00:7::$1"; }

# ---- the world (built once, before the cases) --------------------------

# port NAME: an underlay port of the bridge into a new namespace at .ADDR
net_host()
{
	local ns=$1 addr=$2

	ip -n "$BR" link add "p$addr" type veth peer name ul0 netns "$ns" ||
		return 1
	ip -n "$BR" link set "p$addr" master br0 up
	ip -n "$ns" link set ul0 up
	ip -n "$ns" addr add "192.0.2.$addr/24" dev ul0
	# mlsd creates mlsdco0: no router solicitations on it (they would
	# move the counters the multicast case compares)
	ip netns exec "$ns" sysctl -qw \
		net.ipv6.conf.default.router_solicitations=0
}

relay_listening()
{
	in_ns "$RELAY_NS" ss -Htln "sport = :4433" | grep -q .
}

relay_up()
{
	RELAY_NS=$(ns_create) || return 1
	net_host "$RELAY_NS" 100 || return 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$W/relay-key.pem" -out "$W/relay-cert.pem" -days 2 \
		-subj /CN=192.0.2.100 -addext subjectAltName=DNS:192.0.2.100 \
		2>/dev/null || return 1
	PIN=$(openssl x509 -in "$W/relay-cert.pem" -outform DER |
	      sha256sum | cut -d' ' -f1)
	cat >"$W/relay.conf" <<EOF
listen		192.0.2.100:4433
listen-udp	192.0.2.100:51830
cert		$W/relay-cert.pem
key		$W/relay-key.pem
database	$W/relay.db
EOF
	in_ns_bg "$RELAY_NS" "$MLSRELAY" -c "$W/relay.conf" \
		>"$W/relay.log" 2>&1
	on_exit kill $!
	wait_until 20 relay_listening ||
		{ echo "the relay does not listen"; cat "$W/relay.log"; return 1; }
}

# host_conf I [CA_DIR|none]: key, certificate (signed by CA_DIR's CA,
# none: no certificate) and mlsd.conf of host hI, trusting the real CA.
host_conf()
{
	local i=$1 ca=${2:-$W/ca} d=$W/h$1 relay_trust

	# h3 trusts the relay by CA file (its self-signed certificate names
	# the relay's address, as mbedTLS checks dNSName SANs only), the
	# others by fingerprint
	if [ "$i" = 3 ]; then
		relay_trust="CAFile = $W/relay-cert.pem"
	else
		relay_trust="Fingerprint = sha256:$PIN"
	fi
	mkdir -p "$d"
	"$MLSCTL" genkey --out "$d/key" || return 1
	"$MLSCTL" pubkey <"$d/key" >"$d/pub" || return 1
	if [ "$ca" != none ]; then
		"$MLSCTL" ca sign "h$i" --ip "$(tun4 "$i")/32" \
			--ip "$(tun6 "$i")/128" --pubkey "$d/pub" \
			--ca-key "$ca/ca.key" --out "$d/cert" >/dev/null ||
			return 1
	fi
	cat >"$d/mlsd.conf" <<EOF
[Interface]
Name = h$i
PrivateKeyFile = key
$([ "$ca" != none ] && echo "Certificate = cert")
Address = $(tun4 "$i")/24, $(tun6 "$i")/64
StateFile = state
ControlSocket = $d/sock

[Network]
Name = corp
CA = $W/ca/ca.pub
# no timer rekey while the cases compare epochs
RekeyInterval = 3600

[Relay]
Address = 192.0.2.100:4433
DataAddress = 192.0.2.100:51830
$relay_trust
Keepalive = 1
EOF
}

# mlsd_start I: mlsd of host hI in its namespace, log in $W/hI/log.
mlsd_start()
{
	in_ns_bg "${NS[$1]}" "$MLSD" -c "$W/h$1/mlsd.conf" -f \
		>>"$W/h$1/log" 2>&1
	echo $! >"$W/h$1/pid"
	on_exit kill "$(cat "$W/h$1/pid")"
}

world_up()
{
	local i

	mkdir -p "$W"
	check "load" mlsdco_load
	BR=$(ns_create) || return 1
	ip -n "$BR" link add br0 type bridge || return 1
	ip -n "$BR" link set br0 up
	relay_up || return 1
	"$MLSCTL" ca init --network corp --out "$W/ca" >/dev/null || return 1
	"$MLSCTL" ca init --network corp --out "$W/rogue-ca" >/dev/null ||
		return 1
	for i in 1 2 3 4 5; do
		NS[$i]=$(ns_create) || return 1
		net_host "${NS[$i]}" "$i" || return 1
	done
	for i in 1 2 3; do
		host_conf "$i" || return 1
	done
	host_conf 4 "$W/rogue-ca" || return 1
	host_conf 5 none || return 1
}

# ---- what mlsd says -------------------------------------------------------

# net_status I: host hI's last status line of the network group.
net_status()
{
	grep "status group=$NET_GID " "$W/h$1/log" | tail -n1
}

# net_field I FIELD: epoch, members or auth of that line.
net_field()
{
	net_status "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"
}

net_members_is()
{
	[ "$(net_field "$1" members)" = "$2" ]
}

# all_agree: the three hosts show one epoch and authenticator, 3 members.
all_agree()
{
	local i

	for i in 1 2 3; do
		net_members_is "$i" 3 || return 1
		[ "$(net_status "$i" | cut -d' ' -f3-)" = \
		  "$(net_status 1 | cut -d' ' -f3-)" ] || return 1
	done
}

# kernel_members NS GROUP: how many members a kernel group has (-1: no
# such group), from mlsctl show's text (python's start-up costs a second
# under TCG).
kernel_members()
{
	mlsctl_in "$1" show "$DP_DEV" | awk -v g="$2" '
		/^group: / { in_g = ($2 == g); if (in_g) n = 0 }
		in_g && /^  member: leaf / { n++ }
		END { print (n == "" ? -1 : n) }'
}

# kernel_groups NS: how many groups the kernel has on NS's device.
kernel_groups()
{
	mlsctl_in "$1" show "$DP_DEV" | grep -c '^group: '
}

pair_groups_ready()
{
	local i

	for i in 1 2 3; do
		[ "$(grep -c "status group=mlsdco/pair/corp/.* members=2 " \
		     "$W/h$i/log")" -ge 2 ] || return 1
		[ "$(kernel_groups "${NS[$i]}")" = 3 ] || return 1
	done
}

# epoch_is_current NS GROUP E
epoch_is_current()
{
	grep -qw "$3:current" <<<"$(epoch_states "$1" "$2")"
}

no_next_epoch()
{
	! grep -q ":next" <<<"$(epoch_states "$1" "$2")"
}

# ---- cases -------------------------------------------------------------------

test_network_group_forms()
{
	local i e

	mlsd_start 1
	check "h1 creates the network group" \
		wait_until 60 net_members_is 1 1
	# h2 and h3 together: their external Commits race for one epoch at
	# the relay, and the loser joins again from the newer GroupInfo
	mlsd_start 2
	mlsd_start 3
	check "all three reach one epoch" wait_until 90 all_agree
	net_status 1
	e=$(net_field 1 epoch)
	for i in 1 2 3; do
		# the kernel has that epoch as current in group 1 (mlsd
		# never swaps: the first packet or the grace time does)
		check "h$i's kernel has epoch $e current" \
			wait_until 15 epoch_is_current "${NS[$i]}" 1 "$e"
		check_eq "h$i's kernel members of the network group" 2 \
			"$(kernel_members "${NS[$i]}" 1)"
	done
}

test_pair_groups()
{
	check "every host has a pair group with each other host" \
		wait_until 90 pair_groups_ready
	grep -h "status group=mlsdco/pair/" "$W"/h[123]/log
}

ping_all()
{
	local fam=$1 i j

	for i in 1 2 3; do
		for j in 1 2 3; do
			[ "$i" = "$j" ] && continue
			if [ "$fam" = 6 ]; then
				check "h$i pings h$j (IPv6)" \
					ping_ok "${NS[$i]}" "$(tun6 "$j")"
			else
				check "h$i pings h$j (IPv4)" \
					ping_ok "${NS[$i]}" "$(tun4 "$j")"
			fi
		done
	done
}

test_ping_ipv4() { ping_all 4; }
test_ping_ipv6() { ping_all 6; }

# mcast_send I PORT COUNT: COUNT datagrams from hI to 224.0.0.251:PORT.
mcast_send()
{
	in_ns "${NS[$1]}" python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
             socket.inet_aton(sys.argv[1]))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
for n in range(int(sys.argv[3])):
    s.sendto(b"e2e %d" % n, ("224.0.0.251", int(sys.argv[2])))' \
		"$(tun4 "$1")" "$2" "$3"
}

# mcast_listen I FILE: hI receives 224.0.0.251:5353 for 30 s into FILE.
mcast_listen()
{
	in_ns "${NS[$1]}" timeout 30 python3 -c 'import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("224.0.0.251", 5353))
mreq = struct.pack("4s4s", socket.inet_aton("224.0.0.251"),
                   socket.inet_aton(sys.argv[1]))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
print("listening", flush=True)
while True:
    data, src = s.recvfrom(2048)
    print(src[0], data.decode(), flush=True)' "$(tun4 "$1")" >"$2" 2>&1 &
}

got_all()
{
	[ "$(grep -c "^$(tun4 1) e2e " "$1")" -ge 3 ]
}

test_multicast()
{
	local i before after

	for i in 1 2 3; do
		in_ns "${NS[$i]}" ip route replace 224.0.0.0/4 dev "$DP_DEV" ||
			return 1
	done
	mcast_listen 2 "$W/mc2"
	mcast_listen 3 "$W/mc3"
	check "listeners up" wait_until 20 grep -q listening "$W/mc3"
	check "listeners up" wait_until 20 grep -q listening "$W/mc2"
	sleep 2
	before=$(group_stat "${NS[1]}" 1 tx_packets) || return 1
	mcast_send 1 5353 3
	check "h2 gets the 3 packets" wait_until 20 got_all "$W/mc2"
	check "h3 gets the 3 packets" wait_until 20 got_all "$W/mc3"
	after=$(group_stat "${NS[1]}" 1 tx_packets) || return 1
	check_eq "h1's network group sent one copy per packet" \
		$((before + 3)) "$after"
}

# pair_epoch I A/B: hI's last epoch of the pair group of hA and hB.
pair_epoch()
{
	grep "status group=mlsdco/pair/corp/$2 " "$W/h$1/log" | tail -n1 |
		sed -n 's/.* epoch=\([0-9]*\) .*/\1/p'
}

pair_rekeyed()
{
	[ "$(pair_epoch 1 h1/h2)" -gt "$1" ] &&
		[ "$(pair_epoch 2 h1/h2)" = "$(pair_epoch 1 h1/h2)" ]
}

test_soft_limit_rekeys()
{
	local e

	e=$(pair_epoch 1 h1/h2)
	check "soft limit 3 on h1" \
		mlsctl_in "${NS[1]}" dev set "$DP_DEV" soft-limit 3
	on_exit mlsctl_in "${NS[1]}" dev set "$DP_DEV" soft-limit 0
	in_ns "${NS[1]}" ping -c 6 -i 0.3 -W 5 "$(tun4 2)" >/dev/null
	check "h1 rekeys the pair group and h2 follows" \
		wait_until 30 pair_rekeyed "$e"
	check "h1 says why" grep -q "h1/h2: kernel says key-soft-limit: rekeying" \
		"$W/h1/log"
	check "soft limit back to the default" \
		mlsctl_in "${NS[1]}" dev set "$DP_DEV" soft-limit 0
	sleep 1
	check "h1 pings h2 in the new epoch" ping_ok "${NS[1]}" "$(tun4 2)"
	check "h2 pings h1 in the new epoch" ping_ok "${NS[2]}" "$(tun4 1)"
}

# mlsd_stop I: SIGTERM, and wait until it is gone.
mlsd_stop()
{
	local pid

	pid=$(cat "$W/h$1/pid")
	kill "$pid" || return 1
	wait_until 20 eval "! kill -0 $pid 2>/dev/null"
}

# connects I N: hI's log shows N relay connections.
connects()
{
	[ "$(grep -c "relay 192.0.2.100:4433 connected" "$W/h$1/log")" -ge "$2" ]
}

test_restart_keeps_kernel_state()
{
	local before after

	# no epoch waiting as next, whose grace time could swap it meanwhile
	check "h3's network group has settled" \
		wait_until 15 no_next_epoch "${NS[3]}" 1
	before=$(epoch_states "${NS[3]}" 1) || return 1
	check "h3's mlsd stops" mlsd_stop 3
	mlsd_start 3
	check "h3 reconnects" wait_until 30 connects 3 2
	sleep 1
	after=$(epoch_states "${NS[3]}" 1) || return 1
	# nothing was installed again: the same current epoch and nothing
	# newer (the previous one may have reached its grace time meanwhile)
	check_eq "h3's current kernel epoch after the restart" \
		"$(grep -o '[0-9]*:current' <<<"$before")" \
		"$(grep -o '[0-9]*:current' <<<"$after")"
	check_eq "h3's newest kernel epoch after the restart" \
		"${before##* }" "${after##* }"
	check_fails "no install refused" grep -q "epoch-new" "$W/h3/log"
	check "h3 pings h1" ping_ok "${NS[3]}" "$(tun4 1)"
}

net_epoch_above()
{
	[ "$(net_field "$1" epoch)" -gt "$2" ] && all_agree
}

test_lost_kernel_state_fresh_epoch()
{
	local e

	e=$(net_field 2 epoch)
	check "h2's mlsd stops" mlsd_stop 2
	# what a reboot or a module reload leaves: no device, no keys
	check "h2's device goes" ip -n "${NS[2]}" link del "$DP_DEV"
	mlsd_start 2
	check "h2 commits a fresh epoch and all three take it" \
		wait_until 60 net_epoch_above 2 "$e"
	grep -q "the kernel has no epoch of group 1: a self-Update comes first" \
		"$W/h2/log" || { echo "FAIL: h2 did not say why"; return 1; }
	check_eq "h2's kernel has only the fresh epoch" \
		"$(net_field 2 epoch):current" "$(epoch_states "${NS[2]}" 1)"
	check "h2 pings h1" ping_ok "${NS[2]}" "$(tun4 1)"
	check "h1 pings h2" ping_ok "${NS[1]}" "$(tun4 2)"
}

# nobody_extra: no kernel of h1-h3 has a member more than it should
# (2 in the network group, 1 in each pair group, 3 groups in all).
nobody_extra()
{
	local i

	for i in 1 2 3; do
		check_eq "h$i's network group members" 2 \
			"$(kernel_members "${NS[$i]}" 1)"
		check_eq "h$i's kernel groups" 3 "$(kernel_groups "${NS[$i]}")"
	done
}

test_rogue_certificate_refused()
{
	local rc=0

	timeout 30 nsenter --net="/run/netns/${NS[4]}" "$MLSD" \
		-c "$W/h4/mlsd.conf" -f >"$W/h4/log" 2>&1 || rc=$?
	cat "$W/h4/log"
	check_eq "mlsd refuses to start with another CA's certificate" 1 "$rc"
	check "the error names the certificate" \
		grep -q "mlsd.conf:4: Certificate .*/cert: issued by another CA" "$W/h4/log"
	nobody_extra
}

test_uncertified_host_refused()
{
	mlsd_start 5
	# h5 trusts the real CA, so it accepts the group and sends its
	# external Commit; every member must refuse it
	check "h5 sends its external Commit" \
		wait_until 60 grep -q "joined by external Commit" "$W/h5/log"
	for i in 1 2 3; do
		check "h$i refuses h5 by admission" wait_until 30 \
			grep -q "refused the message .*admission: neither a host certificate nor a pinned identity" \
			"$W/h$i/log"
	done
	nobody_extra
	check "h1-h3 still at one epoch" all_agree
}

# ctl_get I EXPR: EXPR (Python, over the parsed `mlsctl status -j` of hI
# as s) printed; the status comes through hI's control socket.
ctl_get()
{
	in_ns "${NS[$1]}" "$MLSCTL" -s "$W/h$1/sock" status -j |
		python3 -c 'import json, sys
s = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$2"
}

ctl_net_epoch()
{
	ctl_get "$1" '[g["epoch"] for g in s["groups"] if g["name"] == "network"][0]'
}

# every host's control socket reports the network epoch E
ctl_all_at()
{
	local i

	for i in 1 2 3; do
		[ "$(ctl_net_epoch "$i" 2>/dev/null)" = "$2" ] || return 1
	done
}

# monitor_saw FILE GROUP EPOCH: mlsctl monitor agent -j printed GROUP's
# epoch event for EPOCH into FILE.
monitor_saw()
{
	python3 -c 'import json, sys
want = ("epoch", sys.argv[2], int(sys.argv[3]))
for line in open(sys.argv[1]):
    ev = json.loads(line)
    if (ev.get("event"), ev.get("group"), ev.get("epoch")) == want:
        sys.exit(0)
sys.exit(1)' "$@"
}

test_control_socket()
{
	local e mon pid

	check_eq "h1's status names the network" corp "$(ctl_get 1 's["network"]')"
	check_eq "h1's status: relay connected" True \
		"$(ctl_get 1 's["relay"]["connected"]')"
	check_eq "h1's status lists its groups" "network pair/h2 pair/h3" \
		"$(ctl_get 1 '" ".join(sorted(g["name"] for g in s["groups"]))')"
	check_eq "h1's status lists the other hosts with their addresses" \
		"h2 10.7.0.2/32 h3 10.7.0.3/32" \
		"$(ctl_get 1 '" ".join(h["name"] + " " + h["addresses"][0] for h in sorted(s["hosts"], key=lambda h: h["name"]))')"
	e=$(net_field 1 epoch)
	check_eq "the status epoch is the log's" "$e" "$(ctl_net_epoch 1)"
	mon=$W/h1/monitor
	in_ns_bg "${NS[1]}" timeout 120 "$MLSCTL" -s "$W/h1/sock" \
		monitor agent -j >"$mon.out" 2>"$mon.err"
	pid=$!
	check "mlsctl monitor agent is listening on h1" \
		wait_until 30 grep -q "monitoring mlsd events" "$mon.err"
	check "mlsctl rekey network" \
		in_ns "${NS[2]}" "$MLSCTL" -s "$W/h2/sock" rekey network
	check "every host moves to the next network epoch" \
		wait_until 30 ctl_all_at 0 $((e + 1))
	check "all three agree after the rekey" wait_until 30 all_agree
	check "h1's monitor reports the network's epoch $((e + 1))" \
		wait_until 30 monitor_saw "$mon.out" network $((e + 1))
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check "rekey of a group the host is not in is refused" \
		expect_fail_ns 1 rekey nosuch
}

# listening NS PORT: a TCP socket listens on PORT in NS
listening()
{
	in_ns "$1" ss -Htln "sport = :$2" | grep -q .
}

# ctl_pair_epoch I: the MLS epoch of hI's pair group with h2 (status).
ctl_pair_epoch()
{
	ctl_get "$1" '[g["epoch"] for g in s["groups"] if g["name"] == "pair/h2"][0]'
}

# UDP at a fixed rate from h1 to h2 (their pair group) while h1 commits
# three self-Updates in that group: not one datagram may be lost (a member
# that moved its TX to an epoch before the peer had it lost 5%).
test_rekey_under_load()
{
	local e pid

	e=$(ctl_pair_epoch 1)
	in_ns_bg "${NS[2]}" iperf3 -s -1 >/dev/null 2>&1
	on_exit kill $!
	check "iperf3 listens on h2" wait_until 10 listening "${NS[2]}" 5201
	in_ns_bg "${NS[1]}" iperf3 -c "$(tun4 2)" -u -b 2M -l 1000 -t 6 \
		>"$W/iperf-udp" 2>&1
	pid=$!
	for n in 1 2 3; do
		sleep 1.5
		check "rekey $n of pair/h2" \
			in_ns "${NS[1]}" "$MLSCTL" -s "$W/h1/sock" rekey pair/h2
	done
	wait "$pid" || { cat "$W/iperf-udp"; return 1; }
	grep receiver "$W/iperf-udp"
	check "the pair group moved on three epochs" \
		wait_until 20 eval '[ "$(ctl_pair_epoch 1)" -ge $((e + 3)) ]'
	check "no datagram lost while it rekeyed" \
		grep -q " 0/[0-9]* (0%) *receiver" "$W/iperf-udp"
}

# expect_fail_ns I ARGS...: mlsctl through hI's socket must fail.
expect_fail_ns()
{
	local i=$1

	shift
	! in_ns "${NS[$i]}" "$MLSCTL" -s "$W/h$i/sock" "$@" >/dev/null 2>&1
}

# timed_case NAME FUNCTION: run_case, then when it ended (the script must
# stay within about three minutes under TCG).
timed_case()
{
	run_case "$@"
	log "$1 done at ${SECONDS}s"
}

world_up || { echo "setup failed"; exit "$KSFT_FAIL"; }
ktap_begin 12
log "world up after ${SECONDS}s"
timed_case network_group_forms test_network_group_forms
timed_case pair_groups test_pair_groups
timed_case ping_ipv4 test_ping_ipv4
timed_case ping_ipv6 test_ping_ipv6
timed_case multicast_once_per_packet test_multicast
timed_case control_socket test_control_socket
timed_case rekey_under_load test_rekey_under_load
timed_case soft_limit_rekeys test_soft_limit_rekeys
timed_case restart_keeps_kernel_state test_restart_keeps_kernel_state
timed_case lost_kernel_state_fresh_epoch test_lost_kernel_state_fresh_epoch
timed_case rogue_certificate_refused test_rogue_certificate_refused
timed_case uncertified_host_refused test_uncertified_host_refused
for i in 1 2 3 5; do
	log "---- h$i"
	tail -n 40 "$W/h$i/log" | sed 's/^/# /'
done
ktap_finish
