// SPDX-License-Identifier: MIT
/* MLSMessage (RFC 9420 §6): everything a peer sends us is wrapped in one. */
#include "fuzz_roundtrip.h"

FUZZ_WHOLE_CODEC(message)
