# SPDX-License-Identifier: MIT
#
# Shared helpers for the mlsdco selftests, sourced by every script:
#
#	#!/bin/bash
#	. "$(dirname "$(readlink -f "$0")")/lib.sh"
#	require_root
#	require_module
#	ktap_begin 3		# cases, not counting the dmesg check
#	run_case link_add test_link_add
#	...
#	ktap_finish		# dmesg check, "# Totals:", exit 0/1/4
#
# Output is KTAP (Documentation/dev-tools/ktap.rst) with kselftest's exit
# codes: 0 pass, 1 fail, 4 skip. Each case runs in a subshell, so a failing
# case cannot leave state behind in the script; anything a case creates
# (namespaces, modules, files) is registered for the EXIT trap instead.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LIB_DIR/.." && pwd)
MLSDCO_KO=${MLSDCO_KO:-$REPO/kmod/mlsdco.ko}
MLSCTL=${MLSCTL:-$REPO/build/bin/mlsctl}
TEST_NAME=$(basename "$0" .sh)
export PATH=$PATH:/usr/sbin:/sbin

# Lines a test must not cause in the kernel log.
DMESG_BAD='WARNING:|BUG[: ]|Oops|refcount|leak|general protection|Call Trace|KASAN|UBSAN|kernel panic|soft lockup|hung task'

KTAP_NUM=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0
KTAP_PLANNED=0

LIB_TMP=$(mktemp -d "/tmp/mlsdco-$TEST_NAME.XXXXXX")
LIB_CLEANUP=$LIB_TMP/cleanup
: >"$LIB_CLEANUP"
NS_PREFIX="mt$$-"
NS_SEQ_FILE=$LIB_TMP/ns-seq
echo 0 >"$NS_SEQ_FILE"

log()
{
	echo "# $*"
}

# ---- KTAP -------------------------------------------------------------------

# ktap_begin CASES: the plan; one more case, the dmesg check, is added.
ktap_begin()
{
	KTAP_PLANNED=$(($1 + 1))
	echo "TAP version 13"
	echo "1..$KTAP_PLANNED"
	dmesg_mark
}

ktap_ok()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_NUM $1"
}

ktap_fail()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_NUM $1${2:+ # $2}"
}

ktap_skip()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_NUM $1 # SKIP $2"
}

# run_case NAME FUNCTION [ARGS...]: FUNCTION passes by returning 0, skips
# by returning 4 after printing the reason as its last line, fails
# otherwise; its output becomes diagnostic ("# ") lines.
run_case()
{
	local name=$1 out rc
	shift

	out=$LIB_TMP/case.out
	("$@") >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	case $rc in
	0) ktap_ok "$name" ;;
	4) ktap_skip "$name" "$(tail -n1 "$out")" ;;
	*) ktap_fail "$name" "exit $rc" ;;
	esac
}

# skip_case REASON: from inside a case function.
skip_case()
{
	echo "$*"
	exit $KSFT_SKIP
}

# ktap_finish: run the dmesg check, print totals, exit with the kselftest
# code. Cleanup runs from the EXIT trap.
ktap_finish()
{
	run_case dmesg_clean dmesg_check
	[ "$KTAP_NUM" -eq "$KTAP_PLANNED" ] ||
		log "plan said $KTAP_PLANNED cases, ran $KTAP_NUM"
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0" \
	     "skip:$KTAP_SKIP error:0"
	if [ "$KTAP_FAIL" -gt 0 ] || [ "$KTAP_NUM" -ne "$KTAP_PLANNED" ]; then
		exit $KSFT_FAIL
	fi
	if [ "$KTAP_PASS" -eq 0 ] && [ "$KTAP_SKIP" -gt 0 ]; then
		exit $KSFT_SKIP
	fi
	exit $KSFT_PASS
}

