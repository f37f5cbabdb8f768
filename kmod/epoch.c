// SPDX-License-Identifier: GPL-2.0-only
/*
 * Epoch slots of a group and their rotation. Slot changes happen under
 * mdev->epoch_lock (netlink, the receive path confirming a next epoch,
 * timers); the packet paths read the slots and the tag hash under RCU.
 * Keys are freed after a grace period in process context, so no packet
 * still holds them.
 */

#include <linux/bsearch.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mlsdco.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "device.h"
#include "epoch.h"
#include "events.h"
#include "group.h"
#include "messages.h"

static struct workqueue_struct *mlsdco_wq;
static struct kmem_cache *mlsdco_epoch_cache;
static struct kmem_cache *mlsdco_rx_key_cache;

int mlsdco_epoch_wq_init(void)
{
	mlsdco_wq = alloc_workqueue("mlsdco", WQ_UNBOUND, 0);
	return mlsdco_wq ? 0 : -ENOMEM;
}

void mlsdco_epoch_wq_uninit(void)
{
	/* Frees are queued from call_rcu callbacks: let those run first. */
	rcu_barrier();
	destroy_workqueue(mlsdco_wq);
}

/* Own caches so that a leaked epoch or key shows up by name at rmmod. */
int mlsdco_epoch_cache_init(void)
{
	mlsdco_epoch_cache = KMEM_CACHE(mlsdco_epoch, 0);
	if (!mlsdco_epoch_cache)
		return -ENOMEM;
	mlsdco_rx_key_cache = KMEM_CACHE(mlsdco_rx_key, 0);
	if (!mlsdco_rx_key_cache) {
		kmem_cache_destroy(mlsdco_epoch_cache);
		return -ENOMEM;
	}
	return 0;
}

/* After mlsdco_epoch_wq_uninit(): every queued free has run. */
void mlsdco_epoch_cache_uninit(void)
{
	kmem_cache_destroy(mlsdco_rx_key_cache);
	kmem_cache_destroy(mlsdco_epoch_cache);
}

/*
 * AES-GCM: RFC 9001 §6.6 / B.1 bounds the confidentiality advantage by
 * (q * l)^2 / 2^127 for q packets of l blocks, so q * l <= 2^35 keeps it
 * near 2^-57. l follows the MTU (the largest packet we send), rounded up
 * to a power of two and at least 2^7 (2 KiB): 2^28 packets at the default
 * MTU, down to 2^23 at the largest MTU of 65455.
 */
static u64 mlsdco_gcm_limit(const struct net_device *dev)
{
	unsigned int blocks = DIV_ROUND_UP(READ_ONCE(dev->mtu) +
					   MLSDCO_HDR_LEN, 16);

	return 1ULL << (35 - max_t(int, 7, order_base_2(blocks)));
}

/*
 * Default usage limits per (epoch, sender). ChaCha20-Poly1305 has no
 * practical confidentiality limit, so the 32-bit wire counter is the
 * bound; AES-GCM's depends on the MTU (above).
 */
void mlsdco_epoch_limits(struct mlsdco_epoch *e, u64 *soft, u64 *hard)
{
	struct mlsdco_dev *mdev = e->group->mdev;
	u64 cap = e->group->aead == MLSDCO_AEAD_CHACHA20_POLY1305 ?
		  1ULL << 32 : mlsdco_gcm_limit(mdev->dev);

	/* Read per packet so dev-set applies to installed epochs too. */
	*hard = min(READ_ONCE(mdev->hard_limit) ?: cap, 1ULL << 32);
	*soft = READ_ONCE(mdev->soft_limit) ?: *hard - *hard / 4;
}

