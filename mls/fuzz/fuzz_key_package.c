// SPDX-License-Identifier: MIT
/* KeyPackage (RFC 9420 §10): fetched from the delivery service for an Add. */
#include "fuzz_roundtrip.h"

FUZZ_WHOLE_CODEC(key_package)