# ktap_skip_all REASON: nothing in this script can run.
ktap_skip_all()
{
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

# ---- assertions (inside case functions) -------------------------------------

# check DESCRIPTION COMMAND...: run COMMAND, fail the case if it fails.
check()
{
	local what=$1
	shift

	if ! "$@"; then
		echo "FAIL: $what (command: $*)"
		exit $KSFT_FAIL
	fi
}

# check_fails DESCRIPTION COMMAND...: COMMAND must fail.
check_fails()
{
	local what=$1
	shift

	if "$@"; then
		echo "FAIL: $what succeeded but must not (command: $*)"
		exit $KSFT_FAIL
	fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq()
{
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: expected '$2', got '$3'"
		exit $KSFT_FAIL
	fi
}

# quiet COMMAND...: run COMMAND, show its output only if it fails.
quiet()
{
	local out rc

	out=$("$@" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || printf '%s\n' "$out"
	return $rc
}

# wait_until SECONDS COMMAND...: poll until COMMAND succeeds. For what the
# kernel does asynchronously (namespace teardown runs from a workqueue).
# SECONDS is wall time: on a starved guest one probe (mlsctl, python) can
# take seconds, and a count of probes would stretch the bound tenfold.
wait_until()
{
	local end=$((SECONDS + $1))
	shift

	while [ "$SECONDS" -lt "$end" ]; do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# ---- cleanup ----------------------------------------------------------------

# on_exit COMMAND...: run COMMAND when the script exits, last in first out.
# Works from case subshells too (the list is a file).
on_exit()
{
	printf '%q ' "$@" >>"$LIB_CLEANUP"
	echo >>"$LIB_CLEANUP"
}

lib_cleanup()
{
	local rc=$?

	if [ -s "$LIB_CLEANUP" ]; then
		tac "$LIB_CLEANUP" | while read -r cmd; do
			eval "$cmd" >/dev/null 2>&1
		done
	fi
	rm -rf "$LIB_TMP"
	exit $rc
}
trap lib_cleanup EXIT
trap 'exit $KSFT_FAIL' INT TERM

# ---- network namespaces -------------------------------------------------------

# ns_create: create a namespace with a name unique to this run, print it,
# and delete it at exit. Loopback is brought up.
ns_create()
{
	local seq name

	seq=$(($(cat "$NS_SEQ_FILE") + 1))
	echo "$seq" >"$NS_SEQ_FILE"
	name=$NS_PREFIX$seq
	ip netns add "$name" || return 1
	on_exit ns_delete "$name"
	ip -n "$name" link set lo up
	echo "$name"
}

ns_delete()
{
	ip netns del "$1" 2>/dev/null
}

ns_exists()
{
	[ -e "/run/netns/$1" ]
}

# ---- requirements -----------------------------------------------------------

require_root()
{
	[ "$(id -u)" -eq 0 ] || ktap_skip_all "must run as root"
}

require_cmd()
{
	local c

	for c; do
		command -v "$c" >/dev/null ||
			ktap_skip_all "$c not installed"
	done
}

# require_module: kmod/mlsdco.ko must exist and match the running kernel.
require_module()
{
	local vermagic

	if [ ! -r "$MLSDCO_KO" ] && ! module_loaded mlsdco; then
		ktap_skip_all "$MLSDCO_KO not built (make kmod)"
	fi
	[ -r "$MLSDCO_KO" ] || return 0
	vermagic=$(modinfo -F vermagic "$MLSDCO_KO" 2>/dev/null)
	[ "${vermagic%% *}" = "$(uname -r)" ] ||
		ktap_skip_all "mlsdco.ko built for ${vermagic%% *}, running $(uname -r)"
}

# ---- the module -------------------------------------------------------------

module_loaded()
{
	[ -d "/sys/module/$1" ]
}

# mlsdco_load: insmod the tree's module (modprobe its dependencies first,
# insmod does not) and remove it at exit if this script loaded it.
mlsdco_load()
{
	local dep

	module_loaded mlsdco && return 0
	for dep in $(modinfo -F depends "$MLSDCO_KO" | tr ',' ' '); do
		modprobe "$dep" || return 1
	done
	insmod "$MLSDCO_KO" || return 1
	on_exit mlsdco_unload
}

mlsdco_unload()
{
	module_loaded mlsdco || return 0
	rmmod mlsdco
}

require_mlsctl()
{
	[ -x "$MLSCTL" ] || ktap_skip_all "$MLSCTL not built (make)"
}

# in_ns NS COMMAND...: COMMAND in network namespace NS. Cheaper than
# "ip netns exec", which also remounts /sys; use that one when COMMAND reads
# /sys/class/net.
in_ns()
{
	local ns=$1
	shift

	nsenter --net="/run/netns/$ns" -- "$@"
}

# in_ns_bg NS COMMAND...: COMMAND in NS in the background, as the process
# $! names afterwards (not a subshell around it, which a kill would leave
# the command running behind).
in_ns_bg()
{
	local ns=$1
	shift

	(exec nsenter --net="/run/netns/$ns" -- "$@") &
}

# mlsctl_in NS ARGS...: the tree's CLI inside namespace NS.
mlsctl_in()
{
	local ns=$1
	shift

	in_ns "$ns" "$MLSCTL" "$@"
}

# unprivileged_in NS COMMAND...: COMMAND as nobody without any capability,
# inside namespace NS.
unprivileged_in()
{
	local ns=$1
	shift

	in_ns "$ns" setpriv --reuid=65534 --regid=65534 \
		--clear-groups --inh-caps=-all --bounding-set=-all -- "$@"
}

# ---- kernel log -------------------------------------------------------------

# Write a unique line to the kernel log; dmesg_check reads from there on,
# which also survives other writers and ring buffer wrap better than a count.
dmesg_mark()
{
	DMESG_MARK="mlsdco-selftest: begin $TEST_NAME $$ $RANDOM$RANDOM"
	echo "$DMESG_MARK" >/dev/kmsg 2>/dev/null || DMESG_MARK=
}

dmesg_since_mark()
{
	if [ -n "$DMESG_MARK" ] && dmesg | grep -qF "$DMESG_MARK"; then
		dmesg | awk -v m="$DMESG_MARK" 'seen { print } index($0, m) { seen = 1 }'
	else
		dmesg
	fi
}

# kernel_config: the running kernel's build configuration, wherever it is
# (the test VM sees the host's /usr, so the headers' copy).
kernel_config()
{
	local f

	if [ -r /proc/config.gz ]; then
		zcat /proc/config.gz
		return
	fi
	for f in "/boot/config-$(uname -r)" "/lib/modules/$(uname -r)/build/.config"; do
		[ -r "$f" ] && { cat "$f"; return; }
	done
	return 1
}

# dmesg_detectors_note: say which memory-error detectors whose reports
# DMESG_BAD names this kernel lacks: without them a use-after-free or a
# leak logs nothing, and dmesg_clean only proves the absence of warnings,
# BUGs, oopses and lockups.
dmesg_detectors_note()
{
	local config missing="" opt

	if ! config=$(kernel_config); then
		echo "dmesg_clean: the config of $(uname -r) is unreadable:" \
		     "KASAN, UBSAN and kmemleak may be missing"
		return
	fi
	for opt in KASAN UBSAN DEBUG_KMEMLEAK; do
		grep -q "^CONFIG_$opt=y" <<<"$config" || missing="$missing ${opt#DEBUG_}"
	done
	[ -n "$missing" ] &&
		echo "dmesg_clean: $(uname -r) has no$missing: their reports" \
		     "cannot appear, only warnings, BUGs, oopses and lockups are looked for"
	return 0
}

dmesg_check()
{
	local bad

	[ -n "$DMESG_MARK" ] || skip_case "cannot write /dev/kmsg"
	dmesg_detectors_note
	bad=$(dmesg_since_mark | grep -E "$DMESG_BAD")
	if [ -n "$bad" ]; then
		echo "kernel log since the test started:"
		dmesg_since_mark | tail -n 60
		echo "FAIL: the kernel logged warnings during $TEST_NAME"
		return 1
	fi
	return 0
}