struct mlsdco_epoch *mlsdco_epoch_alloc(struct mlsdco_group *group,
					const struct mlsdco_epoch_params *p)
{
	struct mlsdco_epoch *e;
	int err;

	e = kmem_cache_zalloc(mlsdco_epoch_cache, GFP_KERNEL);
	if (!e)
		return ERR_PTR(-ENOMEM);
	e->rx = kcalloc(p->n_rx, sizeof(*e->rx), GFP_KERNEL);
	if (!e->rx) {
		kmem_cache_free(mlsdco_epoch_cache, e);
		return ERR_PTR(-ENOMEM);
	}
	e->group = group;
	e->number = p->number;
	memcpy(e->tag, p->tag, MLSDCO_EPOCH_TAG_LEN);
	e->grace_ms = p->grace_ms ?: MLSDCO_DEFAULT_GRACE_MS;
	memcpy(e->tx_nonce, p->tx_nonce, MLSDCO_NONCE_BYTES);
	atomic64_set(&e->tx_counter, 0);
	e->n_rx = p->n_rx;
	e->tx_tfm = mlsdco_aead_new(group->aead, p->tx_key);
	if (IS_ERR(e->tx_tfm)) {
		err = PTR_ERR(e->tx_tfm);
		e->tx_tfm = NULL;
		mlsdco_epoch_free(e);
		return ERR_PTR(err);
	}
	return e;
}

int mlsdco_epoch_set_rx(struct mlsdco_epoch *e, unsigned int i, u32 leaf,
			const u8 *key, const u8 *nonce)
{
	struct mlsdco_rx_key *rk;
	struct crypto_aead *tfm;

	rk = kmem_cache_zalloc(mlsdco_rx_key_cache, GFP_KERNEL);
	if (!rk)
		return -ENOMEM;
	tfm = mlsdco_aead_new(e->group->aead, key);
	if (IS_ERR(tfm)) {
		kmem_cache_free(mlsdco_rx_key_cache, rk);
		return PTR_ERR(tfm);
	}
	rk->leaf = leaf;
	rk->tfm = tfm;
	memcpy(rk->nonce, nonce, MLSDCO_NONCE_BYTES);
	mlsdco_replay_init(&rk->replay);
	e->rx[i] = rk;
	return 0;
}

/* Among the first @n keys set so far. */
bool mlsdco_epoch_rx_key_dup(struct mlsdco_epoch *e, unsigned int n, u32 leaf)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (e->rx[i]->leaf == leaf)
			return true;
	return false;
}

static int mlsdco_rx_key_cmp(const void *a, const void *b)
{
	const struct mlsdco_rx_key *x = *(struct mlsdco_rx_key * const *)a;
	const struct mlsdco_rx_key *y = *(struct mlsdco_rx_key * const *)b;

	return x->leaf < y->leaf ? -1 : x->leaf > y->leaf;
}

static void mlsdco_rx_key_free(struct mlsdco_rx_key *rk)
{
	if (!rk)
		return;
	mlsdco_aead_free(rk->tfm);
	memzero_explicit(rk, sizeof(*rk));
	kmem_cache_free(mlsdco_rx_key_cache, rk);
}

/* Also frees an epoch whose keys are only partly set. */
void mlsdco_epoch_free(struct mlsdco_epoch *e)
{
	unsigned int i;

	mlsdco_aead_free(e->tx_tfm);
	for (i = 0; i < e->n_rx; i++)
		mlsdco_rx_key_free(e->rx[i]);
	kfree(e->rx);
	memzero_explicit(e, sizeof(*e));
	kmem_cache_free(mlsdco_epoch_cache, e);
}

/*
 * No packet path can reach the epoch any more (a grace period passed
 * since it was unhashed), but an async AEAD request may still use its
 * keys: look again a grace period later. Rare (crypto.c), and every
 * request completes, so this ends.
 */
static void mlsdco_epoch_free_work(struct work_struct *work)
{
	struct mlsdco_epoch *e = container_of(to_rcu_work(work),
					      struct mlsdco_epoch, free_work);

	if (atomic_read(&e->crypt_pending)) {
		queue_rcu_work(mlsdco_wq, &e->free_work);
		return;
	}
	mlsdco_epoch_free(e);
}

/*
 * Under epoch_lock: unhash now, free once no reader can hold it. The tag
 * is remembered so that the same keys cannot be installed again.
 */
static void mlsdco_epoch_retire(struct mlsdco_epoch *e)
{
	if (!e)
		return;
	BUILD_BUG_ON(MLSDCO_HISTORY_TAG_LEN != MLSDCO_EPOCH_TAG_LEN);
	hash_del_rcu(&e->tag_node);
	mlsdco_history_retire_tag(&e->group->mdev->history, e->tag);
	INIT_RCU_WORK(&e->free_work, mlsdco_epoch_free_work);
	queue_rcu_work(mlsdco_wq, &e->free_work);
}

