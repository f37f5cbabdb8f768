# SPDX-License-Identifier: MIT
#
# Topology and keying helpers for the mlsdco data-plane selftests, sourced
# after lib.sh. Inside a case:
#
#	topo_up 4 3			# hosts 1..3 on a bridge, IPv4 underlay
#	group_up 1 aes-128-gcm 1 2 3	# group 1 on hosts 1-3, every one a member
#	epoch_up 1 1 1 2 3		# epoch 1 installed and swapped in on 1-3
#	in_ns "${HOST[1]}" ping -c 1 10.77.0.2
#
# Endpoints are set with roaming off (DP_ROAMING=on lets them roam): the
# scripts written before roaming replay packets from other hosts and
# ports, which would move a roaming endpoint there.
#
# Host i has the underlay addresses 192.0.2.i and 2001:db8::i on "ul0", the
# mlsdco device "mlsdco0" with 10.77.0.i/24 and fd77::i/64, listens on UDP
# port 51820 + i, and is leaf i - 1 in every group. Keys are random per
# (group, epoch, leaf), made by the test itself from /dev/urandom and fed
# to mlsctl on stdin, never the command line.

UDP_REPLAY=${UDP_REPLAY:-$REPO/build/bin/udp-replay}
DP_DEV=mlsdco0
DP_KEYS=$LIB_TMP/keys
declare -a HOST

require_dataplane()
{
	require_root
	require_module
	require_mlsctl
	require_cmd ip ping python3
}

inner4() { echo "10.77.0.$1"; }
inner6() { echo "fd77::$1"; }
leaf_of() { echo $(($1 - 1)); }
port_of_host() { echo $((51820 + $1)); }

# underlay_addr I [FAMILY]: host I's underlay address (default: the
# topology's family).
underlay_addr()
{
	if [ "${2:-$TOPO_FAMILY}" = 6 ]; then
		echo "2001:db8::$1"
	else
		echo "192.0.2.$1"
	fi
}

# endpoint_of I [FAMILY]: host I's endpoint as mlsctl writes it.
endpoint_of()
{
	if [ "${2:-$TOPO_FAMILY}" = 6 ]; then
		echo "[$(underlay_addr "$1" 6)]:$(port_of_host "$1")"
	else
		echo "$(underlay_addr "$1" 4):$(port_of_host "$1")"
	fi
}

# endpoints_to FAMILY GROUP HOSTS...: point every member at its other
# underlay address (the underlay is dual-stack).
endpoints_to()
{
	local fam=$1 gid=$2 i j
	shift 2

	for i; do
		for j; do
			[ "$i" = "$j" ] && continue
			mlsctl_in "${HOST[$i]}" member set "$DP_DEV" group "$gid" \
				leaf "$(leaf_of "$j")" \
				endpoint "$(endpoint_of "$j" "$fam")" \
				roaming "${DP_ROAMING:-off}" || return 1
		done
	done
}

# topo_up FAMILY N: N hosts on one bridge (in a namespace of its own), with
# IPv4 and IPv6 underlay addresses; FAMILY is the one endpoints use.
topo_up()
{
	local i br

	TOPO_FAMILY=$1
	TOPO_N=$2
	# Keys belong to one topology: a new case never reuses the last one's.
	DP_KEYS=$LIB_TMP/keys.$BASHPID
	rm -rf "$DP_KEYS"
	mkdir -p "$DP_KEYS"
	check "load" mlsdco_load
	br=$(ns_create) || return 1
	TOPO_BR=$br
	ip -n "$br" link add br0 type bridge || return 1
	ip -n "$br" link set br0 up
	for ((i = 1; i <= TOPO_N; i++)); do
		HOST[$i]=$(ns_create) || return 1
		ip -n "$br" link add "p$i" type veth peer name ul0 \
			netns "${HOST[$i]}" || return 1
		ip -n "$br" link set "p$i" master br0 up
		ip -n "${HOST[$i]}" link set ul0 up
		ip -n "${HOST[$i]}" addr add "$(underlay_addr "$i" 4)/24" dev ul0
		ip -n "${HOST[$i]}" addr add "$(underlay_addr "$i" 6)/64" dev ul0 \
			nodad
		ip -n "${HOST[$i]}" link add "$DP_DEV" type mlsdco || return 1
		ip -n "${HOST[$i]}" addr add "$(inner4 "$i")/24" dev "$DP_DEV"
		ip -n "${HOST[$i]}" addr add "$(inner6 "$i")/64" dev "$DP_DEV" \
			nodad
		# No router solicitations: on 6.1 they repeat with backoff for
		# ever and go to every member (fan-out), which would move
		# the per-member counters that tests compare at random times.
		ip netns exec "${HOST[$i]}" sysctl -qw \
			"net.ipv6.conf.$DP_DEV.router_solicitations=0" || return 1
		ip -n "${HOST[$i]}" link set "$DP_DEV" multicast on up
		mlsctl_in "${HOST[$i]}" dev set "$DP_DEV" \
			port "$(port_of_host "$i")" || return 1
	done
}

