#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# `make check`: every test the project has, in one run, ending with the plain
# line "N passed, N failed, N skipped". Stages:
#   unit     cmocka programs under ASan+UBSan (build-san/tests/)
#   vectors  mls-vectors on every applicable official MLS test-vector file
#   static   netlink/tests/check-*.sh: spec vs UAPI consistency, no kernel needed
#   vm       kselftest scripts inside a QEMU VM booting Debian's kernel
#   interop  the MLS working group's test-runner against two
#            mls-interop-server instances (and mls-interop-probe), suite
#            INTEROP_SUITES (default 1), public and private handshakes, every
#            scenario: one test per scenario and wire format. About 3
#            minutes on a loaded 2-core host (158 s measured);
#            `make interop` runs all seven suites. Skipped when the server,
#            the harness (../shared/interop) or the Go packages are missing.
# Each stage's own output is shown; a stage that cannot produce a count
# (crash, no summary) counts as one failure. What did not run is counted as
# skipped, never as passed: cmocka's skipped tests, vector files of a type
# the runner does not implement, skipped VM scripts and cases; and a VM
# stage in which nothing passed (every script skipped, as on a module built
# for another kernel) is a failure. selftests/static/check-counts.sh tests
# this counting on fake programs.
# Environment: SAN_BUILD, MLS_VECTORS_DIR, CHECK_STAGES, CHECK_LOG_DIR,
# INTEROP_SHARED, INTEROP_SUITES,
# CHECK_VM_RUNNER (the VM stage's runner, default selftests/vm/run.sh).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SAN_BUILD=${SAN_BUILD:-$ROOT/build-san}
VECTORS_DIR=${MLS_VECTORS_DIR:-$ROOT/../shared/mls-test-vectors}
STAGES=${CHECK_STAGES:-unit vectors static interop vm}
LOG_DIR=${CHECK_LOG_DIR:-$ROOT/build/check-logs}
VM_RUNNER=${CHECK_VM_RUNNER:-$ROOT/selftests/vm/run.sh}
mkdir -p "$LOG_DIR"

PASS=0
FAIL=0
SKIP=0
FAILED_WHAT=()

add() {	# add PASS FAIL SKIP WHAT
	PASS=$((PASS + $1))
	FAIL=$((FAIL + $2))
	SKIP=$((SKIP + $3))
	[ "$2" -gt 0 ] && FAILED_WHAT+=("$4")
	return 0
}

# run_logged NAME CMD...: run with output shown and kept in the log dir.
run_logged() {
	local name=$1
	shift
	"$@" 2>&1 | tee "$LOG_DIR/$name.log"
	return "${PIPESTATUS[0]}"
}

# Read "N passed, N failed[, N skipped]" (last such line) from a log.
plain_counts() {
	grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$1" |
		tail -n1 | sed -E 's/^[A-Za-z-]+: //' |
		awk -F'[ ,]+' '{ print $1, $3, ($5 == "" ? 0 : $5) }'
}

# cmocka_counts LOG: "PASSED FAILED SKIPPED" from cmocka's summary lines
# ("[  PASSED  ] N test(s).", "[  FAILED  ] N test(s), listed below:", the
# same for SKIPPED); the per-test lines that follow them name no number.
# cmocka's PASSED does not include the skipped ones.
cmocka_counts() {
	awk '/^\[  PASSED  \] [0-9]+ test/ { p += $4 }
	     /^\[  FAILED  \] [0-9]+ test/ { f += $4 }
	     /^\[  SKIPPED \] [0-9]+ test/ { s += $4 }
	     END { print p + 0, f + 0, s + 0 }' "$1"
}