static u32 mlsdco_tag_hash(const u8 *tag)
{
	u64 v;

	memcpy(&v, tag, sizeof(v));
	return hash_64(v, MLSDCO_TAG_HASH_BITS);
}

static struct mlsdco_epoch *mlsdco_slot(struct mlsdco_group *g,
					struct mlsdco_epoch __rcu **slot)
{
	return rcu_dereference_protected(*slot,
					 lockdep_is_held(&g->mdev->epoch_lock));
}

static bool mlsdco_epoch_clash(struct mlsdco_dev *mdev,
			       struct mlsdco_epoch *e)
{
	struct mlsdco_epoch *o;

	hash_for_each_possible_rcu(mdev->tags, o, tag_node,
				   mlsdco_tag_hash(e->tag),
				   lockdep_is_held(&mdev->epoch_lock))
		if (!memcmp(o->tag, e->tag, MLSDCO_EPOCH_TAG_LEN))
			return true;
	return false;
}

/*
 * Under epoch_lock. MLS epochs only go forward, and an epoch installed
 * again would count its packets from 0 under the same keys: nonce reuse.
 * So a number must be above every number the group (or a deleted group
 * of the same id, see history.h) ever had; the live slots are below it.
 */
static bool mlsdco_epoch_number_stale(struct mlsdco_group *g, u64 number)
{
	return g->has_epoch && number <= g->highest_epoch;
}

/* Under epoch_lock: why @e may not be installed, or 0. */
static int mlsdco_epoch_refused(struct mlsdco_epoch *e,
				struct netlink_ext_ack *extack)
{
	struct mlsdco_group *g = e->group;
	struct mlsdco_dev *mdev = g->mdev;

	if (mlsdco_slot(g, &g->next)) {
		NL_SET_ERR_MSG(extack,
			       "a next epoch is already installed (swap or delete it first)");
		return -EBUSY;
	}
	if (mlsdco_epoch_number_stale(g, e->number)) {
		NL_SET_ERR_MSG(extack,
			       "epoch number is not above the highest this group has had (installing an epoch again would reuse nonces)");
		return -EEXIST;
	}
	if (mlsdco_epoch_clash(mdev, e)) {
		NL_SET_ERR_MSG(extack, "tag already installed");
		return -EEXIST;
	}
	if (mlsdco_history_tag_retired(&mdev->history, e->tag)) {
		NL_SET_ERR_MSG(extack,
			       "tag belongs to a recently retired epoch (its keys would reuse nonces)");
		return -EEXIST;
	}
	return 0;
}

/*
 * Links each key to its leaf's member entry, so that receive need not
 * search the member list for every packet. Under conf_lock, which also
 * serializes member changes, before @e is published.
 */
static void mlsdco_epoch_mark_members(struct mlsdco_epoch *e)
{
	struct mlsdco_member *m;
	struct mlsdco_rx_key *rk;
	unsigned int i;

	lockdep_assert_held(&e->group->mdev->conf_lock);
	for (i = 0; i < e->n_rx; i++)
		RCU_INIT_POINTER(e->rx[i]->member, NULL);
	list_for_each_entry(m, &e->group->members, node) {
		rk = mlsdco_epoch_rx_key(e, m->leaf);
		if (rk)
			rcu_assign_pointer(rk->member, m);
	}
}

/* A member entry of @g was created (@m) or is being deleted (NULL): tell
 * every epoch, before a deleted member is freed.
 */
void mlsdco_epochs_member_link(struct mlsdco_group *g, u32 leaf,
			       struct mlsdco_member *m)
{
	struct mlsdco_rx_key *rk;
	struct mlsdco_epoch *s[3];
	int i;

	spin_lock_bh(&g->mdev->epoch_lock);
	s[0] = mlsdco_slot(g, &g->cur);
	s[1] = mlsdco_slot(g, &g->next);
	s[2] = mlsdco_slot(g, &g->prev);
	for (i = 0; i < ARRAY_SIZE(s); i++) {
		rk = s[i] ? mlsdco_epoch_rx_key(s[i], leaf) : NULL;
		if (rk)
			rcu_assign_pointer(rk->member, m);
	}
	spin_unlock_bh(&g->mdev->epoch_lock);
}

