/* SPDX-License-Identifier: MIT */
/*
 * The mlsdco network device, set up the way wg-quick sets up a WireGuard
 * one: created if absent (rtnetlink, kind "mlsdco"), given the
 * [Interface] Address list and brought up. Addresses already there are
 * replaced (NLM_F_REPLACE), so a restart changes nothing.
 */
#ifndef MLSD_LINK_H
#define MLSD_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "prefix.h"

/*
 * Make sure device ifname exists (created when absent), carries every
 * address of addrs and is up; *ifindex receives its index. Errors name
 * the step and the kernel's reason.
 */
int mlsd_link_setup(const char *ifname, const struct mlsd_prefix *addrs,
		    size_t n_addrs, uint32_t *ifindex, struct mlsd_err *e);

#endif
