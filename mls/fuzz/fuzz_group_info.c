// SPDX-License-Identifier: MIT
/*
 * GroupInfo (RFC 9420 §12.4.3): published for external joins, and sent
 * inside a Welcome.
 */
#include "fuzz_roundtrip.h"

FUZZ_WHOLE_CODEC(group_info)
