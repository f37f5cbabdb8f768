#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# Control-plane timings for selftests/bench_net.sh, spoken directly over
# generic netlink: mlsctl caps a key file at 256 rx keys and forks once per
# command, which under TCG costs more than the kernel work being measured.
#
#   bench_epochs.py rate DEV GROUP AEAD NRX SECONDS
#       epoch-new with NRX random rx keys, then epoch-swap, repeated for
#       SECONDS (at least 3 times) on group GROUP of DEV, which must exist
#       with own leaf 0 and no next epoch. Prints one line:
#       "epochs N seconds S new_ms_median M swap_ms_median W"
#   bench_epochs.py latency DEV GROUP EPOCH TAGHEX TIMEOUT < keyfile
#       epoch-new (keys in mlsctl's key file format on stdin), epoch-swap,
#       then polls group-get until the epoch's tx-counter leaves 0. Prints
#       "new_ms A swap_ms B first_tx_ms C polls N" (all from before the
#       epoch-new request was sent).
#
# Attribute and command numbers are those of netlink/uapi/linux/mlsdco.h.

import os
import socket
import statistics
import struct
import sys
import time

NETLINK_GENERIC = 16
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
SOL_NETLINK = 270
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLMSG_ERROR = 2
NLA_F_NESTED = 0x8000
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2

CMD_GROUP_GET = 5
CMD_EPOCH_NEW = 8
CMD_EPOCH_SWAP = 9
A_IFNAME = 2
A_GROUP_ID = 4
A_EPOCH = 10
A_TAG = 11
A_TX_KEY = 12
A_TX_NONCE = 13
A_RX_KEY = 14
A_EPOCH_INFO = 17
A_RX_KEY_LEAF = 1
A_RX_KEY_KEY = 2
A_RX_KEY_NONCE = 3
A_EPOCH_INFO_EPOCH = 1
A_EPOCH_INFO_TX_COUNTER = 3

KEY_LEN = {"aes-128-gcm": 16, "aes-256-gcm": 32, "chacha20-poly1305": 32}


def attr(kind, payload):
    pad = (4 - len(payload) % 4) % 4
    return struct.pack("HH", 4 + len(payload), kind) + payload + b"\0" * pad


def nest(kind, *parts):
    return attr(kind | NLA_F_NESTED, b"".join(parts))


def attrs(buf):
    """Yield (type, payload) of a flat attribute stream."""
    off = 0
    while off + 4 <= len(buf):
        length, kind = struct.unpack_from("HH", buf, off)
        if length < 4:
            break
        yield kind & 0x3FFF, buf[off + 4:off + length]
        off += (length + 3) & ~3


class Genl:
    def __init__(self, family):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        self.sock.bind((0, 0))
        self.seq = 0
        reply = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                             attr(CTRL_ATTR_FAMILY_NAME,
                                  family.encode() + b"\0"), ack=False)
        ids = [v for k, v in attrs(reply[0]) if k == CTRL_ATTR_FAMILY_ID]
        if not ids:
            raise OSError("family %s not found" % family)
        self.family = struct.unpack("H", ids[0][:2])[0]

    def request(self, msg_type, cmd, payload, ack=True):
        """Send one request; return the payloads (after the genl header)
        of the replies, raise OSError on a netlink error."""
        self.seq += 1
        body = struct.pack("BBH", cmd, 1, 0) + payload
        flags = NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
        hdr = struct.pack("IHHII", 16 + len(body), msg_type, flags,
                          self.seq, 0)
        self.sock.send(hdr + body)
        replies = []
        while True:
            data = self.sock.recv(1 << 16)
            off = 0
            while off + 16 <= len(data):
                length, kind, _, seq, _ = struct.unpack_from("IHHII", data,
                                                             off)
                msg = data[off + 16:off + length]
                off += (length + 3) & ~3
                if seq != self.seq:
                    continue
                if kind == NLMSG_ERROR:
                    err = struct.unpack_from("i", msg)[0]
                    if err:
                        raise OSError(-err, "%s: %s" % (os.strerror(-err),
                                                        extack(msg)))
                    return replies
                replies.append(msg[4:])
                if not ack:
                    return replies


def extack(msg):
    # With NETLINK_CAP_ACK the error carries only the request's header.
    for kind, val in attrs(msg[4 + 16:]):
        if kind == 1:
            return val.rstrip(b"\0").decode(errors="replace")
    return "(no message)"


def dev_group(dev, group):
    return attr(A_IFNAME, dev.encode() + b"\0") + \
        attr(A_GROUP_ID, struct.pack("I", group))


