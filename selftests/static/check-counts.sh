#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# selftests/check.sh counts honestly: run it on fake test programs, a fake
# vector runner and a fake VM runner whose results are known, and compare
# its closing line and exit code with what they must be. Needs nothing
# built; run by check.sh's static stage.
#
#   CHECK_SH=path/to/check.sh   the script under test (default: the tree's)
#   CHECK_COUNTS_PARTS="unit vectors vm"   which parts to run
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CHECK_SH=${CHECK_SH:-$HERE/../check.sh}
PARTS=${CHECK_COUNTS_PARTS:-unit vectors vm}
TMP=$(mktemp -d /tmp/check-counts.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FAILED=0

# fake_program PATH EXIT-CODE: a test program printing stdin, then exiting.
fake_program() {
	mkdir -p "$(dirname "$1")"
	{
		echo '#!/bin/sh'
		echo "cat <<'OUT'"
		cat
		echo 'OUT'
		echo "exit $2"
	} >"$1"
	chmod +x "$1"
}

# expect WHAT WANT-LINE WANT-RC STAGES: run check.sh on the fake tree.
expect() {
	local what=$1 want=$2 want_rc=$3 got rc
	shift 3

	SAN_BUILD=$TMP/san MLS_VECTORS_DIR=$TMP/vectors \
		CHECK_LOG_DIR=$TMP/logs CHECK_VM_RUNNER=$TMP/vm-runner \
		CHECK_STAGES="$*" bash "$CHECK_SH" >"$TMP/out" 2>&1
	rc=$?
	got=$(tail -n1 "$TMP/out")
	if [ "$got" = "$want" ] && [ "$rc" = "$want_rc" ]; then
		echo "ok: $what: $got (exit $rc)"
		return 0
	fi
	sed 's/^/  | /' "$TMP/out"
	echo "FAIL: $what: expected '$want' (exit $want_rc)," \
	     "got '$got' (exit $rc)"
	FAILED=1
}

# cmocka 1.1's output (its summary on stderr; check.sh reads both).
unit_tree() {
	fake_program "$TMP/san/tests/mls/test_skips" 0 <<'OUT'
[==========] Running 3 test(s).
[ RUN      ] a
[       OK ] a
[ RUN      ] b
[  SKIPPED ] b
[ RUN      ] c
[       OK ] c
[==========] 3 test(s) run.
[  PASSED  ] 2 test(s).
[  SKIPPED ] 1 test(s), listed below:
[  SKIPPED ] b

 1 SKIPPED TEST(S)
OUT
	fake_program "$TMP/san/tests/mls/test_fails" 1 <<'OUT'
[==========] Running 4 test(s).
[  FAILED  ] d
[  SKIPPED ] e
[  SKIPPED ] f
[==========] 4 test(s) run.
[  PASSED  ] 1 test(s).
[  SKIPPED ] 2 test(s), listed below:
[  SKIPPED ] e
[  SKIPPED ] f

 2 SKIPPED TEST(S)
[  FAILED  ] 1 test(s), listed below:
[  FAILED  ] d

 1 FAILED TEST(S)
OUT
	# Crashed before any summary.
	fake_program "$TMP/san/tests/mlsctl/test_crash" 134 <<'OUT'
[==========] Running 2 test(s).
[ RUN      ] g
OUT
	# Exited 0 but ran nothing cmocka would report.
	fake_program "$TMP/san/tests/mlsctl/test_silent" 0 </dev/null
}

vector_tree() {
	mkdir -p "$TMP/vectors"
	echo '{}' >"$TMP/vectors/tree-math.json"
	echo '{}' >"$TMP/vectors/welcome.json"
	echo '{}' >"$TMP/vectors/passive-client-random.json"
	# Implements tree-math only: the other two files are skipped.
	cat >"$TMP/san/bin/mls-vectors" <<'OUT'
#!/bin/sh
case $1 in
--list) echo tree-math ;;
tree-math) echo "tree-math: 7 passed, 0 failed" ;;
*) exit 2 ;;
esac
OUT
	chmod +x "$TMP/san/bin/mls-vectors"
}

# vm_runner PASS FAIL SKIP EXIT-CODE: prints two scripts' dmesg_clean
# results as the VM runner passes them on, then the totals.
vm_runner() {
	{
		echo '#!/bin/sh'
		echo "echo '# # dmesg_clean: 6.1.0-9-amd64 has no KASAN UBSAN KMEMLEAK: their reports cannot appear'"
		echo "echo '# ok 4 dmesg_clean'"
		echo "echo '# ok 2 dmesg_clean'"
		printf 'echo "vm: totals pass:%s fail:%s skip:%s"\nexit %s\n' "$@"
	} >"$TMP/vm-runner"
}

# expect_line WHAT LINE: the last check.sh run printed LINE.
expect_line() {
	if grep -qxF "$2" "$TMP/out"; then
		echo "ok: $1"
		return 0
	fi
	echo "FAIL: $1: no line '$2'"
	FAILED=1
}

for part in $PARTS; do
	case $part in
	unit)
		unit_tree
		# 2+1 passed; 1 failed + a crash + a silent program; 1+2 skipped.
		expect "cmocka skips counted, crash and silence are failures" \
			"3 passed, 3 failed, 3 skipped" 1 unit
		rm -rf "$TMP/san/tests/mlsctl" "$TMP/san/tests/mls/test_fails"
		expect "skips alone do not fail" \
			"2 passed, 0 failed, 1 skipped" 0 unit
		;;
	vectors)
		mkdir -p "$TMP/san/bin"
		vector_tree
		expect "vector files of unimplemented types are skipped" \
			"7 passed, 0 failed, 2 skipped" 0 vectors
		;;
	vm)
		vm_runner 0 0 17 0
		expect "a VM stage where every script skipped fails" \
			"0 passed, 1 failed, 17 skipped" 1 vm
		vm_runner 40 0 2 0
		expect "a VM stage with passes and skips passes" \
			"40 passed, 0 failed, 2 skipped" 0 vm
		expect_line "what dmesg_clean could not see is said" \
			"vm: 2 dmesg_clean passes looked for warnings, BUGs and oopses only (6.1.0-9-amd64 has no KASAN UBSAN KMEMLEAK)"
		vm_runner 40 0 0 1
		expect "a VM runner exiting non-zero fails" \
			"40 passed, 1 failed, 0 skipped" 1 vm
		;;
	*)
		echo "unknown part $part"
		FAILED=1 ;;
	esac
done
[ "$FAILED" = 0 ] && echo "check.sh counts: all as expected"
exit "$FAILED"
