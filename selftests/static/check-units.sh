#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The systemd units of the tree (userspace/*/*.service) pass
# `systemd-analyze verify`: every directive known and well-formed. The
# programs they start need not be installed here, so each is checked on
# a copy whose /usr/local/sbin programs are /bin/true; man pages are not
# looked up (--man=no; check-manpages.sh renders ours). Skipped, and
# passing, where systemd-analyze is missing. Run by check.sh's static
# stage.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d /tmp/check-units.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
failed=0

if ! command -v systemd-analyze >/dev/null; then
	echo "check-units: systemd-analyze not installed, skipped"
	exit 0
fi
shopt -s nullglob
units=("$ROOT"/userspace/*/*.service)
if [ "${#units[@]}" -eq 0 ]; then
	echo "check-units: no unit found" >&2
	exit 1
fi
for unit in "${units[@]}"; do
	copy=$TMP/$(basename "$unit")
	sed -E 's#/usr/local/sbin/[A-Za-z0-9_-]+#/bin/true#g' "$unit" >"$copy"
	out=$(systemd-analyze verify --man=no "$copy" 2>&1)
	if [ $? -ne 0 ] || [ -n "$out" ]; then
		echo "not ok ${unit#"$ROOT"/}"
		sed 's/^/#   /' <<<"$out"
		failed=1
	else
		echo "ok ${unit#"$ROOT"/}"
	fi
done
exit $failed
