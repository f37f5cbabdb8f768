#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Every man page of the tree renders without a single groff warning:
# docs/man/*.[1-8] and the pages kept beside their programs
# (userspace/*/*.[1-8]). groff exits 0 on warnings, so its stderr is the
# verdict: any line there fails the page. The NAME section must parse for
# whatis/apropos too (lexgrog, when man-db is installed). Run by
# check.sh's static stage; needs groff (Debian: groff-base).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
failed=0 n=0

if ! command -v groff >/dev/null; then
	echo "check-manpages: groff not installed" >&2
	exit 1
fi
shopt -s nullglob
for page in "$ROOT"/docs/man/*.[1-8] "$ROOT"/userspace/*/*.[1-8]; do
	n=$((n + 1))
	# -ww: every warning; -z: format but write nothing; -t: tbl
	warnings=$(LC_ALL=C.UTF-8 groff -man -t -Tutf8 -ww -z "$page" 2>&1)
	if command -v lexgrog >/dev/null && ! lexgrog "$page" >/dev/null; then
		warnings+="${warnings:+$'\n'}lexgrog: no parsable NAME section"
	fi
	if [ -n "$warnings" ] || ! head -n 3 "$page" | grep -q '^\.TH '; then
		echo "not ok ${page#"$ROOT"/}"
		[ -n "$warnings" ] && sed 's/^/#   /' <<<"$warnings"
		failed=1
	else
		echo "ok ${page#"$ROOT"/}"
	fi
done
if [ "$n" -eq 0 ]; then
	echo "check-manpages: no man page found" >&2
	exit 1
fi
exit $failed
