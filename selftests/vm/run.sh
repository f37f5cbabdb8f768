#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Boot Debian's kernel once under QEMU (TCG, microvm, PVH entry) and run
# kselftest-style scripts in it as root. The guest sees the host's /usr and
# /etc and this tree read-only over virtio-9p (see initramfs-init), so it
# runs the freshly built module and programs.
#
# usage: selftests/vm/run.sh [--timeout SECONDS] [--demo] [TEST_SCRIPT...]
#   --timeout S  limit for each test script (default 120); the whole VM gets
#                a boot allowance plus S per script
#   --demo       run selftests/demo.sh instead of tests
#   TEST_SCRIPT  default: TEST_PROGS of selftests/Makefile
#
# Streams KTAP on stdout; the last line is
#   vm: totals pass:P fail:F skip:S
# Exit 0 iff F == 0. A test that exits non-zero without a failed case, and a
# boot that returns no code (panic, hang, timeout), each count one failure.
# Environment: KVER (kernel to boot), VM_MEM (default 2G), VM_CPUS (2),
# QEMU (qemu-system-x86_64), VM_KEEP=1 keeps the run folder, VM_APPEND
# (extra kernel parameters, e.g. loglevel=7).

set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
QEMU=${QEMU:-qemu-system-x86_64}
VM_MEM=${VM_MEM:-2G}
VM_CPUS=${VM_CPUS:-2}
BOOT_ALLOWANCE=60
TIMEOUT=120
MODE=tests

usage()
{
	sed -n '/^# usage:/,/^# Exit/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--timeout)
		[ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]*$ ]] || usage
		TIMEOUT=$2
		shift 2 ;;
	--demo) MODE=demo; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done

# The newest kernel that has both an image to boot and a module tree.
pick_kver()
{
	local v

	for v in $(ls -1 /lib/modules 2>/dev/null | sort -rV); do
		if [ -r "/boot/vmlinuz-$v" ] && [ -r "/lib/modules/$v/modules.dep" ]; then
			echo "$v"
			return 0
		fi
	done
	return 1
}

default_tests()
{
	make -s -C "$REPO/selftests" --no-print-directory print-tests
}

# microvm has no PIT or HPET to calibrate the TSC against; without this the
# guest sometimes hangs in early boot.
host_tsc_khz()
{
	awk -F: '/^cpu MHz/ { printf "%d\n", $2 * 1000; exit }' /proc/cpuinfo
}

# Nothing booted: still one failure and the totals line callers parse.
no_boot()
{
	echo "# vm: $*"
	echo "vm: totals pass:0 fail:1 skip:0"
	exit 1
}

KVER=${KVER:-$(pick_kver)} || no_boot "no bootable kernel with modules"

# Options of selftests/config the kernel lacks (=m is met by =y, not the
# other way round).
config_missing()
{
	local cfg=/boot/config-$KVER key want got

	[ -r "$cfg" ] || return 0
	while IFS== read -r key want; do
		got=$(grep "^$key=" "$cfg" | cut -d= -f2)
		if [ -z "$got" ] || { [ "$want" = y ] && [ "$got" != y ]; }; then
			echo -n " $key"
		fi
	done < <(grep '^CONFIG_' "$REPO/selftests/config")
}
MISSING=$(config_missing)
[ -z "$MISSING" ] || echo "# vm: WARNING: $KVER lacks selftests/config options:$MISSING"
IMAGES=$(bash "$HERE/mkimage.sh" "$KVER" "$REPO/build/vm") ||
	no_boot "cannot build the boot images for $KVER"
VMLINUX=$(sed -n 1p <<<"$IMAGES")
INITRAMFS=$(sed -n 2p <<<"$IMAGES")

RUN=$REPO/build/vm/out/run.$$
rm -rf "$RUN"
mkdir -p "$RUN/scripts"

if [ "$MODE" = demo ]; then
	set --