# group_up GROUP AEAD HOSTS...: the group on each listed host, with every
# other listed host as a member (endpoint and its inner /32 and /128).
group_up()
{
	local gid=$1 aead=$2 i j
	shift 2

	for i; do
		mlsctl_in "${HOST[$i]}" group add "$DP_DEV" id "$gid" \
			aead "$aead" leaf "$(leaf_of "$i")" || return 1
		for j; do
			[ "$i" = "$j" ] && continue
			mlsctl_in "${HOST[$i]}" member set "$DP_DEV" group "$gid" \
				leaf "$(leaf_of "$j")" endpoint "$(endpoint_of "$j")" \
				roaming "${DP_ROAMING:-off}" \
				allowed-ips "$(inner4 "$j")/32,$(inner6 "$j")/128" ||
				return 1
		done
	done
	echo "$aead" >"$DP_KEYS/aead.$gid"
}

# pin_neighbors I J: host I reaches host J's underlay addresses without
# neighbor discovery (so J's link can go down while I still sends to it).
pin_neighbors()
{
	local mac

	mac=$(ip -n "${HOST[$2]}" -br link show ul0 | awk '{ print $3 }')
	ip -n "${HOST[$1]}" neigh replace "$(underlay_addr "$2" 4)" \
		lladdr "$mac" dev ul0 nud permanent &&
	ip -n "${HOST[$1]}" neigh replace "$(underlay_addr "$2" 6)" \
		lladdr "$mac" dev ul0 nud permanent
}

hexrand()
{
	od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

aead_key_len()
{
	case $1 in
	aes-128-gcm) echo 16 ;;
	*) echo 32 ;;
	esac
}

# epoch_keys GROUP EPOCH HOSTS...: fresh random keys for every leaf (once).
epoch_keys()
{
	local gid=$1 ep=$2 dir i klen
	shift 2

	dir=$DP_KEYS/g$gid-e$ep
	[ -d "$dir" ] && return 0
	mkdir -p "$dir"
	klen=$(aead_key_len "$(cat "$DP_KEYS/aead.$gid")")
	hexrand 8 >"$dir/tag"
	for i; do
		echo "$(hexrand "$klen") $(hexrand 12)" >"$dir/leaf$(leaf_of "$i")"
	done
}

# keyfile GROUP EPOCH SELF HOSTS...: the key text host SELF installs.
keyfile()
{
	local gid=$1 ep=$2 self=$3 dir i
	shift 3

	dir=$DP_KEYS/g$gid-e$ep
	echo "# group $gid epoch $ep, seen from host $self"
	echo "tx $(cat "$dir/leaf$(leaf_of "$self")")"
	for i; do
		[ "$i" = "$self" ] && continue
		echo "rx $(leaf_of "$i") $(cat "$dir/leaf$(leaf_of "$i")")"
	done
}

# epoch_add GROUP EPOCH HOSTS...: install the epoch as "next" on every
# host, with grace time DP_GRACE (ms) if set.
epoch_add()
{
	local gid=$1 ep=$2 i
	shift 2

	epoch_keys "$gid" "$ep" "$@"
	for i; do
		keyfile "$gid" "$ep" "$i" "$@" |
			mlsctl_in "${HOST[$i]}" epoch add "$DP_DEV" group "$gid" \
				epoch "$ep" tag "$(cat "$DP_KEYS/g$gid-e$ep/tag")" \
				keys - ${DP_GRACE:+grace "$DP_GRACE"} || return 1
	done
}

epoch_swap_all()
{
	local gid=$1 i
	shift

	for i; do
		mlsctl_in "${HOST[$i]}" epoch swap "$DP_DEV" group "$gid" ||
			return 1
	done
}

