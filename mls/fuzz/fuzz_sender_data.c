// SPDX-License-Identifier: MIT
/* SenderData (RFC 9420 §6.3.2): decrypted with a key every member knows. */
#include "fuzz_roundtrip.h"

FUZZ_WHOLE_CODEC(sender_data)
