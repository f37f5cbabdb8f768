#!/bin/bash
# SPDX-License-Identifier: MIT
#
# PID 1 of the test VM once the initramfs has built the root. Runs the plan
# the host left in /run/vmout, streams KTAP (kselftest runner format) on the
# virtio console, and returns every exit code twice: as /run/vmout/N.rc and
# as a "MLSDCO-VM:" marker on the serial console, which also carries the
# kernel log. Then powers off.
#
# usage (from initramfs-init): guest.sh REPO

REPO=$1
OUT=/run/vmout
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LC_ALL=C.UTF-8
export MLSDCO_IN_VM=1 MLSDCO_VM_OUT=$OUT

STREAM=/dev/hvc0
[ -c "$STREAM" ] || STREAM=/dev/console
CONSOLE=/dev/ttyS0
[ -c "$CONSOLE" ] || CONSOLE=/dev/console
exec </dev/null >"$STREAM" 2>&1

marker()
{
	echo "MLSDCO-VM: $*" >"$CONSOLE"
}

power_off()
{
	sync
	# Give the virtio console time to drain before the machine goes away.
	sleep 0.2
	echo o >/proc/sysrq-trigger
	sleep 10
}

setup_system()
{
	mkdir -p /dev/pts /dev/shm
	mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
	mount -t tmpfs -o mode=1777 shm /dev/shm
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
	hostname mlsdco-vm
	ip link set lo up
	ulimit -c 0
}

# No udev here, so nothing would load the CPU-specific crypto drivers and
# gcm(aes) & co. would silently run on the generic C code. Load by name what
# the benchmarks care about, then whatever the CPU's modalias matches.
load_cpu_crypto()
{
	local mod loaded=""

	for mod in aesni_intel ghash_clmulni_intel chacha_x86_64 \
		   poly1305_x86_64 sha256_ssse3 sha512_ssse3 crc32c_intel; do
		modprobe -q "$mod" 2>/dev/null && loaded="$loaded $mod"
	done
	# Only the crypto part: the rest (kvm, cpufreq) costs seconds under TCG.
	for mod in $(modprobe -R "$(cat /sys/devices/system/cpu/modalias)" \
		     2>/dev/null); do
		case $(modinfo -F filename "$mod" 2>/dev/null) in
		*/crypto/*)
			modprobe -q "$mod" 2>/dev/null &&
				[[ " $loaded " != *" $mod "* ]] &&
				loaded="$loaded $mod" ;;
		esac
	done
	CRYPTO_LOADED=$loaded
}

# run_test NUM PATH: one kselftest-runner entry for script PATH.
run_test()
{
	local num=$1 path=$2 name rc result start

	name="selftests: mlsdco: $(basename "$path")"
	echo "# $name"
	marker "begin $num $path"
	start=$(cut -d" " -f1 /proc/uptime)
	if [ ! -r "$path" ]; then
		echo "# $path: not found"
		rc=127
	else
		(
			cd "$(dirname "$path")" || exit 127
			if [ -x "$path" ]; then
				exec timeout -k 5 "$VM_TIMEOUT" "$path"
			fi
			exec timeout -k 5 "$VM_TIMEOUT" bash "$path"
		) 2>&1 | tee "$OUT/$num.log" | sed -u 's/^/# /'
		rc=${PIPESTATUS[0]}
	fi
	echo "$rc" >"$OUT/$num.rc.tmp" && mv "$OUT/$num.rc.tmp" "$OUT/$num.rc"
	marker "result $num rc=$rc $path"
	echo "# vm: $(basename "$path") took" \
	     "$(awk -v s="$start" '{ printf "%.1f", $1 - s }' /proc/uptime)s"
	case $rc in
	0)	result="ok $num $name" ;;
	4)	result="ok $num $name # SKIP" ;;
	124|137) result="not ok $num $name # TIMEOUT $VM_TIMEOUT seconds" ;;
	*)	result="not ok $num $name # exit=$rc" ;;
	esac
	echo "$result"
}

run_plan()
{
	local tests=() i

	mapfile -t tests <"$OUT/tests"
	echo "TAP version 13"
	echo "1..${#tests[@]}"
	echo "# vm: kernel $(uname -r), $(nproc) CPUs, crypto modules:$CRYPTO_LOADED"
	echo "# timeout set to $VM_TIMEOUT"
	for i in "${!tests[@]}"; do
		run_test $((i + 1)) "${tests[$i]}"
	done
}

run_demo()
{
	local demo=$REPO/selftests/demo.sh rc

	if [ ! -r "$demo" ]; then
		echo "vm: $demo does not exist yet, nothing to demonstrate"
		rc=4
	else
		marker "begin 1 $demo"
		(cd "$REPO" && timeout -k 5 "$VM_TIMEOUT" bash "$demo") 2>&1 |
			tee "$OUT/1.log"
		rc=${PIPESTATUS[0]}
	fi
	echo "$rc" >"$OUT/1.rc"
	marker "result 1 rc=$rc $demo"
}

setup_system
# shellcheck source=/dev/null
. "$OUT/plan"
marker "up $(cut -d" " -f1 /proc/uptime)s"
load_cpu_crypto
if [ "$VM_MODE" = demo ]; then
	run_demo
else
	run_plan
fi
marker "done"
: >"$OUT/done"
power_off
