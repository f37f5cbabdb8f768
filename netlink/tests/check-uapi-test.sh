#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Proves netlink/check-uapi.py catches drift: the real header passes, and
# each kind of hand-editing mistake in a copy of it is reported by name.
# Exit 0 pass, 1 fail.

set -u
cd "$(dirname "$0")/../.." || exit 1

SPEC=netlink/mlsdco.yaml
HDR=netlink/uapi/linux/mlsdco.h
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0

# mutant NAME SED_EXPR EXPECTED_MESSAGE
mutant()
{
	local name=$1 expr=$2 want=$3 out

	sed "$expr" "$HDR" >"$TMP/$name.h"
	if cmp -s "$HDR" "$TMP/$name.h"; then
		echo "not ok $name # the edit did not apply"
		fails=$((fails + 1))
		return
	fi
	if out=$(python3 netlink/check-uapi.py "$SPEC" "$TMP/$name.h" 2>&1); then
		echo "not ok $name # drift not detected"
		fails=$((fails + 1))
	elif ! grep -qF -- "$want" <<<"$out"; then
		echo "not ok $name # expected '$want', got: $out"
		fails=$((fails + 1))
	else
		echo "ok $name"
	fi
}

if python3 netlink/check-uapi.py "$SPEC" "$HDR"; then
	echo "ok header_matches_spec"
else
	echo "not ok header_matches_spec"
	fails=$((fails + 1))
fi
mutant renumbered_attr 's/MLSDCO_A_LISTEN_PORT,/MLSDCO_A_LISTEN_PORT = 5,/' \
	'MLSDCO_A_LISTEN_PORT must be 3'
mutant renamed_attr 's/MLSDCO_A_IFNAME,/MLSDCO_A_IF_NAME,/' \
	'missing from header: MLSDCO_A_IFNAME'
mutant extra_cmd 's/MLSDCO_CMD_DEV_SET,/MLSDCO_CMD_DEV_SET,\n\tMLSDCO_CMD_DEV_NEW,/' \
	'not in spec: MLSDCO_CMD_DEV_NEW'
mutant swapped_cmds 's/MLSDCO_CMD_DEV_GET = 1,/MLSDCO_CMD_DEV_GET = 2,/; s/MLSDCO_CMD_DEV_SET,/MLSDCO_CMD_DEV_SET = 1,/' \
	'MLSDCO_CMD_DEV_GET must be 1'
mutant family_name 's/"mlsdco"/"mlsdc0"/' \
	'MLSDCO_FAMILY_NAME is "mlsdc0", spec says "mlsdco"'
mutant family_version 's/MLSDCO_FAMILY_VERSION\t1/MLSDCO_FAMILY_VERSION\t2/' \
	'MLSDCO_FAMILY_VERSION must be 1'

echo "# check-uapi-test: $fails failure(s)"
[ "$fails" -eq 0 ]
