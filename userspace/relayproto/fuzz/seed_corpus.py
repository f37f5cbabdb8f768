#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seed frames for fuzz_relay_frame, one valid frame of several types,
built by hand from docs/RELAY-PROTOCOL.md (not with the codec under test).
   seed_corpus.py OUT_DIR"""
import os
import struct
import sys


def frame(ftype, payload, req=1):
    return struct.pack('>BBHII', 1, ftype, 0, req, len(payload)) + payload


def o16(b):
    return struct.pack('>H', len(b)) + b


def o32(b):
    return struct.pack('>I', len(b)) + b


MLS_PRIVATE = b'\x00\x01\x00\x02\x02g1' + struct.pack('>Q', 5) + b'ct'
SEEDS = {
    'auth': frame(0x02, struct.pack('>H', 1) + o16(b'host-a') +
                  o16(b'k' * 32) + o16(b's' * 64)),
    'handshake': frame(0x21, o16(b'g1') + struct.pack('>Q', 5) + b'\x02' +
                       o32(MLS_PRIVATE)),
    'fetch': frame(0x25, o16(b'g') + struct.pack('>QQ', 1, 0)),
    'error': frame(0x04, struct.pack('>H', 7) + o16(b'not found')),
    'epoch-tag': frame(0x50, o16(b'g') + struct.pack('>Q', 3) + b'12345678'),
    'end': frame(0x26, struct.pack('>IB', 3, 1)),
    'welcome-take': frame(0x41, b''),
}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