elif [ $# -eq 0 ]; then
	read -r -a defaults <<<"$(default_tests)"
	set -- "${defaults[@]/#/$REPO/selftests/}"
fi

# Scripts inside the tree run in place (the guest sees it at the same path);
# others are copied into the run folder, which the guest mounts at /run/vmout.
: >"$RUN/tests"
n=0
for t in "$@"; do
	n=$((n + 1))
	abs=$(realpath -m "$t")
	if [ ! -r "$abs" ]; then
		echo "vm: $t: no such test script" >&2
		exit 2
	fi
	case $abs in
	"$REPO"/*) echo "$abs" >>"$RUN/tests" ;;
	*)	mkdir -p "$RUN/scripts/$n"
		cp "$abs" "$RUN/scripts/$n/"
		echo "/run/vmout/scripts/$n/$(basename "$abs")" >>"$RUN/tests" ;;
	esac
done
[ "$MODE" = demo ] && n=1
if [ "$n" -eq 0 ]; then
	echo "vm: no tests to run" >&2
	exit 2
fi
printf 'VM_TIMEOUT=%s\nVM_MODE=%s\n' "$TIMEOUT" "$MODE" >"$RUN/plan"

finish()
{
	if [ "${VM_KEEP:-0}" = 1 ]; then
		echo "vm: run folder kept: $RUN" >&2
	else
		rm -rf "$REPO/build/vm/out/last"
		mv "$RUN" "$REPO/build/vm/out/last" 2>/dev/null
	fi
}
trap finish EXIT

share()
{
	local tag=$1 path=$2 ro=$3

	echo "-fsdev local,id=fs_$tag,path=$path,security_model=none$ro" \
	     "-device virtio-9p-device,fsdev=fs_$tag,mount_tag=$tag"
}

CMDLINE="console=ttyS0 loglevel=5 panic=-1 reboot=t no_timer_check"
CMDLINE="$CMDLINE tsc_early_khz=$(host_tsc_khz) tsc=reliable mitigations=off"
CMDLINE="$CMDLINE i8042.noaux i8042.nokbd random.trust_cpu=on"
# own caches stay visible in /proc/slabinfo, so leak checks can count them
CMDLINE="$CMDLINE slab_nomerge"
CMDLINE="$CMDLINE mlsdco.repo=$REPO ${VM_APPEND:-}"

WALL=$((BOOT_ALLOWANCE + n * (TIMEOUT + 10)))
START=$(date +%s.%N)
# shellcheck disable=SC2046
timeout -k 5 "$WALL" "$QEMU" \
	-M microvm,accel=tcg -cpu max -smp "$VM_CPUS" -m "$VM_MEM" \
	-nodefaults -no-user-config -display none -no-reboot \
	-kernel "$VMLINUX" -initrd "$INITRAMFS" -append "$CMDLINE" \
	-serial "file:$RUN/console.log" \
	-device virtio-serial-device \
	-chardev stdio,id=stream,signal=off -device virtconsole,chardev=stream \
	$(share usr /usr ,readonly=on) \
	$(share etc /etc ,readonly=on) \
	$(share repo "$REPO" ,readonly=on) \
	$(share out "$RUN" "") \
	</dev/null | tr -d '\r'
QEMU_RC=${PIPESTATUS[0]}
ELAPSED=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')

# Sum the scripts' own "# Totals:" lines; a script that exits non-zero
# without reporting a failed case, or never returns a code, adds one failure.
pass=0 fail=0 skip=0 lost=0
for i in $(seq 1 "$n"); do
	t=$(sed -n "${i}p" "$RUN/tests")
	[ "$MODE" = demo ] && t=$REPO/selftests/demo.sh
	rc=$(cat "$RUN/$i.rc" 2>/dev/null)
	totals=$(grep -a '^# Totals:' "$RUN/$i.log" 2>/dev/null | tail -n1)
	p=$(sed -n 's/.* pass:\([0-9]*\).*/\1/p' <<<"$totals")
	f=$(sed -n 's/.* fail:\([0-9]*\).*/\1/p' <<<"$totals")
	s=$(sed -n 's/.* skip:\([0-9]*\).*/\1/p' <<<"$totals")
	p=${p:-0} f=${f:-0} s=${s:-0}
	if [ -z "$rc" ]; then
		# The VM died (panic, hang, timeout): one failure for the whole
		# event, however many scripts it took with it.
		if [ "$lost" = 0 ]; then
			echo "not ok $i selftests: mlsdco: $(basename "$t") # no exit code came back"
			f=$((f + 1))
		else
			echo "not ok $i selftests: mlsdco: $(basename "$t") # not run, the VM was gone"
		fi
		lost=1
	elif [ -z "$totals" ]; then
		case $rc in
		0) p=1 ;;
		4) s=1 ;;
		*) f=1 ;;
		esac
	elif [ "$rc" != 0 ] && [ "$rc" != 4 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done

if [ "$lost" = 1 ] || [ ! -e "$RUN/done" ]; then
	if [ "$QEMU_RC" = 124 ] || [ "$QEMU_RC" = 137 ]; then
		echo "# vm: TIMEOUT: the VM was still running after ${WALL}s"
	else
		echo "# vm: the guest stopped without finishing (qemu exit $QEMU_RC)"
	fi
	[ -e "$RUN/done" ] || [ "$lost" = 1 ] || fail=$((fail + 1))
	echo "# vm: last 40 lines of the serial console ($REPO/build/vm/out/last/console.log):"
	tail -n 40 "$RUN/console.log" 2>/dev/null | tr -d '\r' | sed 's/^/# | /'
fi
boot=$(sed -n 's/.*MLSDCO-VM: up \([0-9.]*s\).*/\1/p' "$RUN/console.log" 2>/dev/null)
echo "# vm: kernel $KVER, userspace after ${boot:-?} (guest uptime), wall ${ELAPSED}s"
echo "vm: totals pass:$pass fail:$fail skip:$skip"
[ "$fail" -eq 0 ]
