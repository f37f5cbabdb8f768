# SPDX-License-Identifier: MIT
#
# The planes of selftests/bench_net.sh, sourced after lib.sh and
# dataplane_lib.sh. Namespace A (HOST[1]) is the iperf3 client, B (HOST[2])
# the server, joined by veth "ul0" (192.0.2.1 - 192.0.2.2, the underlay
# dataplane_lib.sh expects). For each plane P (dashes become underscores in
# function names):
#
#	setup_P		builds the tunnel, proves one packet crosses it, sets
#			TARGET (B's inner address); on failure its last line of
#			output is the reason shown in the table
#	teardown_P	removes what setup_P made, even half-built
#
# All planes are up at the same time (own devices, addresses and ports), so
# the runs can interleave. Set-up output goes to a file, so these run in
# the benchmark's own shell.

OVPN_DIR=$LIB_TMP/ovpn
BENCH_EPOCHS=$LIB_DIR/bench_epochs.py
declare -a CTRL_LINES

topology_up()
{
	NS_A=$(ns_create) && NS_B=$(ns_create) || return 1
	HOST[1]=$NS_A
	HOST[2]=$NS_B
	DP_KEYS=$LIB_TMP/keys
	mkdir -p "$DP_KEYS"
	ip -n "$NS_A" link add ul0 type veth peer name ul0 netns "$NS_B" ||
		return 1
	ip -n "$NS_A" addr add 192.0.2.1/24 dev ul0
	ip -n "$NS_B" addr add 192.0.2.2/24 dev ul0
	ip -n "$NS_A" link set ul0 up
	ip -n "$NS_B" link set ul0 up
	in_ns "$NS_B" iperf3 -s -D -I "$LIB_TMP/iperf3.pid" || return 1
	on_exit kill_pidfile "$LIB_TMP/iperf3.pid"
	wait_until 5 port_listening "$NS_B" tcp 5201
}

kill_pidfile()
{
	[ -s "$1" ] && kill "$(cat "$1")" 2>/dev/null
	rm -f "$1"
}

port_listening()
{
	in_ns "$1" ss -lnH -A "$2" "sport = :$3" | grep -q .
}

# reachable NS ADDR SECONDS: a ping gets through within SECONDS (tunnels
# that handshake first, OpenVPN's TLS, take a while under TCG).
reachable()
{
	local end=$((SECONDS + $3))

	while [ $SECONDS -lt $end ]; do
		in_ns "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1 && return 0
	done
	echo "no ping reply from $2 within $3 s"
	return 1
}

# ---- plain veth --------------------------------------------------------------

setup_veth()
{
	TARGET=192.0.2.2
}

teardown_veth()
{
	:
}

# ---- mlsdco --------------------------------------------------------------------

# mlsdco_pair DEV GROUP AEAD PORT_BASE NET: device DEV on both hosts (host
# i: NET.i/24, UDP port PORT_BASE + i), one group with the other host as
# member, epoch 1 with fresh random keys.
mlsdco_pair()
{
	local dev=$1 gid=$2 aead=$3 base=$4 net=$5 i j tag

	[ -x "$MLSCTL" ] || { echo "$MLSCTL not built"; return 1; }
	[ -r "$MLSDCO_KO" ] || { echo "$MLSDCO_KO not built"; return 1; }
	[ "$(modinfo -F vermagic "$MLSDCO_KO" | cut -d' ' -f1)" = "$(uname -r)" ] ||
		{ echo "mlsdco.ko is not built for $(uname -r)"; return 1; }
	mlsdco_load || { echo "cannot load mlsdco.ko"; return 1; }
	echo "$aead" >"$DP_KEYS/aead.$gid"
	epoch_keys "$gid" 1 1 2
	tag=$(cat "$DP_KEYS/g$gid-e1/tag")
	for i in 1 2; do
		j=$((3 - i))
		ip -n "${HOST[$i]}" link add "$dev" type mlsdco || return 1
		ip -n "${HOST[$i]}" addr add "$net.$i/24" dev "$dev"
		ip -n "${HOST[$i]}" link set "$dev" up
		mlsctl_in "${HOST[$i]}" dev set "$dev" port $((base + i)) &&
		mlsctl_in "${HOST[$i]}" group add "$dev" id "$gid" \
			aead "$aead" leaf "$(leaf_of "$i")" &&
		mlsctl_in "${HOST[$i]}" member set "$dev" group "$gid" \
			leaf "$(leaf_of "$j")" endpoint "192.0.2.$j:$((base + j))" \
			allowed-ips "$net.$j/32" &&
		keyfile "$gid" 1 "$i" 1 2 |
			mlsctl_in "${HOST[$i]}" epoch add "$dev" group "$gid" \
				epoch 1 tag "$tag" keys - || return 1
	done
	reachable "$NS_A" "$net.2" 5 || return 1
	TARGET=$net.2
}

