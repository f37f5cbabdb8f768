#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""mlsdco data packets by an independent implementation (python3-cryptography),
for the selftests to check the kernel's wire format against
docs/WIRE-FORMAT.md: 16-byte header (type 0x11, 24-bit leaf, 8-byte tag,
32-bit big-endian counter) as AAD, nonce = nonce_i XOR counter
(right-aligned), ciphertext, 16-byte tag at the end.

  dp_packet.py capture IFACE DIR STOPPORT
        Save every IPv4/IPv6 UDP datagram arriving on IFACE (AF_PACKET) as
        DIR/NNNN.pkt until one to port STOPPORT arrives (a marker sent after
        the traffic, over the same link, so nothing sent before it is
        missed); prints "ready" once listening.
  dp_packet.py open AEAD KEYFILE TAG PKT... [--variant V]
        Decrypt captured packets with the rx keys of an mlsctl key file.
        Prints one line per packet: "leaf L counter C len N src S dst D
        proto P". Exit 1 if any packet fails (wrong type, tag, unknown
        leaf, authentication). V builds the AEAD input wrongly on purpose
        (nonce-le, nonce-left, aad-none, aad-short, tag-front): the tests
        prove such a decryptor fails on the kernel's packets. With V "all"
        prints "variant V: F of N packets fail" for each of them.
  dp_packet.py seal AEAD KEYFILE TAG LEAF COUNTER SRC DST DPORT TEXT OUT
        Encrypt an inner IPv4 UDP packet SRC -> DST:DPORT carrying TEXT
        with the tx key of KEYFILE, as sender LEAF with COUNTER; write the
        mlsdco datagram (UDP payload) to OUT.
  dp_packet.py edit IN OUT [type=HEX] [counter=N] [truncate=N]
        A copy of a datagram with the type byte or the counter replaced
        (after sealing: the AEAD no longer matches) or cut to N bytes.
  dp_packet.py send FILE ADDR PORT
        Send FILE as one UDP datagram to ADDR:PORT (IPv4 or IPv6).
  dp_packet.py listen ADDR PORT SECONDS
        Print the payload of the first UDP datagram to ADDR:PORT; prints
        "ready" first. Exit 2 if nothing comes within SECONDS.
