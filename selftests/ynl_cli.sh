#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The kernel's YNL CLI (tools/net/ynl/cli.py of Linux 6.12) drives the
# mlsdco family from our spec alone, netlink/mlsdco.yaml, validated against
# the kernel's genetlink-legacy schema: dev-get (do and dump), group-new,
# member-set, epoch-new with binary keys, group-get (do and dump) with
# stats, group-del. Every result is checked against `mlsctl show -j`, which
# reads the same state through our own library; a key of the wrong length
# must fail with the kernel's extack message in cli.py's output.
#
# cli.py comes from Debian's linux-source-6.12 tarball, which `make`
# extracts to build/ynl (netlink/netlink.mk); YNL_DIR overrides the place.
# Without it the test extracts the tarball itself (slow under TCG), and
# without the tarball it skips.

. "$(dirname "$(readlink -f "$0")")/lib.sh"

YNL_TARBALL=${YNL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
YNL_DIR=${YNL_DIR:-$REPO/build/ynl}
SPEC=$REPO/netlink/mlsdco.yaml
DEV=mlsdco0
GID=7
STATE=$LIB_TMP/ns

require_root
require_module
require_mlsctl
require_cmd ip python3

python3 -c 'import yaml' 2>/dev/null ||
	ktap_skip_all "python3-yaml is needed by cli.py"
# Without python3-jsonschema cli.py still runs (--no-schema), but the
# check of the spec against the kernel's schema skips.
if python3 -c 'import jsonschema' 2>/dev/null; then
	HAVE_JSONSCHEMA=1
else
	HAVE_JSONSCHEMA=
fi
if [ ! -r "$YNL_DIR/tools/net/ynl/cli.py" ]; then
	[ -r "$YNL_TARBALL" ] ||
		ktap_skip_all "no YNL CLI: $YNL_DIR/tools/net/ynl/cli.py missing and no $YNL_TARBALL (apt-get install linux-source-6.12)"
	YNL_DIR=$LIB_TMP/ynl
	mkdir -p "$YNL_DIR"
	tar -xJf "$YNL_TARBALL" -C "$YNL_DIR" --strip-components=1 \
		--wildcards '*/tools/net/ynl/*' '*/Documentation/netlink/*' ||
		ktap_skip_all "cannot extract tools/net/ynl from $YNL_TARBALL"
fi
YNL_CLI=$YNL_DIR/tools/net/ynl/cli.py
YNL_SCHEMA=$YNL_DIR/Documentation/netlink/genetlink-legacy.yaml

# ynl ARGS...: cli.py on our spec in the test's namespace, JSON out. The
# spec is validated against the kernel's schema by spec_validates and by
# the first dev-get (YNL_SCHEMA_CHECK=1); the other calls skip it, since
# jsonschema costs seconds per call under TCG.
ynl()
{
	local schema=(--no-schema)

	[ -n "$HAVE_JSONSCHEMA" ] && [ -n "${YNL_SCHEMA_CHECK:-}" ] &&
		schema=(--schema "$YNL_SCHEMA")
	in_ns "$NS" env PYTHONDONTWRITEBYTECODE=1 python3 "$YNL_CLI" \
		--spec "$SPEC" "${schema[@]}" --output-json "$@"
}

# The spec is valid genetlink-legacy as the kernel's schema defines it,
# and YNL's own model of it loads (every op, attribute set and enum).
test_spec_validates()
{
	[ -n "$HAVE_JSONSCHEMA" ] ||
		skip_case "python3-jsonschema not installed"
	PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$YNL_DIR/tools/net/ynl \
		python3 -c 'import sys
from lib import SpecFamily
f = SpecFamily(sys.argv[1], sys.argv[2])
print("ops:", " ".join(f.ops))
print("attribute sets:", " ".join(f.attr_sets))' "$SPEC" "$YNL_SCHEMA"
}

# ynl_y ARGS...: ynl with its JSON in $LIB_TMP/y; shown on failure.
ynl_y()
{
	ynl "$@" >"$LIB_TMP/y" 2>"$LIB_TMP/y.err" && return 0
	cat "$LIB_TMP/y" "$LIB_TMP/y.err"
	return 1
}

load_ns()
{
	[ -s "$STATE" ] || { echo "no namespace (setup failed)"; return 1; }
	NS=$(cat "$STATE")
}

# compare NAME PYTHON: run PYTHON with y = cli.py's JSON (file $LIB_TMP/y)
# and m = `mlsctl show -j` (file $LIB_TMP/m); it prints what it compared
# and exits non-zero on a mismatch, which fails the case.
compare()
{
	local what=$1

	check "mlsctl show -j" mlsctl_in "$NS" show -j >"$LIB_TMP/m"
	python3 -c 'import json, sys
y = json.load(open(sys.argv[1]))
m = json.load(open(sys.argv[2]))
def stats(s):
    return {k.replace("-", "_"): v for k, v in s.items() if k != "pad"}
def group(m, gid):
    return [g for d in m for g in d["groups"] if g["group_id"] == gid]
'"$2" "$LIB_TMP/y" "$LIB_TMP/m" || { echo "FAIL: $what"; exit 1; }
}

hexbytes()
{
	od -An -v -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

test_setup()
{
	local ns

	check "load" mlsdco_load
	ns=$(ns_create) || return 1
	echo "$ns" >"$STATE"
	check "device" ip -n "$ns" link add "$DEV" type mlsdco
	# No IPv6 housekeeping (MLD, router solicitations) through the group:
	# the counters compared below must only move with the test's pings.
	check "no IPv6 on the device" in_ns "$ns" sysctl -qw \
		"net.ipv6.conf.$DEV.disable_ipv6=1"
	ip -n "$ns" addr add 10.77.0.1/24 dev "$DEV"
	ip -n "$ns" link set "$DEV" up
	check "port" mlsctl_in "$ns" dev set "$DEV" port 51821
	# An underlay that swallows what the device sends (dummy has no ARP).
	check "underlay" ip -n "$ns" link add ul0 type dummy
	ip -n "$ns" addr add 192.0.2.1/24 dev ul0
	ip -n "$ns" link set ul0 up
}

test_dev_get()
{
	check "namespace" load_ns
	YNL_SCHEMA_CHECK=1 check "cli.py dev-get" ynl_y --do dev-get \
		--json "{\"ifname\": \"$DEV\"}"
	cat "$LIB_TMP/y"
	compare "dev-get matches mlsctl" '
d = m[0]
print("ynl:", y["ifname"], y["ifindex"], y["listen-port"])
sys.exit(not (y["ifname"] == d["ifname"] == "mlsdco0" and
              y["ifindex"] == d["ifindex"] and
              y["listen-port"] == d["listen_port"] == 51821))'
	check "cli.py dev-get dump" ynl_y --dump dev-get
	compare "dev-get dump lists the device" '
print("ynl dump:", [x["ifname"] for x in y])
sys.exit([x["ifindex"] for x in y] != [d["ifindex"] for d in m])'
}

test_group_new()
{
	check "namespace" load_ns
	check "cli.py group-new" ynl --do group-new --json \
		"{\"ifname\": \"$DEV\", \"group-id\": $GID, \"aead\": \"aes-256-gcm\", \"own-leaf\": 0}"
	echo '{}' >"$LIB_TMP/y"
	compare "mlsctl sees the group" '
g = group(m, '$GID')
print("mlsctl:", g)
sys.exit(not (len(g) == 1 and g[0]["aead"] == "aes-256-gcm" and
              g[0]["own_leaf"] == 0 and g[0]["members"] == []))'
}

test_member_set()
{
	check "namespace" load_ns
	# 192.0.2.3 as the u32 the spec declares (big-endian); 10.77.0.3 as
	# a binary address, which cli.py takes in hex.
	check "cli.py member-set" ynl --do member-set --json \
		"{\"ifname\": \"$DEV\", \"group-id\": $GID, \"leaf\": 3,
		  \"endpoint\": {\"ipv4\": $((0xc0000203)), \"port\": 51823},
		  \"allowed-ip\": [{\"family\": 2, \"addr\": \"0a4d0003\",
				   \"cidr\": 32}]}"
	echo '{}' >"$LIB_TMP/y"
	compare "mlsctl sees the member" '
g = group(m, '$GID')[0]
print("mlsctl:", g["members"])
mem = g["members"]
sys.exit(not (len(mem) == 1 and mem[0]["leaf"] == 3 and
              mem[0]["endpoint"] == "192.0.2.3:51823" and
              mem[0]["allowed_ips"] == ["10.77.0.3/32"]))'
}

test_epoch_new()
{
	check "namespace" load_ns
	check "cli.py epoch-new" ynl --do epoch-new --json \
		"{\"ifname\": \"$DEV\", \"group-id\": $GID, \"epoch\": 1,
		  \"tag\": \"$(hexbytes 8)\", \"tx-key\": \"$(hexbytes 32)\",
		  \"tx-nonce\": \"$(hexbytes 12)\",
		  \"rx-key\": [{\"leaf\": 3, \"key\": \"$(hexbytes 32)\",
				\"nonce\": \"$(hexbytes 12)\"}]}"
	echo '{}' >"$LIB_TMP/y"
	compare "mlsctl sees epoch 1 current" '
e = group(m, '$GID')[0]["epochs"]
print("mlsctl:", e)
sys.exit(not (len(e) == 1 and e[0]["epoch"] == 1 and
              e[0]["state"] == "current"))'
}

# A ping to the member's inner address goes out encrypted (into the
# dummy underlay), so the counters compared below are not all zero.
test_group_get_stats()
{
	check "namespace" load_ns
	in_ns "$NS" ping -c 3 -i 0.2 -W 1 10.77.0.3 >/dev/null
	check "cli.py group-get" ynl_y --do group-get --json \
		"{\"ifname\": \"$DEV\", \"group-id\": $GID}"
	cat "$LIB_TMP/y"
	compare "group-get matches mlsctl" '
g = group(m, '$GID')[0]
ok = (y["group-id"] == g["group_id"] and y["aead"] == g["aead"] and
      y["own-leaf"] == g["own_leaf"] and
      stats(y["stats"]) == g["stats"] and g["stats"]["tx_packets"] == 3)
ym, mm = y["member"], g["members"]
ok = ok and len(ym) == len(mm) == 1 and ym[0]["leaf"] == mm[0]["leaf"]
ep = ym[0]["endpoint"]
ok = ok and "%s:%d" % (ep["ipv4"], ep["port"]) == mm[0]["endpoint"]
ok = ok and stats(ym[0]["stats"]) == mm[0]["stats"]
ye = [(e["epoch"], e["state"], e["tx-counter"]) for e in y["epoch-info"]]
me = [(e["epoch"], e["state"], e["tx_counter"]) for e in g["epochs"]]
print("epochs ynl", ye, "mlsctl", me)
print("group tx_packets ynl", y["stats"]["tx-packets"], "mlsctl",
      g["stats"]["tx_packets"])
sys.exit(not (ok and ye == me))'
	check "cli.py group-get dump" ynl_y --dump group-get --json \
		"{\"ifname\": \"$DEV\"}"
	compare "group-get dump matches mlsctl" '
print("ynl dump groups:", [x["group-id"] for x in y])
sys.exit(not (len(y) == 1 and y[0]["group-id"] == '$GID' and
              stats(y[0]["stats"]) == group(m, '$GID')[0]["stats"]))'
	check "cli.py dev-get stats" ynl_y --do dev-get --json \
		"{\"ifname\": \"$DEV\"}"
	compare "device stats match mlsctl" '
print("dev tx_packets ynl", y["stats"]["tx-packets"])
sys.exit(stats(y["stats"]) != m[0]["stats"])'
}

# bad_key JSON-KEYS MESSAGE: epoch-new with these keys must fail and
# cli.py must show the kernel's extack MESSAGE.
bad_key()
{
	local out

	out=$(ynl --do epoch-new --json \
		"{\"ifname\": \"$DEV\", \"group-id\": $GID, \"epoch\": 2,
		  \"tag\": \"$(hexbytes 8)\", \"tx-nonce\": \"$(hexbytes 12)\", $1}" \
		2>&1) && { echo "FAIL: epoch-new accepted $1"; return 1; }
	echo "$out" | tail -n 3
	grep -qF "$2" <<<"$out" || {
		echo "FAIL: no \"$2\" in cli.py output"
		return 1
	}
}

test_bad_key_len()
{
	check "namespace" load_ns
	check "16-byte tx key on aes-256-gcm" bad_key \
		"\"tx-key\": \"$(hexbytes 16)\"" \
		"tx-key length does not match the group's aead"
	check "16-byte rx key on aes-256-gcm" bad_key \
		"\"tx-key\": \"$(hexbytes 32)\", \"rx-key\": [{\"leaf\": 3, \"key\": \"$(hexbytes 16)\", \"nonce\": \"$(hexbytes 12)\"}]" \
		"rx-key key length does not match the group's aead"
	echo '{}' >"$LIB_TMP/y"
	compare "epoch 2 was not installed" '
e = [x["epoch"] for x in group(m, '$GID')[0]["epochs"]]
print("epochs after:", e)
sys.exit(e != [1])'
}

test_group_del()
{
	check "namespace" load_ns
	check "cli.py group-del" ynl --do group-del --json \
		"{\"ifname\": \"$DEV\", \"group-id\": $GID}"
	echo '{}' >"$LIB_TMP/y"
	compare "mlsctl sees no group" '
sys.exit(group(m, '$GID') != [])'
}

ktap_begin 10
run_case spec_validates test_spec_validates
run_case setup test_setup
run_case dev_get test_dev_get
run_case group_new test_group_new
run_case member_set test_member_set
run_case epoch_new test_epoch_new
run_case group_get_and_stats test_group_get_stats
run_case wrong_key_length_extack test_bad_key_len
run_case group_del test_group_del
run_case module_unload mlsdco_unload
ktap_finish