# epoch_up GROUP EPOCH HOSTS...: add on all, then make it current on all
# (the first epoch of a group is current at once; later ones need a swap).
epoch_up()
{
	local gid=$1 ep=$2 i

	epoch_add "$@" || return 1
	# A host may promote the epoch by itself between the look and the
	# swap (a peer's first packet under it): the final check decides.
	for i in "${@:3}"; do
		grep -qw "$ep:next" <<<"$(epoch_states "${HOST[$i]}" "$gid")" ||
			continue
		mlsctl_in "${HOST[$i]}" epoch swap "$DP_DEV" group "$gid" \
			2>/dev/null
	done
	for i in "${@:3}"; do
		grep -qw "$ep:current" <<<"$(epoch_states "${HOST[$i]}" "$gid")" || {
			echo "epoch $ep is not current on host $i:" \
				"$(epoch_states "${HOST[$i]}" "$gid")"
			return 1
		}
	done
}

# show_json NS: "mlsctl show -j" of a host namespace.
show_json()
{
	mlsctl_in "$1" show -j
}

# monitor_start NS COUNT SECONDS FILE: "mlsctl monitor count COUNT" in NS,
# in the background (stopped after SECONDS), output in FILE. Returns once
# the monitor is subscribed, so no event made after it can be missed (a
# fixed sleep is not enough on a loaded TCG host).
monitor_start()
{
	in_ns "$1" timeout "$3" "$MLSCTL" monitor count "$2" >"$4" 2>&1 &
	wait_until 30 grep -q '^mlsctl: monitoring' "$4"
}

# iperf3_server NS ADDR: a one-shot iperf3 server on ADDR in NS, in the
# background (its pid in IPERF3_SERVER_PID); returns once it listens, so
# the client cannot race it on a loaded host. Bounded, so a client that
# never comes fails the case instead of hanging the script.
iperf3_server()
{
	in_ns "$1" timeout 600 iperf3 -s -1 -B "$2" >/dev/null 2>&1 &
	IPERF3_SERVER_PID=$!
	wait_until 30 iperf3_listening "$1"
}

iperf3_listening()
{
	in_ns "$1" ss -Htln "sport = :5201" | grep -q .
}

# group_stat NS GROUP FIELD: a group counter from mlsctl show -j.
group_stat()
{
	show_json "$1" | python3 -c 'import json, sys
d = json.load(sys.stdin)
g = [g for dev in d for g in dev["groups"] if g["group_id"] == int(sys.argv[1])]
print(g[0]["stats"][sys.argv[2]])' "$2" "$3"
}

# dev_stat NS FIELD: a device-wide counter (what no group is blamed for,
# such as a tag naming no installed epoch).
dev_stat()
{
	show_json "$1" | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d[0]["stats"][sys.argv[1]])' "$2"
}

# member_stat NS GROUP LEAF FIELD
member_stat()
{
	show_json "$1" | python3 -c 'import json, sys
d = json.load(sys.stdin)
g = [g for dev in d for g in dev["groups"] if g["group_id"] == int(sys.argv[1])]
m = [m for m in g[0]["members"] if m["leaf"] == int(sys.argv[2])]
print(m[0]["stats"][sys.argv[3]])' "$2" "$3" "$4"
}