"""

import os
import socket
import struct
import sys
import time

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

HDR_LEN = 16
TAG_LEN = 16
TYPE_DATA_V1 = 0x11
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
KEY_LEN = {"aes-128-gcm": 16, "aes-256-gcm": 32, "chacha20-poly1305": 32}


def aead_for(name, key):
    if len(key) != KEY_LEN[name]:
        raise ValueError("%s takes %d-byte keys" % (name, KEY_LEN[name]))
    return ChaCha20Poly1305(key) if name == "chacha20-poly1305" else AESGCM(key)


def nonce_for(base, counter, variant=None):
    """nonce_i XOR counter, the counter big endian in the last 4 bytes."""
    if variant == "nonce-le":
        ctr = b"\0" * 8 + struct.pack("<I", counter)
    elif variant == "nonce-left":
        ctr = struct.pack(">I", counter) + b"\0" * 8
    else:
        ctr = b"\0" * 8 + struct.pack(">I", counter)
    return bytes(a ^ b for a, b in zip(base, ctr))


def read_keyfile(path):
    """{"tx": (key, nonce), leaf: (key, nonce), ...} of an mlsctl key file."""
    keys = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.split("#")[0].split()
            if not w:
                continue
            if w[0] == "tx" and len(w) == 3:
                keys["tx"] = (bytes.fromhex(w[1]), bytes.fromhex(w[2]))
            elif w[0] == "rx" and len(w) == 4:
                keys[int(w[1])] = (bytes.fromhex(w[2]), bytes.fromhex(w[3]))
            else:
                raise ValueError("%s: bad line %r" % (path, line))
    return keys


def parse_header(dgram):
    typ, l0, l1, l2 = struct.unpack_from("BBBB", dgram)
    tag = dgram[4:12]
    counter = struct.unpack_from(">I", dgram, 12)[0]
    return typ, l0 << 16 | l1 << 8 | l2, tag, counter


def udp_payload(pkt):
    """The UDP payload of a whole IPv4/IPv6 packet, or None."""
    if len(pkt) >= 20 and pkt[0] >> 4 == 4 and pkt[9] == socket.IPPROTO_UDP:
        ihl = (pkt[0] & 15) * 4
        return pkt[ihl + 8:struct.unpack_from(">H", pkt, 2)[0]]
    if len(pkt) >= 48 and pkt[0] >> 4 == 6 and pkt[6] == socket.IPPROTO_UDP:
        return pkt[48:40 + struct.unpack_from(">H", pkt, 4)[0]]
    return None


def udp_dport(pkt):
    off = (pkt[0] & 15) * 4 if pkt[0] >> 4 == 4 else 40
    return struct.unpack_from(">H", pkt, off + 2)[0]


def open_datagram(aead, keys, tag, dgram, variant=None):
    """Returns (leaf, counter, inner) or raises ValueError."""
    if len(dgram) < HDR_LEN + TAG_LEN:
        raise ValueError("short datagram (%d bytes)" % len(dgram))
    typ, leaf, ptag, counter = parse_header(dgram)
    if typ != TYPE_DATA_V1:
        raise ValueError("type 0x%02x" % typ)
    if ptag != tag:
        raise ValueError("epoch tag %s" % ptag.hex())
    if leaf not in keys:
        raise ValueError("no rx key for leaf %d" % leaf)
    key, base = keys[leaf]
    aad = dgram[:HDR_LEN]
    body = dgram[HDR_LEN:]
    if variant == "aad-none":
        aad = b""
    elif variant == "aad-short":
        aad = aad[:12]
    elif variant == "tag-front":
        body = body[TAG_LEN:] + body[:TAG_LEN]
    try:
        inner = aead_for(aead, key).decrypt(nonce_for(base, counter, variant),
                                            body, aad)
    except InvalidTag:
        raise ValueError("leaf %d counter %d: authentication failed" %
                         (leaf, counter)) from None
    return leaf, counter, inner


def describe_inner(inner):
    if inner and inner[0] >> 4 == 4 and len(inner) >= 20:
        return "src %s dst %s proto %d" % (socket.inet_ntop(socket.AF_INET, inner[12:16]),
                                           socket.inet_ntop(socket.AF_INET, inner[16:20]),
                                           inner[9])
    if inner and inner[0] >> 4 == 6 and len(inner) >= 40:
        return "src %s dst %s proto %d" % (socket.inet_ntop(socket.AF_INET6, inner[8:24]),
                                           socket.inet_ntop(socket.AF_INET6, inner[24:40]),
                                           inner[6])
    return "not an IP packet"


VARIANTS = ("nonce-le", "nonce-left", "aad-none", "aad-short", "tag-front")


def open_all(aead, keys, tag, paths, variant):
    """Print one line per packet; returns how many failed."""
    failed = 0
    for path in paths:
        with open(path, "rb") as f:
            dgram = udp_payload(f.read())
        try:
            if dgram is None:
                raise ValueError("not a UDP packet")
            leaf, counter, inner = open_datagram(aead, keys, tag, dgram,
                                                 variant)
        except ValueError as e:
            print("%s: %s" % (os.path.basename(path), e))
            failed += 1
            continue
        if variant is None:
            print("leaf %d counter %d len %d %s" %
                  (leaf, counter, len(inner), describe_inner(inner)))
    return failed


def cmd_open(argv):
    variant = None
    if "--variant" in argv:
        i = argv.index("--variant")
        variant = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if len(argv) < 4:
        return usage()
    aead, keys, tag = argv[0], read_keyfile(argv[1]), bytes.fromhex(argv[2])
    if variant != "all":
        return 1 if open_all(aead, keys, tag, argv[3:], variant) else 0
    # One line per wrong construction: "variant V: F of N packets fail".
    for v in VARIANTS:
        with open(os.devnull, "w", encoding="utf-8") as null:
            out, sys.stdout = sys.stdout, null
            try:
                fails = open_all(aead, keys, tag, argv[3:], v)
            finally:
                sys.stdout = out
        print("variant %s: %d of %d packets fail" % (v, fails, len(argv) - 3))
    return 0


def ip_checksum(hdr):
    s = sum(struct.unpack(">%dH" % (len(hdr) // 2), hdr))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def inner_udp4(src, dst, dport, data):
    udp = struct.pack(">HHHH", 40000, dport, 8 + len(data), 0) + data
    hdr = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64,
                      socket.IPPROTO_UDP, 0, socket.inet_aton(src),
                      socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack(">H", ip_checksum(hdr)) + hdr[12:]
    return hdr + udp


def cmd_seal(argv):
    if len(argv) != 10:
        return usage()
    aead, keys, tag = argv[0], read_keyfile(argv[1]), bytes.fromhex(argv[2])
    leaf, counter = int(argv[3]), int(argv[4])
    inner = inner_udp4(argv[5], argv[6], int(argv[7]), argv[8].encode())
    key, base = keys["tx"]
    hdr = struct.pack(">B3s8sI", TYPE_DATA_V1, leaf.to_bytes(3, "big"), tag,
                      counter)
    sealed = aead_for(aead, key).encrypt(nonce_for(base, counter), inner, hdr)
    with open(argv[9], "wb") as f:
        f.write(hdr + sealed)
    return 0


def cmd_edit(argv):
    if len(argv) < 3:
        return usage()
    with open(argv[0], "rb") as f:
        d = bytearray(f.read())
    for op in argv[2:]:
        what, value = op.split("=")
        if what == "type":
            d[0] = int(value, 16)
        elif what == "counter":
            d[12:16] = struct.pack(">I", int(value))
        elif what == "truncate":
            d = d[:int(value)]
        else:
            return usage()
    with open(argv[1], "wb") as f:
        f.write(d)
    return 0


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def cmd_send(argv):
    if len(argv) != 3:
        return usage()
    with open(argv[0], "rb") as f:
        data = f.read()
    with socket.socket(family_of(argv[1]), socket.SOCK_DGRAM) as s:
        s.sendto(data, (argv[1], int(argv[2])))
    return 0


def cmd_listen(argv):
    if len(argv) != 3:
        return usage()
    with socket.socket(family_of(argv[0]), socket.SOCK_DGRAM) as s:
        s.bind((argv[0], int(argv[1])))
        s.settimeout(float(argv[2]))
        print("ready", flush=True)
        try:
            data = s.recv(65536)
        except socket.timeout:
            print("nothing received", flush=True)
            return 2
    print(data.decode(errors="replace"), flush=True)
    return 0


def cmd_capture(argv):
    if len(argv) != 3:
        return usage()
    iface, outdir, stop = argv[0], argv[1], int(argv[2])
    os.makedirs(outdir, exist_ok=True)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_ALL))
    s.bind((iface, ETH_P_ALL))
    s.settimeout(0.2)
    print("ready", flush=True)
    n = 0
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            pkt, addr = s.recvfrom(65536)
        except socket.timeout:
            continue
        if addr[2] == PACKET_OUTGOING or udp_payload(pkt) is None:
            continue
        if udp_dport(pkt) == stop:
            s.close()
            return 0
        n += 1
        with open(os.path.join(outdir, "%04d.pkt" % n), "wb") as f:
            f.write(pkt)
    s.close()
    print("no marker to port %d within 600 s" % stop, flush=True)
    return 2


def usage():
    sys.stderr.write(__doc__)
    return 2


COMMANDS = {"capture": cmd_capture, "open": cmd_open, "seal": cmd_seal,
            "edit": cmd_edit, "send": cmd_send, "listen": cmd_listen}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS:
        return usage()
    return COMMANDS[argv[1]](argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