def epoch_new_payload(dev, group, epoch, tag, tx, rx):
    parts = [dev_group(dev, group), attr(A_EPOCH, struct.pack("Q", epoch)),
             attr(A_TAG, tag), attr(A_TX_KEY, tx[0]), attr(A_TX_NONCE, tx[1])]
    for leaf, key, nonce in rx:
        parts.append(nest(A_RX_KEY, attr(A_RX_KEY_LEAF, struct.pack("I", leaf)),
                          attr(A_RX_KEY_KEY, key),
                          attr(A_RX_KEY_NONCE, nonce)))
    return b"".join(parts)


def ms_since(t0):
    return (time.monotonic() - t0) * 1e3


def cmd_rate(dev, group, aead, nrx, seconds):
    nl = Genl("mlsdco")
    klen = KEY_LEN[aead]
    new_ms, swap_ms = [], []
    epoch, start = 1, time.monotonic()
    while len(new_ms) < 3 or time.monotonic() - start < seconds:
        rx = [(leaf, os.urandom(klen), os.urandom(12))
              for leaf in range(1, nrx + 1)]
        payload = epoch_new_payload(dev, group, epoch, os.urandom(8),
                                    (os.urandom(klen), os.urandom(12)), rx)
        t0 = time.monotonic()
        nl.request(nl.family, CMD_EPOCH_NEW, payload)
        new_ms.append(ms_since(t0))
        t1 = time.monotonic()
        if epoch > 1:
            # The group's first epoch is current at once: nothing to swap.
            nl.request(nl.family, CMD_EPOCH_SWAP, dev_group(dev, group))
            swap_ms.append(ms_since(t1))
        epoch += 1
    elapsed = time.monotonic() - start
    print("epochs %d seconds %.2f new_ms_median %.2f swap_ms_median %.3f"
          % (len(new_ms), elapsed, statistics.median(new_ms),
             statistics.median(swap_ms) if swap_ms else 0.0))


def read_keyfile(stream):
    tx, rx = None, []
    for line in stream:
        tok = line.split()
        if not tok or tok[0].startswith("#"):
            continue
        if tok[0] == "tx":
            tx = (bytes.fromhex(tok[1]), bytes.fromhex(tok[2]))
        elif tok[0] == "rx":
            rx.append((int(tok[1]), bytes.fromhex(tok[2]),
                       bytes.fromhex(tok[3])))
    if tx is None:
        raise ValueError("key file has no tx line")
    return tx, rx


def tx_counter(nl, dev, group, epoch):
    for reply in nl.request(nl.family, CMD_GROUP_GET, dev_group(dev, group)):
        for kind, val in attrs(reply):
            if kind != A_EPOCH_INFO:
                continue
            info = dict(attrs(val))
            if struct.unpack("Q", info[A_EPOCH_INFO_EPOCH])[0] == epoch:
                return struct.unpack("Q", info[A_EPOCH_INFO_TX_COUNTER])[0]
    return 0


def cmd_latency(dev, group, epoch, tag, timeout):
    nl = Genl("mlsdco")
    tx, rx = read_keyfile(sys.stdin)
    payload = epoch_new_payload(dev, group, epoch, bytes.fromhex(tag), tx, rx)
    t0 = time.monotonic()
    nl.request(nl.family, CMD_EPOCH_NEW, payload)
    new_ms = ms_since(t0)
    nl.request(nl.family, CMD_EPOCH_SWAP, dev_group(dev, group))
    swap_ms = ms_since(t0)
    polls = 0
    while tx_counter(nl, dev, group, epoch) == 0:
        polls += 1
        if time.monotonic() - t0 > timeout:
            print("no packet sent under epoch %d within %ss" % (epoch, timeout))
            return 1
    print("new_ms %.2f swap_ms %.2f first_tx_ms %.2f polls %d"
          % (new_ms, swap_ms, ms_since(t0), polls))
    return 0


def main(argv):
    if len(argv) == 6 and argv[0] == "rate":
        return cmd_rate(argv[1], int(argv[2]), argv[3], int(argv[4]),
                        float(argv[5]))
    if len(argv) == 6 and argv[0] == "latency":
        return cmd_latency(argv[1], int(argv[2]), int(argv[3]), argv[4],
                           float(argv[5]))
    print("usage: %s rate|latency ... (see the file's header)" % sys.argv[0],
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]) or 0)
    except OSError as e:
        print("bench_epochs: %s" % e, file=sys.stderr)
        sys.exit(1)
