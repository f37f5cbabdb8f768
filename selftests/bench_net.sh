#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Data-plane benchmark, run in the test VM by selftests/bench.sh:
#
#	bash selftests/vm/run.sh --timeout 1800 selftests/bench_net.sh
#
# Two namespaces joined by one veth pair; over it, all at once: plain
# veth, mlsdco (AES-128-GCM, ChaCha20-Poly1305), WireGuard, ESP transport
# mode with rfc4106(gcm(aes)), OpenVPN 2.6 in userspace and with ovpn-dco
# (see bench_planes.sh). Each gets iperf3 TCP with 1 and 4 streams,
# BENCH_RUNS runs (default 3) of BENCH_SECONDS (default 10) each, run 1 of
# every plane before run 2 of any; the table shows medians.
# Then mlsdco's control plane: epochs installed per second for a group of
# 1000 senders, and the time from epoch-new to the first packet sent under
# the new epoch. BENCH_QUICK=1: 3 s, one run. In the VM these come from
# the kernel command line: VM_APPEND="BENCH_QUICK=1" selftests/vm/run.sh ...
#
# Under TCG the numbers are emulation speed: only ratios within one run
# mean anything. A plane that cannot be set up shows "n/a (reason)" and the
# benchmark goes on; nothing here fails on a number. The output is KTAP
# with a single case so selftests/vm/run.sh accepts it.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"
. "$LIB_DIR/bench_planes.sh"

# The guest does not inherit the host's environment: selftests/bench.sh
# passes these as words on the kernel command line (VM_APPEND).
for word in $(cat /proc/cmdline); do
	case $word in
	BENCH_QUICK=*|BENCH_SECONDS=*|BENCH_RUNS=*|EPOCH_RX_KEYS=*)
		name=${word%%=*}
		[ -n "${!name:-}" ] || export "${word?}" ;;
	esac
done
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	BENCH_SECONDS=${BENCH_SECONDS:-3}
	BENCH_RUNS=${BENCH_RUNS:-1}
fi
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_RUNS=${BENCH_RUNS:-3}
EPOCH_RX_KEYS=${EPOCH_RX_KEYS:-1000}
PLANES="veth mlsdco-aes128gcm mlsdco-chacha20 wireguard esp-aes128gcm \
openvpn-user openvpn-dco"

declare -A RESULT RUNS RUNV ERRS TARGETS
UP_PLANES=

