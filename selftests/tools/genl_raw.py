#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Raw generic netlink client for the mlsdco selftests.

An implementation independent of libmlsdco-nl: attribute numbers and types
come from the YNL spec (netlink/mlsdco.yaml), requests are packed here byte
by byte, and replies are walked attribute by attribute, nests included.

  genl_raw.py do CMD REQUEST [--rx-keys N --key-len L]
  genl_raw.py dump CMD REQUEST
        REQUEST is a JSON list of attributes, each [NAME, VALUE] (type from
        the spec; a nest's VALUE is again such a list) or [NAME|NUMBER,
        VALUE, TYPE] to force a type (u8 u16 u32 u64 string binary flag nest).
        Binary values are hex. --rx-keys appends N rx-key nests (leaves
        1..N, random keys of L bytes). Prints "ok" (do), "ok N" (dump: N
        messages), or "ERRNO: extack message" plus " [attr PATH]" for the
        offending attribute and " [missing NAME]" for a missing one.
        Exit 0 on success, 1 on a refusal, 2 on a usage or protocol error.
  genl_raw.py audit IFNAME KEYFILE...
        dev-get do and dump, group-get dump and do of every group: walk
        every attribute of every reply by the spec. Fails if one is not in
        the spec's reply set, is tx-key, tx-nonce or rx-key (or a key or
        nonce of an rx-key nest), or if the raw bytes of any reply contain
        a key or nonce of the mlsctl key files given.
"""

import errno
import json
import os
import socket
import struct
import sys

import yaml

SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "..", "..", "netlink", "mlsdco.yaml")

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = 0x3fff
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2

# Attributes that carry key material: never in any reply.
SECRET_ATTRS = {("mlsdco", "tx-key"), ("mlsdco", "tx-nonce"),
                ("mlsdco", "rx-key"), ("rx-key", "key"), ("rx-key", "nonce")}


class Spec:
    """Attribute sets and commands of the YNL spec, numbered as YNL does."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            y = yaml.safe_load(f)
        self.sets = {}
        for aset in y["attribute-sets"]:
            attrs, num = {}, 0
            for a in aset["attributes"]:
                num = a.get("value", num + 1)
                attrs[a["name"]] = dict(a, num=num)
            self.sets[aset["name"]] = attrs
        self.cmds, num = {}, 0
        for op in y["operations"]["list"]:
            num = op.get("value", num + 1)
            self.cmds[op["name"]] = num

    def attr(self, aset, name):
        return self.sets[aset][name]

    def by_num(self, aset, num):
        for a in self.sets[aset].values():
            if a["num"] == num:
                return a
        return None


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def pack_scalar(atype, value):
    if atype == "u8":
        return struct.pack("=B", value)
    if atype == "u16":
        return struct.pack("=H", value)
    if atype == "u32":
        return struct.pack("=I", value)
    if atype == "u64":
        return struct.pack("=Q", value)
    if atype == "string":
        return value.encode() + b"\0"
    if atype == "binary":
        return bytes.fromhex(value)
    if atype == "flag":
        return b""
    raise ValueError("unknown type " + atype)