stage_unit() {
	local t name rc p f s
	shopt -s nullglob
	local tests=("$SAN_BUILD"/tests/*/test_*)
	if [ ${#tests[@]} -eq 0 ]; then
		echo "unit: no test programs in $SAN_BUILD/tests"
		add 0 1 0 "unit: no tests built"
		return
	fi
	for t in "${tests[@]}"; do
		[ -x "$t" ] || continue
		name=unit-$(basename "$t")
		echo "--- unit: $(basename "$t")"
		MLS_VECTORS_DIR=$VECTORS_DIR run_logged "$name" "$t"
		rc=$?
		read -r p f s <<<"$(cmocka_counts "$LOG_DIR/$name.log")"
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "unit: $(basename "$t") exited $rc without a cmocka failure count"
			f=1
		elif [ $((p + f + s)) -eq 0 ]; then
			echo "unit: $(basename "$t") printed no cmocka summary"
			f=1
		fi
		add "$p" "$f" "$s" "unit: $(basename "$t")"
	done
}

# vector type for each official file; passive-client covers three files.
vector_type_of() {
	case $1 in
	passive-client-*) echo passive-client ;;
	psk_secret) echo psk-secret ;;
	*) echo "$1" ;;
	esac
}

stage_vectors() {
	local runner=$SAN_BUILD/bin/mls-vectors f base type rc counts
	if [ ! -x "$runner" ]; then
		add 0 1 0 "vectors: mls-vectors not built"
		return
	fi
	if [ ! -d "$VECTORS_DIR" ]; then
		echo "vectors: $VECTORS_DIR missing, skipped"
		add 0 0 1 "vectors"
		return
	fi
	local supported
	supported=$("$runner" --list 2>/dev/null)
	echo "vectors: runner supports: $(echo $supported)"
	for f in "$VECTORS_DIR"/*.json; do
		base=$(basename "$f" .json)
		type=$(vector_type_of "$base")
		if ! grep -qx "$type" <<<"$supported"; then
			echo "vectors: $base.json: type '$type' not implemented yet, skipped"
			add 0 0 1 "vectors: $base.json"
			continue
		fi
		run_logged "vectors-$base" "$runner" "$type" "$f" | tail -n 5
		rc=${PIPESTATUS[0]}
		counts=$(plain_counts "$LOG_DIR/vectors-$base.log")
		if [ -z "$counts" ]; then
			echo "vectors: $base.json: runner exited $rc with no summary"
			add 0 1 0 "vectors: $base.json"
			continue
		fi
		read -r p fl s <<<"$counts"
		echo "vectors: $base.json ($type): $p passed, $fl failed"
		[ "$rc" -ne 0 ] && [ "$fl" -eq 0 ] && fl=1
		add "$p" "$fl" "$s" "vectors: $base.json"
	done
}

stage_static() {
	local s name
	for s in "$ROOT"/netlink/tests/check-*.sh "$ROOT"/selftests/static/check-*.sh; do
		[ -e "$s" ] || continue
		name=static-$(basename "$s" .sh)
		if run_logged "$name" bash "$s"; then
			add 1 0 0 "$name"
		else
			add 0 1 0 "$name"
		fi
	done
}

# dmesg_detectors_summary LOG: each script's dmesg_clean case passes on a
# kernel without KASAN, UBSAN or kmemleak too; say so next to the count.
dmesg_detectors_summary() {
	local note n

	note=$(grep -ao 'dmesg_clean: .* has no[^:]*' "$1" | sort -u | head -n1)
	[ -n "$note" ] || return 0
	n=$(grep -acE '^(# )?ok [0-9]+ dmesg_clean$' "$1")
	echo "vm: $n dmesg_clean passes looked for warnings, BUGs and oopses only (${note#dmesg_clean: })"
}

stage_vm() {
	local counts
	# TCG is slow and CI machines may be shared: 1500 s per script, a bound
	# for hangs only (dp_rekey took 225 s on a loaded 2-core host, 777 s per
	# underlay with six builds and four VMs on it).
	run_logged vm bash "$VM_RUNNER" --timeout 1500
	local rc=$?
	counts=$(grep -E '^vm: totals pass:[0-9]+ fail:[0-9]+ skip:[0-9]+' "$LOG_DIR/vm.log" |
		tail -n1 | sed -E 's/.*pass:([0-9]+) fail:([0-9]+) skip:([0-9]+).*/\1 \2 \3/')
	if [ -z "$counts" ]; then
		echo "vm: runner exited $rc with no totals line"
		add 0 1 0 "vm: no result"
		return
	fi
	read -r p f s <<<"$counts"
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		# Every script skipped (say, mlsdco.ko built for another
		# kernel): the kernel side was not tested at all.
		echo "vm: nothing passed ($s skipped): the kernel side was not tested"
		f=1
	fi
	add "$p" "$f" "$s" "vm selftests"
	dmesg_detectors_summary "$LOG_DIR/vm.log"
}

stage_interop() {
	local server=$ROOT/build/bin/mls-interop-server
	local runner=$ROOT/build/interop/test-runner
	local probe=$ROOT/build/bin/mls-interop-probe
	local shared=${INTEROP_SHARED:-$ROOT/../shared/interop} counts rc
	if [ ! -x "$server" ] || [ ! -x "$probe" ] ||
		[ ! -d "$shared/configs" ]; then
		echo "interop: no $server, $probe or $shared/configs, skipped"
		add 0 0 1 "interop"
		return
	fi
	if [ ! -x "$runner" ] &&
		! bash "$shared/build-test-runner.sh" "$(dirname "$runner")"; then
		echo "interop: the test-runner does not build (Go packages?), skipped"
		add 0 0 1 "interop"
		return
	fi
	run_logged interop bash "$ROOT/mls/interop/run-interop.sh" \
		--server "$server" --runner "$runner" \
		--probe "$probe" --configs "$shared/configs" --suites "${INTEROP_SUITES:-1}" \
		--out "$LOG_DIR/interop"
	rc=$?
	counts=$(plain_counts "$LOG_DIR/interop.log")
	if [ -z "$counts" ]; then
		echo "interop: run-interop.sh exited $rc with no summary"
		add 0 1 0 "interop: no result"
		return
	fi
	read -r p f s <<<"$counts"
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	add "$p" "$f" "$s" "interop"
}

for st in $STAGES; do
	t0=$SECONDS
	echo "=== check: $st"
	"stage_$st"
	echo "=== check: $st took $((SECONDS - t0)) s (running totals: $PASS passed, $FAIL failed, $SKIP skipped)"
done

if [ ${#FAILED_WHAT[@]} -gt 0 ]; then
	echo "=== check: failures in:"
	printf '  %s\n' "${FAILED_WHAT[@]}"
fi
echo "$PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
