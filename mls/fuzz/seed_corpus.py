#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seed corpus for mls/fuzz: one file per test-vector value and harness.

Usage: seed_corpus.py messages.json OUTDIR -> OUTDIR/<harness>/<field>-<i>
The vectors carry whole MLSMessages for welcome/group_info/key_package;
their harnesses decode the bare structure, so the 4-byte MLSMessage header
(version, wire_format: RFC 9420 §6) is cut off for them.
"""
import json
import os
import sys

MLS_MESSAGE_FIELDS = ["mls_welcome", "mls_group_info", "mls_key_package",
                      "public_message_application", "public_message_proposal",
                      "public_message_commit", "private_message"]
# harness -> (field, bytes to drop from the front)
BARE = {
    "fuzz_welcome": ("mls_welcome", 4),
    "fuzz_group_info": ("mls_group_info", 4),
    "fuzz_key_package": ("mls_key_package", 4),
    "fuzz_ratchet_tree": ("ratchet_tree", 0),
    "fuzz_group_secrets": ("group_secrets", 0),
    "fuzz_commit": ("commit", 0),
    "fuzz_leaf_node": ("update_proposal", 0),  # Update is one LeafNode
}
# RFC 9420 §17.4 proposal types of the bodies messages.json carries
PROPOSAL_TYPES = {
    "add_proposal": 1, "update_proposal": 2, "remove_proposal": 3,
    "pre_shared_key_proposal": 4, "re_init_proposal": 5,
    "external_init_proposal": 6, "group_context_extensions_proposal": 7,
}


def varint(n):
    if n < 1 << 6:
        return bytes([n])
    if n < 1 << 14:
        return (0x4000 | n).to_bytes(2, "big")
    return (0x80000000 | n).to_bytes(4, "big")


def opaque(b):
    return varint(len(b)) + b


def private_message_contents(vec):
    """PrivateMessageContent plaintexts, prefixed by their content type."""
    sig = bytes(range(64))
    tag = bytes(32)
    yield b"\x01" + opaque(b"hello, group") + opaque(sig)
    yield b"\x01" + opaque(b"padded") + opaque(sig) + bytes(7)
    for field, ptype in PROPOSAL_TYPES.items():
        body = bytes.fromhex(vec[field])
        yield b"\x02" + ptype.to_bytes(2, "big") + body + opaque(sig)
    yield b"\x03" + bytes.fromhex(vec["commit"]) + opaque(sig) + opaque(tag)


def seeds(vec):
    for field in MLS_MESSAGE_FIELDS:
        yield "fuzz_message", field, bytes.fromhex(vec[field])
    for harness, (field, skip) in BARE.items():
        yield harness, field, bytes.fromhex(vec[field])[skip:]
    for field, ptype in PROPOSAL_TYPES.items():
        yield ("fuzz_proposal", field,
               ptype.to_bytes(2, "big") + bytes.fromhex(vec[field]))
    for i, pmc in enumerate(private_message_contents(vec)):
        yield "fuzz_private_message_content", "pmc%d" % i, pmc


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    with open(sys.argv[1]) as f:
        vectors = json.load(f)
    out = sys.argv[2]
    counts = {}
    for i, vec in enumerate(vectors):
        for harness, field, data in seeds(vec):
            d = os.path.join(out, harness)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "%s-%03d" % (field, i)), "wb") as f:
                f.write(data)
            counts[harness] = counts.get(harness, 0) + 1
    # SenderData (§6.3.2) is a fixed 12 bytes; messages.json has none.
    d = os.path.join(out, "fuzz_sender_data")
    os.makedirs(d, exist_ok=True)
    for i in range(4):
        with open(os.path.join(d, "sd-%d" % i), "wb") as f:
            f.write(i.to_bytes(4, "big") + (i * 7).to_bytes(4, "big") +
                    bytes([i] * 4))
    counts["fuzz_sender_data"] = 4
    for harness in sorted(counts):
        print("seed corpus %-34s %4d files" % (harness, counts[harness]))


if __name__ == "__main__":
    main()
