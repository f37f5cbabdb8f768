/* SPDX-License-Identifier: MIT */
/*
 * libmlsdco-nl: userspace client of the "mlsdco" generic netlink family
 * (spec: netlink/mlsdco.yaml, API: docs/NETLINK.md).
 *
 * Every call returns 0 or a negative errno. When the kernel rejected the
 * request, mlsnl_errmsg() holds its extack message until the next call.
 */

#ifndef MLSDCO_NL_H
#define MLSDCO_NL_H

#include <linux/mlsdco.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct mlsnl;

/* Which device a request is about: ifindex, ifname, or both (must agree). */
struct mlsnl_dev_sel {
	uint32_t ifindex;	/* 0: not given */
	const char *ifname;	/* NULL: not given */
};

/* Packet counters of a device, a group or one member. */
struct mlsnl_stats {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
	uint64_t decrypt_failures, replays, unknown_tags, no_route;
	uint64_t exhausted, bad_source;
	/* empty authenticated packets: received (not delivered), sent */
	uint64_t rx_keepalives, tx_keepalives;
};

struct mlsnl_dev {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint16_t listen_port;
	uint64_t soft_limit;	/* 0: the AEAD's default (or not reported) */
	uint64_t hard_limit;
	/* Device-wide counters: also what no group can be blamed for, such
	 * as packets naming no installed epoch (unknown_tags).
	 */
	struct mlsnl_stats stats;
};

/* A change to a device; fields whose has_ flag is false are left alone. */
struct mlsnl_dev_conf {
	struct mlsnl_dev_sel sel;
	bool has_listen_port;
	uint16_t listen_port;
	bool has_soft_limit;
	uint64_t soft_limit;
	bool has_hard_limit;
	uint64_t hard_limit;
};

/* Called once per device of a dump; a negative return stops the dump and
 * becomes its result.
 */
typedef int (*mlsnl_dev_cb)(const struct mlsnl_dev *dev, void *arg);

/*
 * Open a netlink socket and resolve the family. -ENOENT means the kernel
 * has no "mlsdco" family (module not loaded).
 */
int mlsnl_open(struct mlsnl **nlp);
void mlsnl_close(struct mlsnl *nl);

/* The kernel's extack text for the last failed call, "" if it gave none. */
const char *mlsnl_errmsg(const struct mlsnl *nl);

int mlsnl_dev_get(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		  struct mlsnl_dev *dev);
int mlsnl_dev_dump(struct mlsnl *nl, mlsnl_dev_cb cb, void *arg);
int mlsnl_dev_set(struct mlsnl *nl, const struct mlsnl_dev_conf *conf);

/* ---- data plane: groups, members, epochs, events ----------------------- */

/* A UDP endpoint; family AF_INET or AF_INET6, addr in network order. */
struct mlsnl_endpoint {
	sa_family_t family;
	uint8_t addr[16];
	uint16_t port;
};

/* An inner prefix a member may use as source and is routed to. */
struct mlsnl_prefix {
	sa_family_t family;
	uint8_t addr[16];
	uint8_t cidr;
};

struct mlsnl_member {
	uint32_t leaf;
	bool has_endpoint;
	struct mlsnl_endpoint endpoint;
	size_t n_allowed;
	struct mlsnl_prefix *allowed;
	struct mlsnl_stats stats;
	uint32_t peer_id;	/* 0: none */
	uint16_t keepalive_s;	/* 0: off */
	bool endpoint_fixed;	/* the endpoint does not roam */
};

struct mlsnl_epoch_info {
	uint64_t epoch;
	uint32_t state;		/* enum mlsdco_epoch_state */
	uint64_t tx_counter;
};

/* A group as group-get reports it: never any key material. */
struct mlsnl_group {
	uint32_t ifindex;
	uint32_t group_id;
	uint32_t aead;		/* enum mlsdco_aead */
	uint32_t own_leaf;
	uint32_t flags;		/* MLSDCO_GROUP_F_* */
	bool has_relay;
	struct mlsnl_endpoint relay;
	struct mlsnl_stats stats;
	size_t n_members;
	struct mlsnl_member *members;
	size_t n_epochs;
	struct mlsnl_epoch_info *epochs;
};

/*
 * group-new: aead and own_leaf; flags only when has_flags (else the kernel
 * makes a multicast group), relay only when has_relay.
 * group-set: group_id, the relay (has_relay false: none) and, when
 * has_flags, the flags; aead and own_leaf are not sent.
 */
struct mlsnl_group_conf {
	struct mlsnl_dev_sel sel;
	uint32_t group_id;
	uint32_t aead;
	uint32_t own_leaf;
	bool has_flags;
	uint32_t flags;		/* MLSDCO_GROUP_F_* */
	bool has_relay;
	struct mlsnl_endpoint relay;
};

/* Most allowed IPs one member-set carries (32 bytes each on the wire). */
#define MLSNL_MAX_ALLOWED_IPS	1000

/* member-set: endpoint, allowed IPs, peer id and keepalive are only sent
 * when has_ is set; a sent allowed-ip list (even empty) replaces the
 * member's list. endpoint_fixed stops roaming; a member-set with an
 * endpoint and without endpoint_fixed lets the endpoint roam again.
 */
