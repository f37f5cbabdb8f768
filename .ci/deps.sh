#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install everything mlsdco needs to build, test and benchmark on Debian 12.
# Idempotent: apt-get skips what is already there. Run as root.
set -euo pipefail

PKGS=(
	# toolchain
	build-essential pkg-config clang llvm git xz-utils cpio python3 python3-yaml python3-jsonschema python3-cryptography
	# userspace libraries
	libmbedtls-dev libsodium-dev libdecaf-dev libnl-3-dev libnl-route-3-dev
	libnl-genl-3-dev libmnl-dev libjansson-dev libcmocka-dev
	libsqlite3-dev sqlite3
	# kernel module build + VM tests
	linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static
	kmod iproute2 iputils-ping iperf3 procps util-linux strace
	# MLS interop harness (make interop): the C++ gRPC server and the
	# working group's Go test-runner (golang/protobuf 1.5: 1.3 cannot
	# unmarshal what protoc-gen-go 1.28 generates)
	g++ libgrpc++-dev protobuf-compiler-grpc protobuf-compiler libprotobuf-dev
	golang-go golang-google-grpc-dev golang-google-protobuf-dev
	golang-github-golang-protobuf-1-5-dev golang-github-google-uuid-dev
	protoc-gen-go protoc-gen-go-grpc
	# benchmark anchors
	wireguard-tools openvpn openvpn-dco-dkms openssl
	linux-source-6.12
)

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: must run as root (apt-get)" >&2
	exit 1
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#PKGS[@]} packages present"
	exit 0
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# DKMS may fail to build for the running (non-Debian) kernel; the module for
# the Debian kernel is what the VM uses, so a DKMS hiccup for another kernel
# must not stop the install.
apt-get install -y -q --no-install-recommends "${missing[@]}" || {
	echo "deps: retrying after dpkg --configure -a" >&2
	dpkg --configure -a || true
	apt-get install -y -q --no-install-recommends "${missing[@]}"
}
