#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Build (or reuse) the two boot images the VM runner needs, cached in OUTDIR:
#   vmlinux-KVER          uncompressed ELF kernel, so QEMU can enter it
#                         through PVH and skip the bzImage decompressor
#   initramfs-KVER.cpio.gz busybox + the few modules needed to mount the
#                         host's /usr over virtio-9p (Debian's initrd lacks them)
#
# usage: mkimage.sh KVER OUTDIR
# Prints the two paths, one per line.

set -euo pipefail

KVER=$1
OUTDIR=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODDIR=/lib/modules/$KVER
BZIMAGE=/boot/vmlinuz-$KVER
BUSYBOX=${BUSYBOX:-/bin/busybox}

# Modules the initramfs needs before it can reach the host filesystem.
# Dependencies are resolved from modules.dep, so only roots are listed.
INITRAMFS_MODULES="virtio_mmio 9pnet_virtio 9p overlay virtio_console"

die() { echo "mkimage: $*" >&2; exit 1; }

[ -r "$BZIMAGE" ] || die "$BZIMAGE not found (install linux-image-$KVER)"
[ -r "$MODDIR/modules.dep" ] || die "$MODDIR/modules.dep not found"
"$BUSYBOX" --help >/dev/null 2>&1 || die "$BUSYBOX missing (install busybox-static)"
file -L "$BUSYBOX" | grep -q 'statically linked' ||
	die "$BUSYBOX is not static (install busybox-static)"

mkdir -p "$OUTDIR"
VMLINUX=$OUTDIR/vmlinux-$KVER
INITRAMFS=$OUTDIR/initramfs-$KVER.cpio.gz

# True when $1 is missing or older than any of the remaining files.
stale() {
	local target=$1 dep
	shift
	[ -e "$target" ] || return 0
	for dep; do
		[ "$dep" -nt "$target" ] && return 0
	done
	return 1
}

# The bzImage payload is an xz stream; the first xz magic is the kernel.
extract_vmlinux() {
	local off tmp

	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$BZIMAGE" | head -n1 |
	      cut -d: -f1)
	[ -n "$off" ] || die "no xz stream in $BZIMAGE (not an xz kernel?)"
	tmp=$VMLINUX.tmp.$$
	# xz stops at the end of its stream; tail may die of SIGPIPE.
	{ tail -c +$((off + 1)) "$BZIMAGE" || true; } |
		xz -dc --single-stream >"$tmp" ||
		{ rm -f "$tmp"; die "xz failed on $BZIMAGE"; }
	head -c 4 "$tmp" | grep -q 'ELF' ||
		{ rm -f "$tmp"; die "$BZIMAGE payload is not an ELF kernel"; }
	mv "$tmp" "$VMLINUX"
}

# Print the .ko paths (relative to MODDIR) for module $1 and everything it
# needs, dependencies first, each once.
declare -A SEEN
resolve_module() {
	local name=${1//-/_} line path deps dep

	line=$(grep -E "(^|/)(${name}|${name//_/-})\.ko(\.[a-z]+)?:" \
		"$MODDIR/modules.dep" | head -n1) || true
	if [ -z "$line" ]; then
		# Built in: nothing to load.
		grep -qE "/(${name}|${name//_/-})\.ko" \
			"$MODDIR/modules.builtin" 2>/dev/null ||
			die "module $name not in modules.dep or modules.builtin"
		return 0
	fi
	path=${line%%:*}
	deps=${line#*:}
	[ -n "${SEEN[$path]:-}" ] && return 0
	SEEN[$path]=1
	for dep in $deps; do
		dep=$(basename "$dep")
		resolve_module "${dep%%.ko*}"
	done
	echo "$path"
}

build_initramfs() {
	local root path base paths order=""

	root=$(mktemp -d "$OUTDIR/initramfs.XXXXXX")
	mkdir -p "$root"/{bin,dev,proc,sys,newroot,modules}
	cp "$BUSYBOX" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	# One subshell for all roots, so SEEN drops shared dependencies.
	paths=$(for mod in $INITRAMFS_MODULES; do resolve_module "$mod"; done)
	for path in $paths; do
		base=$(basename "$path")
		case $base in
		*.ko)	  cp "$MODDIR/$path" "$root/modules/$base" ;;
		*.ko.xz)  xz -dc "$MODDIR/$path" >"$root/modules/${base%.xz}" ;;
		*.ko.zst) zstd -qdc "$MODDIR/$path" >"$root/modules/${base%.zst}" ;;
		*.ko.gz)  gzip -dc "$MODDIR/$path" >"$root/modules/${base%.gz}" ;;
		*) die "unknown module format: $base" ;;
		esac
		order="$order ${base%%.ko*}"
	done
	echo "$order" | tr ' ' '\n' | sed '/^$/d' >"$root/modules/load-order"
	install -m 0755 "$HERE/initramfs-init" "$root/init"
	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$INITRAMFS.tmp.$$"
	rm -rf "$root"
	mv "$INITRAMFS.tmp.$$" "$INITRAMFS"
}

if stale "$VMLINUX" "$BZIMAGE"; then
	extract_vmlinux
fi
if stale "$INITRAMFS" "$MODDIR/modules.dep" "$HERE/initramfs-init" \
	 "$HERE/mkimage.sh"; then
	build_initramfs
fi
echo "$VMLINUX"
echo "$INITRAMFS"