# epoch_states NS GROUP: "EPOCH:STATE ..." sorted by epoch, from the text
# of mlsctl show (awk: python's start-up costs a second under TCG). Fails,
# printing nothing, when mlsctl show fails or lists no such group: an
# empty answer then means "no epoch", never "could not look".
epoch_states()
{
	local show

	show=$(mlsctl_in "$1" show "$DP_DEV") || return 1
	grep -qx "group: $2" <<<"$show" || return 1
	awk -v g="$2" '
		/^group: / { in_g = ($2 == g) }
		in_g && /^  epoch [0-9]+: / {
			sub(":", "", $2); sub(",", "", $3); print $2 ":" $3
		}' <<<"$show" | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# check_epochs DESCRIPTION NS GROUP EXPECTED: the group's epoch states on
# NS are EXPECTED (may be ""), and mlsctl could tell.
check_epochs()
{
	local states

	states=$(epoch_states "$2" "$3") || {
		echo "FAIL: $1: mlsctl show failed or lists no group $3"
		exit "$KSFT_FAIL"
	}
	check_eq "$1" "$4" "$states"
}

# ping_ok NS ADDR [ARGS...]: three pings (or -c N), every one answered.
ping_ok()
{
	local ns=$1 addr=$2 out
	shift 2

	out=$(in_ns "$ns" ping -c 3 -i 0.2 -W 10 "$@" "$addr" 2>&1)
	if ! grep -q ' 0% packet loss' <<<"$out"; then
		printf '%s\n' "$out"
		echo "FAIL: ping $* $addr from $ns: not every echo was answered"
		return 1
	fi
}

# kernel_unsupported ERRTEXT: did the kernel say the feature is missing?
kernel_unsupported()
{
	grep -qE 'Operation not supported|not supported' <<<"$1"
}

# ---- capture and replay (selftests/tools/udp-replay) ----------------------

# capture_from SRC DST FILE [hold]: capture one tunnel packet from host
# SRC to host DST on SRC's bridge port while SRC pings DST once. With
# "hold", DST's bridge port is down meanwhile, so DST never sees the
# packet before it is replayed.
capture_from()
{
	local src=$1 dst=$2 file=$3 hold=${4:-} try ok=1

	if [ -n "$hold" ]; then
		pin_neighbors "$src" "$dst" || return 1
		ip -n "$TOPO_BR" link set "p$dst" down
	fi
	# The tunnel also carries IPv6 housekeeping (router solicitations, MLD)
	# that the receiver drops by source address: keep capturing until the
	# datagram is our ping (16-byte header + 84-byte ICMP echo + 16-byte tag).
	for try in 1 2 3 4 5; do
		capture_once "$src" "$dst" "$file" || continue
		if [ "$("$UDP_REPLAY" info "$file" | awk '{ print $NF }')" = 116 ]; then
			ok=0
			break
		fi
	done
	if [ -n "$hold" ]; then
		ip -n "$TOPO_BR" link set "p$dst" up
		wait_until 30 port_forwarding "$dst" ||
			{ echo "bridge port p$dst does not forward again"; ok=1; }
	fi
	"$UDP_REPLAY" info "$file"
	return $ok
}

# capture_once SRC DST FILE: the next datagram SRC sends to DST's port while
# SRC pings DST through the tunnel.
capture_once()
{
	local src=$1 dst=$2 file=$3 cap

	in_ns "$TOPO_BR" "$UDP_REPLAY" capture "p$src" "$(port_of_host "$dst")" \
		"$file" 10 >"$file.ready" &
	cap=$!
	wait_until 30 grep -q ready "$file.ready" || return 1
	in_ns "${HOST[$src]}" ping -c 1 -W 1 "$(inner4 "$dst")" >/dev/null
	wait "$cap"
}

# port_forwarding I: host I's bridge port forwards (after link up, and
# its peer ul0 has carrier again).
port_forwarding()
{
	ip -n "$TOPO_BR" -d -j link show dev "p$1" | grep -q '"state":"forwarding"' &&
		! ip -n "${HOST[$1]}" link show dev ul0 | grep -q NO-CARRIER
}

# replay_from SRC FILE [FLIP-OFFSET]: send the captured datagram again from
# host SRC; the status is the send's. The receiver handles it in softirq,
# maybe later: wait on a counter (wait_stat, counter_moves), not a sleep.
replay_from()
{
	in_ns "${HOST[$1]}" "$UDP_REPLAY" send "$2" ${3:+"$3"}
}

# stat_at_least NS GROUP|dev FIELD VALUE
stat_at_least()
{
	local v

	v=$(stat_of "$1" "$2" "$3") || return 1
	[ "$v" -ge "$4" ]
}

# wait_stat NS GROUP|dev FIELD VALUE: until FIELD reaches VALUE (generous
# bound: a loaded TCG host can take seconds to run a softirq).
wait_stat()
{
	wait_until 30 stat_at_least "$@" && return 0
	echo "$3 on $1 ($2) never reached $4: it is $(stat_of "$1" "$2" "$3")"
	return 1
}

# stat_of NS GROUP|dev FIELD
stat_of()
{
	if [ "$2" = dev ]; then
		dev_stat "$1" "$3"
	else
		group_stat "$1" "$2" "$3"
	fi
}

# counter_moves NS GROUP|dev FIELD COMMAND...: FIELD (of the group, or of
# the device) must grow by exactly 1 and the group's rx_packets must not
# move while COMMAND runs. Call it through check: a failed look or COMMAND
# returns 1.
counter_moves()
{
	local ns=$1 gid=$2 field=$3 before rx_before after rx_after
	shift 3

	before=$(stat_of "$ns" "$gid" "$field") || return 1
	rx_before=$(group_stat "$ns" 1 rx_packets) || return 1
	"$@" || return 1
	# Once FIELD moved the packet was handled: rx_packets is final then.
	wait_stat "$ns" "$gid" "$field" $((before + 1)) || return 1
	after=$(stat_of "$ns" "$gid" "$field") || return 1
	rx_after=$(group_stat "$ns" 1 rx_packets) || return 1
	check_eq "$field counted once" "$((before + 1))" "$after"
	check_eq "nothing delivered (rx_packets)" "$rx_before" "$rx_after"
}
