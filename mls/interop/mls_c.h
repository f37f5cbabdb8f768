// SPDX-License-Identifier: MIT
// libmls's C headers, as C++ sees them.
#ifndef MLS_INTEROP_MLS_C_H
#define MLS_INTEROP_MLS_C_H

extern "C" {
#include "mls/codec.h"
#include "mls/crypto.h"
#include "mls/error.h"
#include "mls/group.h"
#include "mls/messages.h"
#include "mls/ratchet_tree.h"
}

#endif
