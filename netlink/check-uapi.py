#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fail when netlink/uapi/linux/mlsdco.h drifts from netlink/mlsdco.yaml.

The header is written by hand (no ynl-gen in this tree), so this script
derives from the spec the names and values ynl-gen would emit for a
"genetlink" family and checks them against the header both ways:
  - the set of MLSDCO_* names in the header equals the expected set,
  - every numeric name has the expected value (a C compiler evaluates the
    header, so enum arithmetic is the compiler's, not a re-parse of ours),
  - string defines match text for text.
Usage: check-uapi.py SPEC HEADER [STAMP]   (CC from the environment)
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml


def c_name(*parts):
    return "_".join(p for p in parts if p).upper().replace("-", "_")


def expected_names(spec):
    fam = spec["name"]
    ints, strings = {}, {}
    strings[c_name(fam, "family-name")] = fam
    ints[c_name(fam, "family-version")] = spec.get("version", 1)

    for d in spec.get("definitions", []):
        prefix = d.get("name-prefix", c_name(fam, d["name"]) + "_")
        if d["type"] == "const":
            ints[c_name(fam, d["name"])] = d["value"]
        elif d["type"] in ("enum", "flags"):
            start = d.get("value-start", 0)
            for i, e in enumerate(d["entries"]):
                ename = e if isinstance(e, str) else e["name"]
                val = start + i
                if d["type"] == "flags":
                    val = 1 << val
                ints[c_name(prefix) + c_name(ename)] = val

    for aset in spec.get("attribute-sets", []):
        if aset["name"] == fam:
            default = c_name(fam, "a") + "_"
        else:
            default = c_name(fam, "a", aset["name"]) + "_"
        prefix = c_name(aset.get("name-prefix", default))
        val = 1
        for attr in aset["attributes"]:
            val = attr.get("value", val)
            ints[prefix + c_name(attr["name"])] = val
            val += 1
        ints["__" + prefix + "MAX"] = val
        ints[prefix + "MAX"] = val - 1

    val = 1
    cmd = c_name(fam, "cmd") + "_"
    for op in spec["operations"]["list"]:
        val = op.get("value", val)
        ints[cmd + c_name(op["name"])] = val
        val += 1
    ints["__" + cmd + "MAX"] = val
    ints[cmd + "MAX"] = val - 1

    for grp in spec.get("mcast-groups", {}).get("list", []):
        strings[c_name(fam, "mcgrp", grp["name"])] = grp["name"]
    return ints, strings


def header_names(text, fam):
    pfx = c_name(fam)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    names = set(re.findall(r"\b(_*%s_[A-Z0-9_]+)\b" % pfx, text))
    names.discard("_UAPI_LINUX_%s_H" % pfx)
    strings = dict(re.findall(r'#define\s+(\w+)\s+"([^"]*)"', text))
    return names, strings


def compile_check(header, ints):
    cc = os.environ.get("CC", "cc")
    lines = ['#include "%s"' % os.path.abspath(header)]
    for name, val in ints.items():
        lines.append('_Static_assert(%s == %d, "%s must be %d");'
                     % (name, val, name, val))
    with tempfile.NamedTemporaryFile("w", suffix=".c") as src:
        src.write("\n".join(lines) + "\n")
        src.flush()
        res = subprocess.run([cc, "-std=c11", "-fsyntax-only", src.name],
                             capture_output=True, text=True)
    return res.returncode == 0, res.stderr


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: check-uapi.py SPEC HEADER [STAMP]")
    spec_path, header = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    with open(header) as f:
        text = f.read()

    ints, strings = expected_names(spec)
    have, have_strings = header_names(text, spec["name"])
    want = set(ints) | set(strings)
    errors = ["missing from header: " + n for n in sorted(want - have)]
    errors += ["not in spec: " + n for n in sorted(have - want)]
    for name, val in strings.items():
        if name in have_strings and have_strings[name] != val:
            errors.append('%s is "%s", spec says "%s"'
                          % (name, have_strings[name], val))
    if not errors:
        ok, err = compile_check(header, ints)
        if not ok:
            errors += [l.split("error: ", 1)[1] for l in err.splitlines()
                       if "error: static assertion" in l] or [err]

    if errors:
        for e in errors:
            print("check-uapi: %s: %s" % (header, e), file=sys.stderr)
        sys.exit(1)
    if len(sys.argv) == 4:
        with open(sys.argv[3], "w") as f:
            f.write("%d names match %s\n" % (len(want), spec_path))


if __name__ == "__main__":
    main()
