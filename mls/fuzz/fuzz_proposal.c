// SPDX-License-Identifier: MIT
/*
 * Proposal (RFC 9420 §12.1): a typed body, inline in a Commit or framed
 * alone.
 */
#include "fuzz_roundtrip.h"

FUZZ_WHOLE_CODEC(proposal)
