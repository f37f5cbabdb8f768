#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the MLS working group's interop test-runner against two instances of
# mls-interop-server: every config, every suite, public and private
# handshakes; print a pass/fail table per scenario and suite.
#
#   run-interop.sh --server BIN --runner BIN --configs DIR [--probe BIN]
#                  [--suites "1 2 .."] [--only "commit welcome_join"]
#                  [--wires "public private"] [--out DIR] [--random]
#
# Exit 0 when every run passed, 1 on any failure, 4 when nothing ran. The
# last line is "interop: N passed, N failed, N skipped", one test per
# scenario, suite and wire format.
# deep_random has 841 actors, so every assignment of the two servers to
# them (what the runner does by default) is out of reach: it runs with
# -random (one random assignment per run); the others run every
# assignment, or one random one with --random (the P-384 and P-521 suites
# are slow enough to need it on a loaded host).
set -uo pipefail

server= runner= configs= out= probe=
suites="1 2 3 4 5 6 7" only= wires="public private" random=
while [ $# -gt 0 ]; do
	case "$1" in
	--server) server=$2; shift 2 ;;
	--runner) runner=$2; shift 2 ;;
	--probe) probe=$2; shift 2 ;;
	--configs) configs=$2; shift 2 ;;
	--suites) suites=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--wires) wires=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--random) random=1; shift ;;
	*) echo "run-interop: unknown option $1" >&2; exit 2 ;;
	esac
done
for f in "$server" "$runner"; do
	[ -x "$f" ] || { echo "run-interop: $f missing" >&2; exit 4; }
done
[ -d "$configs" ] || { echo "run-interop: no configs in $configs" >&2; exit 4; }
out=${out:-$(dirname "$runner")/results}
mkdir -p "$out"

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
}
trap cleanup EXIT

clients=()
for i in 1 2; do
	port=$(free_port)
	"$server" --port "$port" >"$out/server$i.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 300); do
		grep -qs listening "$out/server$i.log" && break
		sleep 0.1
	done
	grep -qs listening "$out/server$i.log" ||
		{ echo "run-interop: server $i did not start" >&2; exit 1; }
	clients+=(-client "127.0.0.1:$port")
done

# Malformed requests first (mls-interop-probe): each must fail cleanly and
# leave the server answering.
probe_ok=
if [ -n "$probe" ]; then
	"$probe" "${clients[1]}" >"$out/probe.log" 2>&1 && probe_ok=1
	tail -n1 "$out/probe.log"
	[ -n "$probe_ok" ] || grep '^not ok' "$out/probe.log"
	probe_ok=${probe_ok:-0}
fi

names=()
for c in "$configs"/*.json; do
	n=$(basename "$c" .json)
	if [ -n "$only" ] && ! [[ " $only " == *" $n "* ]]; then continue; fi
	names+=("$n")
done

start=$(date +%s)
for n in "${names[@]}"; do
	mode=()
	{ [ "$n" = deep_random ] || [ -n "$random" ]; } && mode=(-random)
	for s in $suites; do
		for w in $wires; do
			res="$out/$n.$s.$w.json"
			timeout 1800 "$runner" "${clients[@]}" \
				-config "$configs/$n.json" -suite "$s" \
				"-$w" "${mode[@]}" >"$res" 2>"$out/$n.$s.$w.log"
			echo "$?" >"$out/$n.$s.$w.rc"
		done
	done
done
echo "run-interop: $(( $(date +%s) - start ))s for ${#names[@]} configs," \
	"suites $suites, $wires"

# Table: one row per scenario (config/script), one column per suite, each
# cell passed/total runs over the requested wire formats.
python3 - "$out" "$suites" "$wires" "$probe_ok" "${names[@]}" <<'PY'
import json, os, sys
out, suites, wires, probe, names = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4], sys.argv[5:]
rows, fails, missing = {}, 0, 0
errors = []
tests = {}	# (config/script, suite, wire) -> every run passed
if probe:
    tests[("probe", "-", "-")] = probe == "1"
for n in names:
    for s in suites:
        for w in wires:
            base = os.path.join(out, f"{n}.{s}.{w}")
            try:
                res = json.load(open(base + ".json"))["scripts"]
            except Exception:
                err = open(base + ".log").read().strip().splitlines()
                rows.setdefault((n, "(runner)"), {})[s] = "ERR"
                tests[(n, s, w)] = False
                errors.append(f"{n} suite {s} {w}: runner failed: {err[-1] if err else '?'}")
                missing += 1
                continue
            for script, runs in res.items():
                cell = rows.setdefault((n, script), {}).setdefault(s, [0, 0])
                if isinstance(cell, str):
                    continue
                key = (n + "/" + script, s, w)
                tests.setdefault(key, True)
                for r in runs:
                    cell[1] += 1
                    if r.get("failed_step") is None:
                        cell[0] += 1
                    else:
                        fails += 1
                        tests[key] = False
                        errors.append(f"{n}/{script} suite {s} {w}: step {r['failed_step']}: {r.get('error')}")
width = max(len(f"{a}/{b}") for a, b in rows) if rows else 10
print(f"{'scenario':<{width}} " + " ".join(f"{'suite ' + s:>11}" for s in suites))
for (n, script), cells in sorted(rows.items()):
    line = f"{n + '/' + script:<{width}} "
    for s in suites:
        c = cells.get(s)
        txt = "-" if c is None else c if isinstance(c, str) else f"{c[0]}/{c[1]}" + ("" if c[0] == c[1] else " F")
        line += f"{txt:>11} "
    print(line.rstrip())
total = sum(c[1] for cells in rows.values() for c in cells.values() if not isinstance(c, str))
passed = sum(c[0] for cells in rows.values() for c in cells.values() if not isinstance(c, str))
print(f"\nruns: {passed}/{total} passed, {fails} failed, {missing} runner errors (wires: {' '.join(wires)})")
# Each distinct failure once, with how often it happened.
seen = {}
for e in errors:
    seen[e] = seen.get(e, 0) + 1
for e, k in list(seen.items())[:40]:
    print("FAIL", e[:300], f"(x{k})" if k > 1 else "")
# One line check.sh reads: a scenario in one suite and wire format is one
# test, passed when every run of it (every assignment of servers) passed.
ok = sum(1 for v in tests.values() if v)
print(f"interop: {ok} passed, {len(tests) - ok} failed, 0 skipped")
sys.exit(1 if fails or missing else (4 if total == 0 else 0))
PY