/*
 * Installs @e as the group's next epoch (or as current if the group has
 * none yet: nothing can be lost then). Takes ownership of @e on success;
 * on failure @extack says why.
 */
int mlsdco_epoch_install(struct mlsdco_epoch *e, struct netlink_ext_ack *extack)
{
	struct mlsdco_group *g = e->group;
	struct mlsdco_dev *mdev = g->mdev;
	int err;

	sort(e->rx, e->n_rx, sizeof(e->rx[0]), mlsdco_rx_key_cmp, NULL);
	mlsdco_epoch_mark_members(e);

	spin_lock_bh(&mdev->epoch_lock);
	err = mlsdco_epoch_refused(e, extack);
	if (!err) {
		g->has_epoch = true;
		g->highest_epoch = e->number;
		hash_add_rcu(mdev->tags, &e->tag_node, mlsdco_tag_hash(e->tag));
		if (!mlsdco_slot(g, &g->cur)) {
			rcu_assign_pointer(g->cur, e);
		} else {
			rcu_assign_pointer(g->next, e);
			mod_timer(&g->promote_timer,
				  jiffies + msecs_to_jiffies(e->grace_ms));
		}
	}
	spin_unlock_bh(&mdev->epoch_lock);
	return err;
}

/* Under epoch_lock: next -> current -> previous; returns the new current. */
static struct mlsdco_epoch *mlsdco_epoch_promote(struct mlsdco_group *g)
{
	struct mlsdco_epoch *next = mlsdco_slot(g, &g->next);
	struct mlsdco_epoch *cur = mlsdco_slot(g, &g->cur);

	if (!next)
		return NULL;
	mlsdco_epoch_retire(mlsdco_slot(g, &g->prev));
	rcu_assign_pointer(g->prev, cur);
	rcu_assign_pointer(g->cur, next);
	RCU_INIT_POINTER(g->next, NULL);
	if (!g->dead && cur)
		mod_timer(&g->expire_timer,
			  jiffies + msecs_to_jiffies(next->grace_ms));
	return next;
}

/*
 * Makes the next epoch current. With @expect, only if @expect is still the
 * next epoch: the caller saw it there without the lock, and by now another
 * CPU may have switched and a newer next epoch been installed, which must
 * wait for its own grace time or proof. The check and the switch happen
 * under one hold of the lock.
 */
static bool mlsdco_epoch_switch(struct mlsdco_group *g,
				const struct mlsdco_epoch *expect, u32 leaf,
				bool by_packet)
{
	struct mlsdco_dev *mdev = g->mdev;
	struct mlsdco_epoch *e = NULL;
	u64 number = 0;

	spin_lock_bh(&mdev->epoch_lock);
	if (!g->dead && (!expect || mlsdco_slot(g, &g->next) == expect))
		e = mlsdco_epoch_promote(g);
	if (e)
		number = e->number;
	spin_unlock_bh(&mdev->epoch_lock);
	if (e)
		mlsdco_event_epoch_switched(g, number, leaf, by_packet);
	return e;
}

int mlsdco_epoch_swap(struct mlsdco_group *group)
{
	return mlsdco_epoch_switch(group, NULL, 0, false) ? 0 : -ENOENT;
}

/* Receive path: a member proved it has @e. */
void mlsdco_epoch_confirmed(struct mlsdco_epoch *e, u32 leaf)
{
	/* Cheap test first: almost every packet is under the current one. */
	if (rcu_access_pointer(e->group->next) != e)
		return;
	mlsdco_epoch_switch(e->group, e, leaf, true);
}

/*
 * Transmit path: the current epoch reached its hard limit. A staged next
 * epoch takes over rather than the group going silent (the members have
 * it: it was installed as next everywhere). True if @next is now current.
 */
bool mlsdco_epoch_take_over(struct mlsdco_group *g, struct mlsdco_epoch *next)
{
	return next && mlsdco_epoch_switch(g, next, 0, false);
}

int mlsdco_epoch_del(struct mlsdco_group *g, u64 number)
{
	struct mlsdco_epoch __rcu **slots[] = { &g->cur, &g->next, &g->prev };
	struct mlsdco_dev *mdev = g->mdev;
	struct mlsdco_epoch *e;
	int i, err = -ENOENT;

	spin_lock_bh(&mdev->epoch_lock);
	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		e = rcu_dereference_protected(*slots[i],
					      lockdep_is_held(&mdev->epoch_lock));
		if (e && e->number == number) {
			RCU_INIT_POINTER(*slots[i], NULL);
			mlsdco_epoch_retire(e);
			err = 0;
			break;
		}
	}
	spin_unlock_bh(&mdev->epoch_lock);
	return err;
}