# The AES pair is the one dataplane_lib.sh's helpers (switch_latency) see.
setup_mlsdco_aes128gcm()
{
	mlsdco_pair "$DP_DEV" 1 aes-128-gcm 51820 10.77.0
}

setup_mlsdco_chacha20()
{
	mlsdco_pair mlsdco1 2 chacha20-poly1305 51840 10.76.0
}

teardown_mlsdco_aes128gcm()
{
	ip -n "$NS_A" link del "$DP_DEV"
	ip -n "$NS_B" link del "$DP_DEV"
}

teardown_mlsdco_chacha20()
{
	ip -n "$NS_A" link del mlsdco1
	ip -n "$NS_B" link del mlsdco1
}

# switch_latency: with pings every 2 ms from A, install epoch E on B (as
# next), then time epoch-new + epoch-swap on A and poll A's tx-counter of E
# until the first packet has gone out under it. Runs on the AES plane.
switch_latency()
{
	local n ep tag out ping_pid samples=() swap=() news=()

	n=5
	[ "${BENCH_QUICK:-0}" = 1 ] && n=3
	in_ns "$NS_A" ping -q -i 0.002 "$(inner4 2)" >/dev/null 2>&1 &
	ping_pid=$!
	for ((ep = 2; ep < 2 + n; ep++)); do
		epoch_keys 1 "$ep" 1 2
		tag=$(cat "$DP_KEYS/g1-e$ep/tag")
		keyfile 1 "$ep" 2 1 2 |
			mlsctl_in "$NS_B" epoch add "$DP_DEV" group 1 epoch "$ep" \
				tag "$tag" keys - || break
		out=$(keyfile 1 "$ep" 1 1 2 |
			in_ns "$NS_A" python3 "$BENCH_EPOCHS" latency "$DP_DEV" 1 \
				"$ep" "$tag" 5 2>&1)
		log "epoch $ep: $out"
		set -- $out
		[ "$1" = new_ms ] || break
		news+=("$2")
		swap+=("$4")
		samples+=("$6")
		# B promotes E on A's first packet; wait for it before E + 1.
		wait_until 3 epoch_is_current "$NS_B" 1 "$ep"
	done
	kill "$ping_pid" 2>/dev/null
	wait "$ping_pid" 2>/dev/null
	if [ ${#samples[@]} -eq 0 ]; then
		CTRL_LINES+=("epoch-new to first packet: n/a ($out)")
		return
	fi
	CTRL_LINES+=("epoch-new to first packet sent under it (pings every 2 ms, ${#samples[@]} epochs, medians): epoch-new $(median "${news[@]}") ms, + swap $(median "${swap[@]}") ms, first tx $(median "${samples[@]}") ms; all: ${samples[*]} ms")
}

epoch_is_current()
{
	grep -qw "$3:current" <<<"$(epoch_states "$1" "$2")"
}

# epoch_rate AEAD: epoch-new with EPOCH_RX_KEYS rx keys + epoch-swap,
# back to back for BENCH_SECONDS, on a device of its own in namespace A.
epoch_rate()
{
	local aead=$1 out

	out=$({
		mlsdco_load || { echo "cannot load mlsdco.ko"; exit 1; }
		ip -n "$NS_A" link add mlsdco9 type mlsdco &&
		mlsctl_in "$NS_A" group add mlsdco9 id 9 aead "$aead" leaf 0 &&
		in_ns "$NS_A" python3 "$BENCH_EPOCHS" rate mlsdco9 9 "$aead" \
			"$EPOCH_RX_KEYS" "$BENCH_SECONDS"
	} 2>&1)
	ip -n "$NS_A" link del mlsdco9 2>/dev/null
	log "epoch rate $aead: $out"
	set -- $out
	if [ "$1" != epochs ]; then
		CTRL_LINES+=("epochs/s, $aead, $EPOCH_RX_KEYS rx keys: n/a ($(tail -n1 <<<"$out"))")
		return
	fi
	CTRL_LINES+=("$(awk -v n="$2" -v s="$4" -v new="$6" -v sw="$8" \
		-v a="$aead" -v k="$EPOCH_RX_KEYS" 'BEGIN {
		printf "epochs/s, %s, %d rx keys: %.1f (loop: %d epochs in %.1f s); " \
		       "kernel: epoch-new %.1f ms + swap %.2f ms median = %.1f/s",
		       a, k, n / s, n, s, new, sw, 1000 / (new + sw) }')")
}

print_control_plane()
{
	local l

	log ""
	log "mlsdco control plane (generic netlink, selftests/bench_epochs.py):"
	for l in "${CTRL_LINES[@]}"; do
		log "  $l"
	done
}

# ---- WireGuard -------------------------------------------------------------------

setup_wireguard()
{
	local i j

	command -v wg >/dev/null || { echo "wg not installed"; return 1; }
	modprobe wireguard 2>/dev/null
	for i in 1 2; do
		(umask 077 && wg genkey >"$LIB_TMP/wg$i.key") || return 1
		wg pubkey <"$LIB_TMP/wg$i.key" >"$LIB_TMP/wg$i.pub" || return 1
	done
	for i in 1 2; do
		j=$((3 - i))
		ip -n "${HOST[$i]}" link add wg0 type wireguard || return 1
		in_ns "${HOST[$i]}" wg set wg0 listen-port $((51000 + i)) \
			private-key "$LIB_TMP/wg$i.key" \
			peer "$(cat "$LIB_TMP/wg$j.pub")" \
			allowed-ips "10.78.0.$j/32" \
			endpoint "192.0.2.$j:$((51000 + j))" || return 1
		ip -n "${HOST[$i]}" addr add "10.78.0.$i/24" dev wg0
		ip -n "${HOST[$i]}" link set wg0 up
	done
	reachable "$NS_A" 10.78.0.2 10 || return 1
	TARGET=10.78.0.2
}

teardown_wireguard()
{
	ip -n "$NS_A" link del wg0
	ip -n "$NS_B" link del wg0
}

# ---- IPsec ESP, transport mode ---------------------------------------------------------

# Addresses of their own, so the policies cannot catch other planes' traffic.
ESP_A=198.51.100.1
ESP_B=198.51.100.2

esp_sa()
{
	ip -n "$1" xfrm state add src "$2" dst "$3" proto esp spi "$4" \
		reqid "$4" mode transport aead 'rfc4106(gcm(aes))' "$5" 128
}

esp_policy()
{
	ip -n "$1" xfrm policy add src "$2/32" dst "$3/32" dir "$4" \
		tmpl src "$2" dst "$3" proto esp reqid "$5" mode transport
}

setup_esp_aes128gcm()
{
	local ns k_ab k_ba sent

	modprobe -a esp4 xfrm_user 2>/dev/null
	ip -n "$NS_A" addr add "$ESP_A/24" dev ul0 || return 1
	ip -n "$NS_B" addr add "$ESP_B/24" dev ul0 || return 1
	# rfc4106: 16 key bytes and the 4-byte salt, 128-bit ICV.
	k_ab=0x$(hexrand 20)
	k_ba=0x$(hexrand 20)
	for ns in "$NS_A" "$NS_B"; do
		esp_sa "$ns" "$ESP_A" "$ESP_B" 0x1001 "$k_ab" || return 1
		esp_sa "$ns" "$ESP_B" "$ESP_A" 0x1002 "$k_ba" || return 1
	done
	esp_policy "$NS_A" "$ESP_A" "$ESP_B" out 0x1001 &&
	esp_policy "$NS_A" "$ESP_B" "$ESP_A" in 0x1002 &&
	esp_policy "$NS_B" "$ESP_B" "$ESP_A" out 0x1002 &&
	esp_policy "$NS_B" "$ESP_A" "$ESP_B" in 0x1001 || return 1
	reachable "$NS_A" "$ESP_B" 5 || return 1
	sent=$(ip -n "$NS_A" -s xfrm state get src "$ESP_A" dst "$ESP_B" \
		proto esp spi 0x1001 | sed -n 's/.* \([0-9]*\)(packets).*/\1/p' |
		head -n1)
	[ "${sent:-0}" -gt 0 ] || { echo "pings did not go through the ESP SA"; return 1; }
	TARGET=$ESP_B
}

teardown_esp_aes128gcm()
{
	local ns

	for ns in "$NS_A" "$NS_B"; do
		ip -n "$ns" xfrm policy flush
		ip -n "$ns" xfrm state flush
	done
	ip -n "$NS_A" addr del "$ESP_A/24" dev ul0
	ip -n "$NS_B" addr del "$ESP_B/24" dev ul0
}

# ---- OpenVPN 2.6 ------------------------------------------------------------------

# A throwaway CA and two EC certificates: 2.6 negotiates AES-GCM data
# channel keys only over TLS (static keys are limited to CBC ciphers).
openvpn_certs()
{
	local who

	[ -s "$OVPN_DIR/client.crt" ] && return 0
	mkdir -p "$OVPN_DIR"
	(
		cd "$OVPN_DIR" || exit 1
		umask 077
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -keyout ca.key -out ca.crt -days 2 \
			-subj /CN=bench-ca || exit 1
		for who in server client; do
			openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
				-nodes -keyout "$who.key" -out "$who.csr" \
				-subj "/CN=bench-$who" &&
			openssl x509 -req -in "$who.csr" -CA ca.crt -CAkey ca.key \
				-CAcreateserial -out "$who.crt" -days 2 || exit 1
		done
	) >"$OVPN_DIR/openssl.log" 2>&1 || {
		tail -n 3 "$OVPN_DIR/openssl.log"
		echo "openssl could not make the certificates"
		return 1
	}
}

# openvpn_start MODE NS ROLE LOCAL REMOTE NET I J [OPTIONS...]: one peer
# (NET.I, peer NET.J) of a p2p TLS tunnel, AES-128-GCM over UDP, as a
# daemon; device ovpn-MODE, UDP port 1194 (user) or 1195 (dco), so both
# tunnels can be up at once.
openvpn_start()
{
	local mode=$1 ns=$2 role=$3 local=$4 remote=$5 net=$6 i=$7 j=$8 port
	shift 8

	port=1194
	[ "$mode" = dco ] && port=1195
	in_ns "$ns" openvpn --daemon "bench-$mode-$role" \
		--writepid "$OVPN_DIR/$mode-$role.pid" \
		--log "$OVPN_DIR/$mode-$role.log" --verb 3 \
		--dev "ovpn-$mode" --dev-type tun --proto udp \
		--local "$local" --lport "$port" --remote "$remote" "$port" \
		--ca "$OVPN_DIR/ca.crt" --cert "$OVPN_DIR/$role.crt" \
		--key "$OVPN_DIR/$role.key" --ifconfig "$net.$i" "$net.$j" \
		--data-ciphers AES-128-GCM --data-ciphers-fallback AES-128-GCM \
		--tun-mtu 1420 "$@" || return 1
	on_exit kill_pidfile "$OVPN_DIR/$mode-$role.pid"
}

# setup_openvpn MODE: MODE is "user" (--disable-dco) or "dco".
setup_openvpn()
{
	local mode=$1 extra=() net=10.79.0 dev=ovpn-$1 log

	command -v openvpn >/dev/null || { echo "openvpn not installed"; return 1; }
	command -v openssl >/dev/null || { echo "openssl not installed"; return 1; }
	openvpn_certs || return 1
	if [ "$mode" = dco ]; then
		net=10.80.0
		modprobe ovpn-dco-v2 ||
			{ echo "cannot load ovpn-dco-v2 (openvpn-dco-dkms for $(uname -r))"; return 1; }
	else
		modprobe tun 2>/dev/null
		extra=(--disable-dco)
	fi
	log=$OVPN_DIR/$mode-client.log
	openvpn_start "$mode" "$NS_B" server 192.0.2.2 192.0.2.1 "$net" 2 1 \
		--tls-server --dh none "${extra[@]}" || return 1
	openvpn_start "$mode" "$NS_A" client 192.0.2.1 192.0.2.2 "$net" 1 2 \
		--tls-client "${extra[@]}" || return 1
	if ! reachable "$NS_A" "$net.2" 60; then
		tail -n 5 "$log"
		echo "the OpenVPN tunnel did not come up in 60 s"
		return 1
	fi
	grep -h -m1 "Data Channel: cipher" "$log"
	grep -q "Data Channel: cipher 'AES-128-GCM'" "$log" ||
		{ echo "the data channel is not AES-128-GCM"; return 1; }
	echo "client device: $(ip -n "$NS_A" -d link show "$dev" | awk 'NR == 3 { print $1 }')"
	if [ "$mode" = dco ] && ! ip -n "$NS_A" -d link show "$dev" | grep -q ovpn-dco; then
		grep -i dco "$log" | tail -n 3
		echo "openvpn did not use DCO ($dev is not an ovpn-dco device)"
		return 1
	fi
	if [ "$mode" = user ] && ip -n "$NS_A" -d link show "$dev" | grep -q ovpn-dco; then
		echo "openvpn used DCO despite --disable-dco"
		return 1
	fi
	TARGET=$net.2
}

teardown_openvpn()
{
	local role

	for role in client server; do
		kill_pidfile "$OVPN_DIR/$1-$role.pid"
	done
	wait_until 5 eval "! ip -n $NS_A link show ovpn-$1 >/dev/null 2>&1"
}

setup_openvpn_user() { setup_openvpn user; }
setup_openvpn_dco() { setup_openvpn dco; }
teardown_openvpn_user() { teardown_openvpn user; }
teardown_openvpn_dco() { teardown_openvpn dco; }