class Builder:
    """Packs attributes and remembers where each one starts (for extack
    offsets) under a dotted path name."""

    def __init__(self, spec):
        self.spec = spec
        self.where = {}

    def attrs(self, aset, items, base, path):
        out = b""
        for item in items:
            name, value = item[0], item[1]
            if isinstance(name, int):
                num, atype, nested = name, item[2], None
            else:
                a = self.spec.attr(aset, name)
                num, atype = a["num"], a["type"]
                nested = a.get("nested-attributes")
                if len(item) > 2:
                    atype = item[2]
            here = path + "." + str(name)
            self.where[base + len(out)] = here
            if atype == "nest":
                inner = self.attrs(nested, value, base + len(out) + 4, here)
                out += nla(num | NLA_F_NESTED, inner)
            else:
                out += nla(num, pack_scalar(atype, value))
        return out


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        # Room for an epoch-new with thousands of keys (root may force it).
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, 32, 1 << 21)  # SNDBUFFORCE
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 21)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        self.sock.bind((0, 0))
        self.seq = 1
        self.family = self.resolve("mlsdco")

    def send(self, family, cmd, flags, payload):
        self.seq += 1
        msg = struct.pack("=BBH", cmd, 1, 0) + payload
        hdr = struct.pack("=IHHII", 16 + len(msg), family, flags, self.seq, 0)
        self.sock.send(hdr + msg)
        return self.seq

    def messages(self):
        """Yield (type, flags, payload, raw) of each message received."""
        while True:
            n = len(self.sock.recv(1 << 20, socket.MSG_PEEK | socket.MSG_TRUNC))
            data = self.sock.recv(max(n, 1 << 16))
            off = 0
            while off + 16 <= len(data):
                ln, mtype, flags, _, _ = struct.unpack_from("=IHHII", data, off)
                yield mtype, flags, data[off + 16:off + ln], data[off:off + ln]
                off += (ln + 3) & ~3

    def resolve(self, name):
        self.send(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_REQUEST,
                  nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        for mtype, _, payload, _ in self.messages():
            if mtype == NLMSG_ERROR:
                err = struct.unpack_from("=i", payload)[0]
                raise OSError(-err, "family %s: %s" % (name, os.strerror(-err)))
            for atype, val in walk_flat(payload[4:]):
                if atype == CTRL_ATTR_FAMILY_ID:
                    return struct.unpack("=H", val[:2])[0]
        raise OSError(errno.ENOENT, "no family " + name)

    def request(self, cmd, payload, dump=False):
        """Returns (errno or 0, tlvs dict, list of raw reply messages)."""
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        self.send(self.family, cmd, flags, payload)
        replies = []
        for mtype, mflags, body, raw in self.messages():
            if mtype == NLMSG_ERROR:
                err = -struct.unpack_from("=i", body)[0]
                if err == 0 and dump:
                    continue
                # The echoed request: its header only when capped.
                echo = 16 if mflags & NLM_F_CAPPED else \
                    struct.unpack_from("=I", body, 4)[0]
                tlvs = dict(walk_flat(body[4 + echo:])) \
                    if mflags & NLM_F_ACK_TLVS else {}
                return err, tlvs, replies
            if mtype == NLMSG_DONE:
                err = -struct.unpack_from("=i", body)[0]
                tlvs = dict(walk_flat(body[4:])) \
                    if mflags & NLM_F_ACK_TLVS else {}
                return err, tlvs, replies
            replies.append(raw)
            if not dump:
                continue


def walk_flat(buf):
    off = 0
    while off + 4 <= len(buf):
        ln, atype = struct.unpack_from("=HH", buf, off)
        if ln < 4:
            break
        yield atype & NLA_TYPE_MASK, buf[off + 4:off + ln]
        off += (ln + 3) & ~3


def describe_error(spec, builder, err, tlvs):
    text = errno.errorcode.get(err, str(err))
    msg = tlvs.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode()
    out = "%s: %s" % (text, msg)
    if NLMSGERR_ATTR_OFFS in tlvs:
        # Offsets count from the request's netlink header: 16 + 4 bytes.
        offs = struct.unpack("=I", tlvs[NLMSGERR_ATTR_OFFS][:4])[0] - 20
        out += " [attr %s]" % builder.where.get(offs, "@%d" % offs)[1:]
    if NLMSGERR_ATTR_MISS_TYPE in tlvs:
        num = struct.unpack("=I", tlvs[NLMSGERR_ATTR_MISS_TYPE][:4])[0]
        a = spec.by_num("mlsdco", num)
        out += " [missing %s]" % (a["name"] if a else num)
    return out


def random_rx_keys(n, key_len):
    return [["rx-key", [["leaf", leaf],
                        ["key", os.urandom(key_len).hex()],
                        ["nonce", os.urandom(12).hex()]]]
            for leaf in range(1, n + 1)]


def cmd_request(spec, argv, dump):
    args = list(argv)
    extra = []
    if "--rx-keys" in args:
        i = args.index("--rx-keys")
        key_len = 16
        if "--key-len" in args:
            j = args.index("--key-len")
            key_len = int(args[j + 1])
            del args[j:j + 2]
            i = args.index("--rx-keys")
        extra = random_rx_keys(int(args[i + 1]), key_len)
        del args[i:i + 2]
    if len(args) != 2:
        return usage()
    cmd, items = args[0], json.loads(args[1]) + extra
    builder = Builder(spec)
    payload = builder.attrs("mlsdco", items, 0, "")
    err, tlvs, replies = Genl().request(spec.cmds[cmd], payload, dump)
    if err:
        print(describe_error(spec, builder, err, tlvs))
        return 1
    print("ok %d" % len(replies) if dump else "ok")
    return 0


class Audit:
    def __init__(self, spec, secrets):
        self.spec = spec
        self.secrets = secrets
        self.attrs = 0
        self.problems = []

    def walk(self, aset, buf, path):
        for atype, val in walk_flat(buf):
            self.attrs += 1
            a = self.spec.by_num(aset, atype)
            if a is None:
                self.problems.append("%s: attribute %d not in set %s" %
                                     (path, atype, aset))
                continue
            here = path + "." + a["name"]
            if (aset, a["name"]) in SECRET_ATTRS:
                self.problems.append(here + ": key material in a reply")
            if a["type"] == "nest":
                self.walk(a["nested-attributes"], val, here)

    def message(self, what, raw):
        for s in self.secrets:
            if s in raw:
                self.problems.append("%s: reply contains key bytes %s..." %
                                     (what, s.hex()[:8]))
        self.walk("mlsdco", raw[20:], what)


def read_secrets(path):
    """Keys and nonces of an mlsctl key file (tx KEY NONCE, rx LEAF KEY NONCE)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            words = line.split("#")[0].split()
            if words and words[0] in ("tx", "rx"):
                out += [bytes.fromhex(w) for w in words[-2:]]
    return out


def cmd_audit(spec, argv):
    if len(argv) < 2:
        return usage()
    ifname, secrets = argv[0], []
    for path in argv[1:]:
        secrets += read_secrets(path)
    audit = Audit(spec, secrets)
    nl = Genl()
    sel = Builder(spec).attrs("mlsdco", [["ifname", ifname]], 0, "")
    runs = [("dev-get", sel, False), ("dev-get", b"", True),
            ("group-get", sel, True)]
    msgs = 0
    groups = []
    for cmd, payload, dump in runs:
        err, _, replies = nl.request(spec.cmds[cmd], payload, dump)
        if err:
            print("FAIL: %s: %s" % (cmd, os.strerror(err)))
            return 1
        for raw in replies:
            msgs += 1
            audit.message(cmd, raw)
            if cmd == "group-get":
                for atype, val in walk_flat(raw[20:]):
                    if atype == spec.attr("mlsdco", "group-id")["num"]:
                        groups.append(struct.unpack("=I", val)[0])
    for gid in groups:
        payload = Builder(spec).attrs("mlsdco", [["ifname", ifname],
                                                 ["group-id", gid]], 0, "")
        err, _, replies = nl.request(spec.cmds["group-get"], payload)
        if err:
            print("FAIL: group-get %d: %s" % (gid, os.strerror(err)))
            return 1
        for raw in replies:
            msgs += 1
            audit.message("group-get %d" % gid, raw)
    for p in audit.problems:
        print("FAIL: " + p)
    print("audited %d replies (%d groups), %d attributes, %d secrets" %
          (msgs, len(groups), audit.attrs, len(secrets)))
    return 1 if audit.problems or not groups or not secrets else 0


def usage():
    sys.stderr.write(__doc__)
    return 2


def main(argv):
    spec = Spec(SPEC)
    if len(argv) >= 2 and argv[1] in ("do", "dump"):
        return cmd_request(spec, argv[2:], argv[1] == "dump")
    if len(argv) >= 2 and argv[1] == "audit":
        return cmd_audit(spec, argv[2:])
    return usage()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
