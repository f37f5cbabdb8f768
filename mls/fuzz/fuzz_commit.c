// SPDX-License-Identifier: MIT
/* Commit (RFC 9420 §12.4): proposals plus an optional UpdatePath. */
#include "fuzz_roundtrip.h"

FUZZ_WHOLE_CODEC(commit)
