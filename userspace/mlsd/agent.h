/* SPDX-License-Identifier: MIT */
/*
 * The mlsd agent (docs/AGENT.md): its state and the pieces that act on
 * it, one file each:
 *   agent.c     startup, the relay session's life, what arrives from it
 *   groups.c    the group table, the store, and an epoch's way into the
 *               kernel (save, record the install, epoch-new, epoch-tag)
 *   hsevent.c   handshake messages from the relay: subscribe, fetch,
 *               process
 *   commit.c    our own Commits (self-Update, rekey) and their outcome
 *   netgroup.c  creating or joining the network group
 *   pairs.c     pair groups: who creates them, Adds and Welcomes
 *   keypkg.c    KeyPackages: upload, their secrets, joining from Welcome
 *   control.c   the control socket's commands and events (mlsctl)
 */
#ifndef MLSD_AGENT_H
#define MLSD_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mls/group.h"
#include "admission.h"
#include "backoff.h"
#include "config.h"
#include "control.h"
#include "identity.h"
#include "kernel.h"
#include "loop.h"
#include "peer.h"
#include "relay.h"
#include "store.h"

#define MLSD_MAX_GROUPS		256
#define MLSD_NET_KERNEL_GID	1	/* docs/AGENT.md "Kernel groups" */
#define MLSD_KP_ONE_TIME	8	/* uploaded on every connect */
#define MLSD_WELCOME_POLL_MS	2000
#define MLSD_JOIN_RETRY_MS	1000

struct mlsd_agent;
struct mlsd_ctl_server;

struct mlsd_group {
	char gid[MLSD_GROUP_ID_MAX + 1];
	size_t gid_len;
	uint32_t kgid;
	bool is_pair;
	char peer[MLSD_NAME_MAX + 1];	/* pair groups: the other host */
	bool active;			/* g holds a group we are in */
	struct mls_group g;
	uint64_t relay_seq;
	/* the saved epoch went to the kernel before a module reload: the
	 * group needs a fresh epoch (self-Update) before it carries traffic
	 */
	bool need_fresh_epoch;
	bool fetch_more;
	uint64_t fetch_mark;		/* seq of the last event that fetched */
	int64_t last_epoch_at;		/* Unix time of the last new epoch, 0 */
	struct mlsd_agent *agent;	/* for timer callbacks */
};

struct mlsd_agent {
	struct mlsd_config cfg;
	struct mlsd_admission adm;
	struct mlsd_identity id;
	const struct mls_suite *suite;
	struct mlsd_store *store;
	struct mlsd_kernel kern;
	uint32_t ifindex;
	struct mlsd_loop loop;
	struct mlsd_relay relay;
	struct mlsd_backoff backoff;
	bool has_relay_data;
	struct mlsnl_endpoint relay_data;
	uint16_t keepalive_s;
	struct mlsd_group *groups[MLSD_MAX_GROUPS];
	size_t n_groups;
	char net_gid[MLSD_GROUP_ID_MAX + 1];
	struct mlsd_group *net;		/* the network group's entry */
	/* the last-resort KeyPackage of this run: kept after its Welcome */
	uint8_t lr_ref[MLS_MAX_HASH_LEN];
	size_t lr_ref_len;
	/* the control socket (control.c) */
	struct mlsd_ctl_server *ctl;
	struct mlsd_loop_source ctl_source;
	int64_t relay_since;		/* Unix time the link went up or down */
};

/* agent.c */
int mlsd_agent_init(struct mlsd_agent *a, const char *config,
		    struct mlsd_err *e);
void mlsd_agent_run(struct mlsd_agent *a);
void mlsd_agent_free(struct mlsd_agent *a);
/* The relay failed: close it and reconnect after the backoff. */
void mlsd_agent_relay_lost(struct mlsd_agent *a, int err);
/* Send req; false (and the session dropped) when the connection failed. */
bool mlsd_agent_call(struct mlsd_agent *a, struct rp_frame *req,
		     struct mlsd_relay_reply *rep);
/* A log line on stderr, "mlsd: ..." */
void mlsd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* groups.c */
struct mlsd_group *mlsd_group_find(struct mlsd_agent *a, const uint8_t *gid,
				   size_t len);
/* A new entry (inactive) for gid with a free kernel group id. */
struct mlsd_group *mlsd_group_add(struct mlsd_agent *a, const char *gid);
void mlsd_group_reset(struct mlsd_group *gr);
/* Load every group of the store and reconcile with the kernel. */
int mlsd_groups_load(struct mlsd_agent *a, struct mlsd_err *e);
/* Save the current epoch (blob, relay position) to the store. */
int mlsd_group_save(struct mlsd_agent *a, struct mlsd_group *gr);
/*
 * A new epoch: save it, set the kernel members, record the install,
 * install the keys, tell the relay the tag, rearm the rekey timer.
 */
int mlsd_group_new_epoch(struct mlsd_agent *a, struct mlsd_group *gr);
/* The loader/joiner options every group of ours gets. */
void mlsd_group_validator(struct mlsd_agent *a, mls_credential_validate_fn *fn,
			  void **ctx);
/* hsevent.c */
/* Subscribe to gr at the relay and fetch what we missed. */
void mlsd_group_resume(struct mlsd_agent *a, struct mlsd_group *gr);
/* An hs-event of the relay for a group of ours. */
void mlsd_group_handle(struct mlsd_agent *a, const struct mlsd_relay_item *it);
/* The verified host name of a member leaf of g into out. */
bool mlsd_member_name(struct mlsd_agent *a, const struct mls_group *g,
		      uint32_t leaf, char *out, size_t cap);

/* commit.c */
/* Commit a self-Update in gr now (rekey, limits, fresh epoch). */
void mlsd_commit_update(struct mlsd_agent *a, struct mlsd_group *gr);
/*
 * Send the pending Commit of gr (made with mls_group_commit) in epoch
 * and settle it: 0 when accepted and installed, 1 when it lost (the
 * winner processed if it could be), -1 when the session failed.
 */
int mlsd_commit_send(struct mlsd_agent *a, struct mlsd_group *gr,
		     const struct mls_bytes *commit);
void mlsd_rekey_arm(struct mlsd_agent *a, struct mlsd_group *gr);
/* A self-Update of gr at the next loop turn (kernel key limits). */
void mlsd_rekey_soon(struct mlsd_agent *a, struct mlsd_group *gr);
void mlsd_groupinfo_put(struct mlsd_agent *a, struct mlsd_group *gr);

/* netgroup.c */
/* Create or join the network group (relay connected, subscribed). */
void mlsd_net_start(struct mlsd_agent *a);

/* pairs.c */
/* The network group's roster changed: make the pair groups we create. */
void mlsd_pairs_update(struct mlsd_agent *a);
/* Ask the relay for Welcomes (and join the pair groups they bring). */
void mlsd_pairs_poll(struct mlsd_agent *a);
void mlsd_pairs_welcome(struct mlsd_agent *a, const struct mlsd_relay_item *it);

/* keypkg.c */
int mlsd_kp_upload(struct mlsd_agent *a, unsigned int n_one_time);
/*
 * Join from Welcome blob with a KeyPackage secret of ours into g: 0, 1
 * when it is for no KeyPackage of ours, or a libmls error.
 */
int mlsd_kp_join(struct mlsd_agent *a, const uint8_t *blob, size_t len,
		 struct mls_group *g);

#endif
