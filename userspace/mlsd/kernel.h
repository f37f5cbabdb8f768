/* SPDX-License-Identifier: MIT */
/*
 * What mlsd tells the mlsdco module about one group (docs/NETLINK.md):
 * the group itself (flags, relay endpoint), its members (peer id, allowed
 * IPs from verified credentials only, keepalive) and its epochs
 * (epoch-new then epoch-swap). The nonce rule (docs/AGENT.md "A nonce is
 * never used twice") is the caller's: it records the install in the
 * store before mlsd_kernel_install.
 */
#ifndef MLSD_KERNEL_H
#define MLSD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mlsdco/nl.h"
#include "err.h"
#include "prefix.h"

struct mlsd_kernel {
	struct mlsnl *nl;		/* requests */
	struct mlsnl *events;		/* the "events" multicast group */
	uint32_t ifindex;
};

/* A member as mlsd wants it in the kernel. */
struct mlsd_kernel_member {
	uint32_t leaf;
	uint32_t peer_id;
	const struct mlsd_prefix *allowed;	/* verified prefixes */
	size_t n_allowed;
};

struct mlsd_kernel_group {
	uint32_t gid;
	uint32_t aead;
	uint32_t own_leaf;
	uint32_t flags;			/* MLSDCO_GROUP_F_* */
	bool has_relay;
	struct mlsnl_endpoint relay;
	uint16_t keepalive_s;		/* of every member, 0 = off */
};

int mlsd_kernel_open(struct mlsd_kernel *k, uint32_t ifindex,
		     struct mlsd_err *e);
void mlsd_kernel_close(struct mlsd_kernel *k);
int mlsd_kernel_set_port(struct mlsd_kernel *k, uint16_t port,
			 struct mlsd_err *e);

/*
 * Whether the kernel has group gid, and whether it has any epoch
 * (after an mlsd restart with the module loaded: keep it as it is).
 */
int mlsd_kernel_group_state(struct mlsd_kernel *k, uint32_t gid, bool *exists,
			    uint64_t *max_epoch, bool *has_epoch);
/* group-new when the group does not exist yet. */
int mlsd_kernel_group_ensure(struct mlsd_kernel *k,
			     const struct mlsd_kernel_group *g,
			     struct mlsd_err *e);
int mlsd_kernel_group_del(struct mlsd_kernel *k, uint32_t gid);
/*
 * Make the kernel's member list of g exactly members (set each, delete
 * every other leaf but our own).
 */
int mlsd_kernel_members(struct mlsd_kernel *k, const struct mlsd_kernel_group *g,
			const struct mlsd_kernel_member *members, size_t n,
			struct mlsd_err *e);
/* epoch-new of conf, then epoch-swap. */
int mlsd_kernel_install(struct mlsd_kernel *k, struct mlsnl_epoch_conf *conf,
			struct mlsd_err *e);
/* The events socket's fd, for the loop. */
int mlsd_kernel_events_fd(struct mlsd_kernel *k);

#endif
