// SPDX-License-Identifier: MIT
/* GroupSecrets (RFC 9420 §12.4.3.1): the HPKE plaintext of a Welcome entry. */
#include "fuzz_roundtrip.h"

FUZZ_WHOLE_CODEC(group_secrets)
