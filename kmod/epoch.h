/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Epochs: the keys of one MLS epoch of a group, and their rotation
 * (next -> current -> previous, DESIGN-NOTES "Rekey without loss").
 */

#ifndef _MLSDCO_EPOCH_H
#define _MLSDCO_EPOCH_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/workqueue.h>
#include <linux/types.h>

#include "crypto.h"
#include "replay.h"

struct mlsdco_dev;
struct mlsdco_group;
struct mlsdco_member;
struct netlink_ext_ack;

#define MLSDCO_EPOCH_TAG_LEN		8
#define MLSDCO_DEFAULT_GRACE_MS		5000
/* Keys one epoch-new may carry (MLSNL_MAX_RX_KEYS in libmlsdco-nl): each
 * costs an AEAD transform, so an unbounded request could pin a lot of
 * memory.
 */
#define MLSDCO_MAX_RX_KEYS		4096

struct mlsdco_rx_key {
	u32 leaf;
	/* The member entry of @leaf (RCU, written under epoch_lock), so
	 * receive need not search the member list for every packet. NULL:
	 * none; the keys are kept (the member may be set again within this
	 * epoch) but not used. Cleared before the member is freed.
	 */
	struct mlsdco_member __rcu *member;
	struct crypto_aead *tfm;
	u8 nonce[MLSDCO_NONCE_BYTES];
	struct mlsdco_replay replay;
};

/**
 * struct mlsdco_epoch - keys of one epoch of a group
 * @tag_node: entry in the device's tag hash (RCU)
 * @group: owning group
 * @number: epoch number, for humans and epoch-del
 * @tag: wire tag naming this epoch
 * @grace_ms: time a next epoch waits to become current, and a previous
 *	one stays RX-only
 * @tx_tfm: own sending key
 * @tx_nonce: own nonce base
 * @tx_counter: next own packet counter
 * @soft_event_at: jiffies of the last key-soft-limit event, 0 = none yet
 * @exhausted_event_at: jiffies of the last key-exhausted event, 0 = none
 * @crypt_pending: AEAD requests on its keys that went async and are not
 *	complete yet; the keys are not freed before they are
 * @free_work: frees the keys after an RCU grace period, in process context
 * @n_rx: entries in @rx
 * @rx: keys of the other members, sorted by leaf once installed
 */
struct mlsdco_epoch {
	struct hlist_node tag_node;
	struct mlsdco_group *group;
	u64 number;
	u8 tag[MLSDCO_EPOCH_TAG_LEN];
	u32 grace_ms;
	struct crypto_aead *tx_tfm;
	u8 tx_nonce[MLSDCO_NONCE_BYTES];
	atomic64_t tx_counter;
	unsigned long soft_event_at;
	unsigned long exhausted_event_at;
	atomic_t crypt_pending;
	struct rcu_work free_work;
	unsigned int n_rx;
	struct mlsdco_rx_key **rx;
};

struct mlsdco_epoch_params {
	u64 number;
	const u8 *tag;
	const u8 *tx_key;
	const u8 *tx_nonce;
	u32 grace_ms;
	unsigned int n_rx;
};

int mlsdco_epoch_wq_init(void);
void mlsdco_epoch_wq_uninit(void);
int mlsdco_epoch_cache_init(void);
void mlsdco_epoch_cache_uninit(void);

struct mlsdco_epoch *mlsdco_epoch_alloc(struct mlsdco_group *group,
					const struct mlsdco_epoch_params *p);
int mlsdco_epoch_set_rx(struct mlsdco_epoch *e, unsigned int i, u32 leaf,
			const u8 *key, const u8 *nonce);
void mlsdco_epoch_free(struct mlsdco_epoch *e);
void mlsdco_epoch_limits(struct mlsdco_epoch *e, u64 *soft, u64 *hard);
bool mlsdco_epoch_rx_key_dup(struct mlsdco_epoch *e, unsigned int n, u32 leaf);
int mlsdco_epoch_install(struct mlsdco_epoch *e, struct netlink_ext_ack *extack);
int mlsdco_epoch_swap(struct mlsdco_group *group);
int mlsdco_epoch_del(struct mlsdco_group *group, u64 number);
void mlsdco_epochs_flush(struct mlsdco_group *group);
void mlsdco_epoch_timers_init(struct mlsdco_group *group);
void mlsdco_epoch_history_restore(struct mlsdco_group *group);
bool mlsdco_epoch_take_over(struct mlsdco_group *g, struct mlsdco_epoch *next);

struct mlsdco_epoch *mlsdco_epoch_by_tag(struct mlsdco_dev *mdev,
					 const u8 *tag);
struct mlsdco_rx_key *mlsdco_epoch_rx_key(struct mlsdco_epoch *e, u32 leaf);
void mlsdco_epochs_member_link(struct mlsdco_group *g, u32 leaf,
			       struct mlsdco_member *m);
void mlsdco_epoch_confirmed(struct mlsdco_epoch *e, u32 leaf);
int mlsdco_epoch_state(struct mlsdco_group *group, struct mlsdco_epoch *e);

#endif /* _MLSDCO_EPOCH_H */