# median N...: the middle value (mean of the two middle ones if even),
# printed with MEDIAN_FMT (default one decimal).
median()
{
	printf '%s\n' "$@" | sort -g | awk -v f="${MEDIAN_FMT:-%.1f}" '
		{ v[NR] = $1 }
		END { if (NR % 2) printf f, v[(NR + 1) / 2];
		      else printf f, (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# iperf_once TARGET STREAMS: one client run from ns A; prints Mbit/s
# received (the [SUM] line when there are several streams).
iperf_once()
{
	local out

	out=$(in_ns "$NS_A" timeout $((BENCH_SECONDS + 30)) \
		iperf3 -c "$1" -P "$2" -t "$BENCH_SECONDS" -f k 2>&1) || {
		echo "iperf3: $(tail -n1 <<<"$out")" >&2
		return 1
	}
	awk '/receiver/ { for (i = 2; i <= NF; i++)
				if ($i == "Kbits/sec") v = $(i - 1) }
	     END { if (v == "") exit 1; printf "%.1f\n", v / 1000 }' <<<"$out"
}

# setup_plane PLANE: build it; a failure marks the plane n/a with its
# last line of output as the reason.
setup_plane()
{
	local plane=$1 reason t0=$SECONDS

	TARGET=
	if "setup_${plane//-/_}" >"$LIB_TMP/setup.out" 2>&1 && [ -n "$TARGET" ]; then
		TARGETS[$plane]=$TARGET
		log "$plane: up in $((SECONDS - t0)) s, iperf3 to $TARGET"
		sed 's/^/#   /' "$LIB_TMP/setup.out"
		return 0
	fi
	reason=$(grep -v '^$' "$LIB_TMP/setup.out" | tail -n1)
	log "$plane: n/a, set-up failed:"
	tail -n 15 "$LIB_TMP/setup.out" | sed 's/^/#   /'
	RESULT[$plane,1]="n/a (${reason:-set-up failed})"
	RESULT[$plane,4]=${RESULT[$plane,1]}
	"teardown_${plane//-/_}" >/dev/null 2>&1
	return 1
}

# measure_all: run r of every plane and stream count before run r + 1, so
# a change in host load (other VMs on the same cores) hits every plane
# alike instead of whichever plane happened to run then.
measure_all()
{
	local r plane streams v

	for ((r = 1; r <= BENCH_RUNS; r++)); do
		for plane in $UP_PLANES; do
			for streams in 1 4; do
				v=$(iperf_once "${TARGETS[$plane]}" "$streams" \
					2>"$LIB_TMP/iperf.err")
				if [ -n "$v" ]; then
					RUNS[$plane,$streams]+="$v "
					RUNV[$plane,$streams,$r]=$v
				else
					v="failed: $(head -c 60 "$LIB_TMP/iperf.err")"
					ERRS[$plane,$streams]=$v
				fi
				log "run $r/$BENCH_RUNS $plane, $streams stream(s): $v"
			done
		done
	done
	for plane in $UP_PLANES; do
		for streams in 1 4; do
			# shellcheck disable=SC2086
			if [ -n "${RUNS[$plane,$streams]}" ]; then
				RESULT[$plane,$streams]=$(median ${RUNS[$plane,$streams]})
			else
				RESULT[$plane,$streams]="n/a (iperf3 ${ERRS[$plane,$streams]})"
			fi
		done
	done
}

# paired_ratio PLANE BASE STREAMS: the median over runs of PLANE / BASE in
# the same run. Runs are seconds apart, so this cancels most of the host
# load drift that a ratio of the two medians would keep.
paired_ratio()
{
	local r a b ratios=()

	for ((r = 1; r <= BENCH_RUNS; r++)); do
		a=${RUNV[$1,$3,$r]:-}
		b=${RUNV[$2,$3,$r]:-}
		[ -n "$a" ] && [ -n "$b" ] || continue
		ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.4f", a / b }')")
	done
	if [ ${#ratios[@]} -eq 0 ] || [ -z "${ratios[0]}" ]; then
		echo "-"
	else
		MEDIAN_FMT=%.2f median "${ratios[@]}"
	fi
}

print_table()
{
	local plane streams v

	log ""
	log "iperf3 TCP, ${BENCH_SECONDS} s x ${BENCH_RUNS} run(s), median Mbit/s;" \
	    "vs X: median over runs of this plane / X in the same run"
	printf '# %-18s %7s %12s %8s %12s  %s\n' plane streams Mbit/s \
		"vs WG" "vs ovpn-dco" "runs"
	for plane in $PLANES; do
		for streams in 1 4; do
			v=${RESULT[$plane,$streams]:-n/a (not run)}
			printf '# %-18s %7s %12s %8s %12s  %s\n' "$plane" \
				"$streams" "$v" \
				"$(paired_ratio "$plane" wireguard "$streams")" \
				"$(paired_ratio "$plane" openvpn-dco "$streams")" \
				"${RUNS[$plane,$streams]}"
		done
	done
}

# crypto_drivers: per algorithm the implementation the kernel picks (the
# highest priority), once the benchmark has instantiated the templates.
crypto_drivers()
{
	awk -F': ' '
		/^name/ { n = $2 } /^driver/ { d = $2 }
		/^priority/ { if (!(n in p) || $2 > p[n]) { p[n] = $2; drv[n] = d } }
		END {
			split("gcm(aes) rfc4106(gcm(aes)) rfc7539(chacha20,poly1305) " \
			      "chacha20 poly1305 aes ghash", want, " ")
			for (i = 1; i in want; i++)
				printf "#   %-28s %s\n", want[i],
					(want[i] in drv) ? drv[want[i]] : "(not loaded)"
		}' /proc/crypto
}

main()
{
	local plane

	echo "TAP version 13"
	echo "1..1"
	dmesg_mark
	log "bench_net: kernel $(uname -r), $(nproc) vCPUs," \
	    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	log "bench_net: $(date -u '+%F %T UTC'), guest load $(cut -d' ' -f1-3 /proc/loadavg)"
	log "bench_net: BENCH_SECONDS=$BENCH_SECONDS BENCH_RUNS=$BENCH_RUNS"
	if [ "$(id -u)" -ne 0 ] || ! command -v iperf3 >/dev/null; then
		echo "ok 1 bench # SKIP needs root and iperf3"
		echo "# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0"
		exit $KSFT_SKIP
	fi
	topology_up || {
		echo "not ok 1 bench # cannot build the two namespaces"
		echo "# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0"
		exit $KSFT_FAIL
	}
	for plane in $PLANES; do
		setup_plane "$plane" && UP_PLANES="$UP_PLANES $plane"
	done
	measure_all
	case " $UP_PLANES " in
	*" mlsdco-aes128gcm "*) switch_latency ;;
	esac
	for plane in $UP_PLANES; do
		"teardown_${plane//-/_}" >/dev/null 2>&1
	done
	epoch_rate aes-128-gcm
	epoch_rate chacha20-poly1305
	print_table
	log ""
	log "crypto drivers (/proc/crypto, highest priority):"
	crypto_drivers
	print_control_plane
	if dmesg_since_mark | grep -qE "$DMESG_BAD"; then
		log "WARNING: the kernel logged warnings during the benchmark:"
		dmesg_since_mark | grep -E "$DMESG_BAD" | head -n 20 | sed 's/^/#   /'
	fi
	log "bench_net: done after $SECONDS s, guest load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "ok 1 bench"
	echo "# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0"
	exit $KSFT_PASS
}

main
