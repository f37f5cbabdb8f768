// SPDX-License-Identifier: MIT
/* ratchet_tree extension (RFC 9420 §12.4.3.3): the tree a joiner is handed. */
#include "fuzz_roundtrip.h"

FUZZ_WHOLE_CODEC(ratchet_tree)