struct mlsnl_member_conf {
	struct mlsnl_dev_sel sel;
	uint32_t group_id;
	uint32_t leaf;
	bool has_endpoint;
	struct mlsnl_endpoint endpoint;
	bool has_allowed;
	size_t n_allowed;
	const struct mlsnl_prefix *allowed;
	bool has_peer_id;
	uint32_t peer_id;	/* 0: none */
	bool has_keepalive;
	uint16_t keepalive_s;	/* 0: off */
	bool endpoint_fixed;
};

/* One sender's key and nonce base; key_len as the group's AEAD needs. */
struct mlsnl_key {
	uint8_t key[MLSDCO_KEY_LEN];
	size_t key_len;
	uint8_t nonce[MLSDCO_NONCE_LEN];
};

struct mlsnl_rx_key {
	uint32_t leaf;
	struct mlsnl_key k;
};

/*
 * Most rx keys one epoch-new carries: a 4096-member group. The request is
 * then about 260 KiB (64 bytes per key), which the library fits into the
 * socket's send buffer; the kernel keeps ~320 bytes per key in one
 * allocation. A larger group needs a kernel that takes keys in several
 * requests; until then mlsnl_epoch_new refuses it with -E2BIG.
 */
#define MLSNL_MAX_RX_KEYS	4096

/*
 * epoch-new. The library wipes its copy of the request (explicit_bzero)
 * as soon as it is sent, whatever the outcome; the caller owns this
 * structure and wipes it with mlsnl_epoch_conf_wipe().
 */
struct mlsnl_epoch_conf {
	struct mlsnl_dev_sel sel;
	uint32_t group_id;
	uint64_t epoch;
	uint8_t tag[MLSDCO_TAG_LEN];
	struct mlsnl_key tx;
	size_t n_rx;
	struct mlsnl_rx_key *rx;
	uint32_t grace_ms;	/* 0: not sent, the kernel's default */
};

/* A notification of the "events" multicast group. */
struct mlsnl_event {
	uint8_t cmd;		/* MLSDCO_CMD_KEY_SOFT_LIMIT, ..., NO_ROUTE */
	uint32_t ifindex;
	bool has_group_id, has_epoch, has_tx_counter, has_leaf, has_tag;
	bool has_endpoint;
	uint32_t group_id;
	uint64_t epoch;
	uint64_t tx_counter;
	uint32_t leaf;
	uint8_t tag[MLSDCO_TAG_LEN];
	struct mlsnl_endpoint endpoint;
	bool has_dest;		/* MLSDCO_CMD_NO_ROUTE */
	struct mlsnl_prefix dest;
};

typedef int (*mlsnl_group_cb)(const struct mlsnl_group *group, void *arg);
typedef int (*mlsnl_event_cb)(const struct mlsnl_event *ev, void *arg);

/* AEAD names ("aes-128-gcm", "aes-256-gcm", "chacha20-poly1305"). */
const char *mlsnl_aead_name(uint32_t aead);
int mlsnl_aead_parse(const char *name, uint32_t *aead);
/* Key length the AEAD needs, 0 for an unknown AEAD. */
size_t mlsnl_aead_key_len(uint32_t aead);
const char *mlsnl_epoch_state_name(uint32_t state);
/* "key-soft-limit", ..., "no-route" or NULL. */
const char *mlsnl_event_name(uint8_t cmd);

int mlsnl_group_new(struct mlsnl *nl, const struct mlsnl_group_conf *conf);
/* group-set: the relay (conf->has_relay false: no relay) and the flags. */
int mlsnl_group_set(struct mlsnl *nl, const struct mlsnl_group_conf *conf);
int mlsnl_group_del(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		    uint32_t group_id);
/* On success *group is filled and must be released with mlsnl_group_free. */
int mlsnl_group_get(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		    uint32_t group_id, struct mlsnl_group *group);
/* The group passed to cb is only valid during the call. */
int mlsnl_group_dump(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		     mlsnl_group_cb cb, void *arg);
void mlsnl_group_free(struct mlsnl_group *group);

int mlsnl_member_set(struct mlsnl *nl, const struct mlsnl_member_conf *conf);
int mlsnl_member_del(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		     uint32_t group_id, uint32_t leaf);

int mlsnl_epoch_new(struct mlsnl *nl, const struct mlsnl_epoch_conf *conf);
int mlsnl_epoch_swap(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		     uint32_t group_id);
int mlsnl_epoch_del(struct mlsnl *nl, const struct mlsnl_dev_sel *sel,
		    uint32_t group_id, uint64_t epoch);
void mlsnl_epoch_conf_wipe(struct mlsnl_epoch_conf *conf);

/*
 * Join the "events" multicast group on this handle. Use a handle of its
 * own for events: replies to requests and notifications would interleave.
 */
int mlsnl_events_subscribe(struct mlsnl *nl);
/* Block until notifications arrive and run cb on each; a nonzero return of
 * cb stops and is returned. -ENOBUFS means events were lost (overrun).
 */
int mlsnl_events_recv(struct mlsnl *nl, mlsnl_event_cb cb, void *arg);
/* The handle's socket, to poll() for events before mlsnl_events_recv. */
int mlsnl_events_fd(const struct mlsnl *nl);

#endif /* MLSDCO_NL_H */
