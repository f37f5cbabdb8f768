/* SPDX-License-Identifier: MIT */
/* Every RFC 9420 wire structure: include this to get them all. */
#ifndef MLS_MESSAGES_H
#define MLS_MESSAGES_H

#include "mls/msg_common.h"
#include "mls/msg_tree.h"
#include "mls/msg_keypackage.h"
#include "mls/msg_proposal.h"
#include "mls/msg_group.h"
#include "mls/msg_framing.h"

#endif
