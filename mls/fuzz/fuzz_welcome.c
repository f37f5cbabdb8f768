// SPDX-License-Identifier: MIT
/* Welcome (RFC 9420 §12.4.3): what a joiner receives from the adder. */
#include "fuzz_roundtrip.h"

FUZZ_WHOLE_CODEC(welcome)
