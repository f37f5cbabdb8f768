#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seed lines for fuzz_ctl_proto: one valid request of every command of
docs/CONTROL.md, the near misses the parser must refuse, and replies and
events as mlsd sends them.
   seed_corpus.py OUT_DIR"""
import os
import sys

SEEDS = {
    'status': '{"id":1,"cmd":"status"}',
    'host-list': '{"id":2,"cmd":"host-list"}',
    'host-remove': '{"id":3,"cmd":"host-remove","host":"bob"}',
    'group-create': '{"id":4,"cmd":"group-create","group":"ops","hosts":[]}',
    'group-add': '{"id":5,"cmd":"group-add","group":"ops",'
                 '"hosts":["bob","carol.x-1_2"]}',
    'group-remove': '{"id":6,"cmd":"group-remove","group":"ops",'
                    '"hosts":["bob"]}',
    'group-list': '{"id":7,"cmd":"group-list"}',
    'rekey': '{"id":8,"cmd":"rekey"}',
    'rekey-pair': '{"id":9,"cmd":"rekey","group":"pair/bob"}',
    'rekey-network': '{"id":10,"cmd":"rekey","group":"network"}',
    'monitor': '{"id":11,"cmd":"monitor"}',
    'duplicate': '{"id":1,"id":2,"cmd":"status"}',
    'unknown-field': '{"id":1,"cmd":"status","x":[1,{"y":null}]}',
    'escapes': '{"id":1,"cmd":"host-remove","host":"b\\u00e9\\"\\n"}',
    'utf8': '{"id":1,"cmd":"host-remove","host":"\u00e9\u20ac\U0001f600"}',
    'big-id': '{"id":9007199254740991,"cmd":"status"}',
    'float-id': '{"id":1e3,"cmd":"status"}',
    'reply-ok': '{"id":5,"ok":true,"result":{"network":"corp","hosts":[]}}',
    'reply-error': '{"id":null,"ok":false,"error":{"code":"bad-json",'
                   '"message":"column 1: invalid token"}}',
    'event': '{"event":"epoch","group":"network","epoch":13}',
}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, text in SEEDS.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(text.encode('utf-8'))
