// SPDX-License-Identifier: MIT
/*
 * LeafNode (RFC 9420 §7.2): arrives in KeyPackages, Updates and
 * UpdatePaths.
 */
#include "fuzz_roundtrip.h"

FUZZ_STREAM_CODEC(leaf_node)