/* Group deletion: no timer may run or re-arm afterwards. */
void mlsdco_epochs_flush(struct mlsdco_group *g)
{
	struct mlsdco_dev *mdev = g->mdev;

	spin_lock_bh(&mdev->epoch_lock);
	g->dead = true;
	if (g->has_epoch)
		mlsdco_history_group_deleted(&mdev->history, g->id,
					     g->highest_epoch);
	mlsdco_epoch_retire(mlsdco_slot(g, &g->cur));
	mlsdco_epoch_retire(mlsdco_slot(g, &g->next));
	mlsdco_epoch_retire(mlsdco_slot(g, &g->prev));
	RCU_INIT_POINTER(g->cur, NULL);
	RCU_INIT_POINTER(g->next, NULL);
	RCU_INIT_POINTER(g->prev, NULL);
	spin_unlock_bh(&mdev->epoch_lock);
	del_timer_sync(&g->promote_timer);
	del_timer_sync(&g->expire_timer);
}

static void mlsdco_promote_timer(struct timer_list *t)
{
	struct mlsdco_group *g = from_timer(g, t, promote_timer);

	mlsdco_epoch_switch(g, NULL, 0, false);
}

/* A group is created: it goes on from the highest epoch of a deleted
 * group of the same id, if the device remembers one.
 */
void mlsdco_epoch_history_restore(struct mlsdco_group *g)
{
	struct mlsdco_dev *mdev = g->mdev;

	spin_lock_bh(&mdev->epoch_lock);
	g->has_epoch = mlsdco_history_group_created(&mdev->history, g->id,
						    &g->highest_epoch);
	spin_unlock_bh(&mdev->epoch_lock);
}

static void mlsdco_expire_timer(struct timer_list *t)
{
	struct mlsdco_group *g = from_timer(g, t, expire_timer);
	struct mlsdco_dev *mdev = g->mdev;

	spin_lock_bh(&mdev->epoch_lock);
	mlsdco_epoch_retire(mlsdco_slot(g, &g->prev));
	RCU_INIT_POINTER(g->prev, NULL);
	spin_unlock_bh(&mdev->epoch_lock);
}

void mlsdco_epoch_timers_init(struct mlsdco_group *group)
{
	timer_setup(&group->promote_timer, mlsdco_promote_timer, 0);
	timer_setup(&group->expire_timer, mlsdco_expire_timer, 0);
}

struct mlsdco_epoch *mlsdco_epoch_by_tag(struct mlsdco_dev *mdev,
					 const u8 *tag)
{
	struct mlsdco_epoch *e;

	hash_for_each_possible_rcu(mdev->tags, e, tag_node,
				   mlsdco_tag_hash(tag))
		if (!memcmp(e->tag, tag, MLSDCO_EPOCH_TAG_LEN))
			return e;
	return NULL;
}

static int mlsdco_rx_key_leaf_cmp(const void *key, const void *elt)
{
	u32 leaf = *(const u32 *)key;
	const struct mlsdco_rx_key *rk = *(struct mlsdco_rx_key * const *)elt;

	return leaf < rk->leaf ? -1 : leaf > rk->leaf;
}

struct mlsdco_rx_key *mlsdco_epoch_rx_key(struct mlsdco_epoch *e, u32 leaf)
{
	struct mlsdco_rx_key **rk;

	rk = bsearch(&leaf, e->rx, e->n_rx, sizeof(e->rx[0]),
		     mlsdco_rx_key_leaf_cmp);
	return rk ? *rk : NULL;
}

int mlsdco_epoch_state(struct mlsdco_group *g, struct mlsdco_epoch *e)
{
	if (e == rcu_access_pointer(g->cur))
		return MLSDCO_EPOCH_STATE_CURRENT;
	if (e == rcu_access_pointer(g->next))
		return MLSDCO_EPOCH_STATE_NEXT;
	return MLSDCO_EPOCH_STATE_PREVIOUS;
}
