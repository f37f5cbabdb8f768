#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Print a device's ethtool driver info (SIOCETHTOOL, ETHTOOL_GDRVINFO).

Usage: ethtool_drvinfo.py IFNAME  ->  "driver VERSION" on one line.
Written for the selftests so they need no ethtool(8) in the guest.
Exits 1 with the kernel's error when the ioctl is refused.
"""
import ctypes
import fcntl
import socket
import struct
import sys

SIOCETHTOOL = 0x8946
ETHTOOL_GDRVINFO = 0x00000003
# struct ethtool_drvinfo: cmd, driver[32], version[32], fw_version[32],
# bus_info[32], erom_version[32], reserved2[12], five u32 counts.
DRVINFO_LEN = 4 + 32 * 5 + 12 + 4 * 5


def field(raw, index):
    start = 4 + 32 * index
    return raw[start:start + 32].split(b"\0", 1)[0].decode()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: ethtool_drvinfo.py IFNAME")
    buf = ctypes.create_string_buffer(
        struct.pack("I", ETHTOOL_GDRVINFO), DRVINFO_LEN)
    ifreq = struct.pack("16sP", sys.argv[1].encode(),
                        ctypes.addressof(buf))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            fcntl.ioctl(s.fileno(), SIOCETHTOOL, ifreq)
        except OSError as e:
            sys.exit(f"{sys.argv[1]}: ETHTOOL_GDRVINFO: {e.strerror}")
    raw = buf.raw
    print(field(raw, 0), field(raw, 1))


if __name__ == "__main__":
    main()
