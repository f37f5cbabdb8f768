// SPDX-License-Identifier: GPL-2.0-only
/*
 * Longest-prefix match of inner addresses to members: a path-compressed
 * binary trie per device and address family. A node holds one prefix;
 * nodes with a member are allowed IPs, nodes without one only fork.
 * Readers (transmit and receive paths) walk it under RCU; writers hold
 * the device's conf_lock and publish a node only once it is complete, so
 * a reader sees either the old or the new shape, never a half-built one.
 *
 * Keys are 128-bit numbers in host order, most significant bit first;
 * IPv4 sits in the top 32 bits, so both families share the code.
 */

#include <asm/unaligned.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "allowedips.h"
#include "device.h"
#include "group.h"

struct mlsdco_ai_key {
	u64 hi;
	u64 lo;
};

/**
 * struct mlsdco_ai_node - one prefix in a trie
 * @child: subtries, indexed by the key bit right after @cidr (RCU)
 * @member: owner of the prefix (RCU), NULL for a fork-only node
 * @key: the prefix, bits past @cidr clear
 * @cidr: prefix length
 * @v6: which of the device's tries the node is in
 * @stale: marks a member's old prefixes while they are being replaced
 * @parent: NULL at the root; writers only
 * @owner_node: entry in the member's ai_nodes list, or in the free pool
 *	of mlsdco_allowedips_set(); writers only
 * @rcu: deferred free
 */
struct mlsdco_ai_node {
	struct mlsdco_ai_node __rcu *child[2];
	struct mlsdco_member __rcu *member;
	struct mlsdco_ai_key key;
	u8 cidr;
	bool v6;
	bool stale;
	struct mlsdco_ai_node *parent;
	struct list_head owner_node;
	struct rcu_head rcu;
};

/* The transmit path holds rcu_read_lock_bh(), receive rcu_read_lock(). */
#define mlsdco_ai_read(p) rcu_dereference_check(p, rcu_read_lock_bh_held())
#define mlsdco_ai_write(p, lock) rcu_dereference_protected(p, \
						lockdep_is_held(lock))

static struct kmem_cache *mlsdco_ai_node_cache;

int mlsdco_allowedips_cache_init(void)
{
	mlsdco_ai_node_cache = KMEM_CACHE(mlsdco_ai_node, 0);
	return mlsdco_ai_node_cache ? 0 : -ENOMEM;
}

void mlsdco_allowedips_cache_uninit(void)
{
	/* Nodes are freed from call_rcu callbacks. */
	rcu_barrier();
	kmem_cache_destroy(mlsdco_ai_node_cache);
}

int mlsdco_prefix_init(struct mlsdco_prefix *p, u16 family, const void *addr,
		       unsigned int addr_len, u8 cidr)
{
	memset(p, 0, sizeof(*p));
	p->family = family;
	p->cidr = cidr;
	if (family == AF_INET) {
		if (addr_len != 4 || cidr > 32)
			return -EINVAL;
		memcpy(&p->addr.v4, addr, 4);
		p->addr.v4 &= cidr ? htonl(~0U << (32 - cidr)) : 0;
		return 0;
	}
	if (family == AF_INET6) {
		if (addr_len != 16 || cidr > 128)
			return -EINVAL;
		ipv6_addr_prefix(&p->addr.v6, addr, cidr);
		return 0;
	}
	return -EAFNOSUPPORT;
}

static void mlsdco_ai_key_of(struct mlsdco_ai_key *k, bool v6,
			     const void *addr)
{
	if (v6) {
		k->hi = get_unaligned_be64(addr);
		k->lo = get_unaligned_be64(addr + 8);
	} else {
		k->hi = (u64)get_unaligned_be32(addr) << 32;
		k->lo = 0;
	}
}

static void mlsdco_ai_mask(struct mlsdco_ai_key *k, unsigned int cidr)
{
	if (cidr <= 64) {
		k->hi &= cidr ? ~0ULL << (64 - cidr) : 0;
		k->lo = 0;
	} else {
		k->lo &= ~0ULL << (128 - cidr);
	}
}

/* How many leading bits @a and @b share. */
static unsigned int mlsdco_ai_common(const struct mlsdco_ai_key *a,
				     const struct mlsdco_ai_key *b)
{
	u64 x = a->hi ^ b->hi;

	if (x)
		return 64 - fls64(x);
	x = a->lo ^ b->lo;
	return 128 - fls64(x);
}

/* Bit @i of @k, counted from the most significant; @i < 128. */
static unsigned int mlsdco_ai_bit(const struct mlsdco_ai_key *k,
				  unsigned int i)
{
	return i < 64 ? (k->hi >> (63 - i)) & 1 : (k->lo >> (127 - i)) & 1;
}

/* Each step goes one prefix length deeper: O(address bits) per lookup. */
static struct mlsdco_member *mlsdco_ai_find(struct mlsdco_ai_node __rcu **root,
					    const struct mlsdco_ai_key *key,
					    unsigned int max_bits)
{
	struct mlsdco_member *best = NULL, *m;
	struct mlsdco_ai_node *node = mlsdco_ai_read(*root);

	while (node && mlsdco_ai_common(&node->key, key) >= node->cidr) {
		m = mlsdco_ai_read(node->member);
		if (m)
			best = m;
		if (node->cidr >= max_bits)
			break;
		node = mlsdco_ai_read(node->child[mlsdco_ai_bit(key,
								node->cidr)]);
	}
	return best;
}

/* Caller holds rcu_read_lock(); the result is valid until it drops it. */
struct mlsdco_member *mlsdco_allowedips_lookup(struct mlsdco_dev *mdev,
					       u16 family, const void *addr,
					       struct mlsdco_group **group)
{
	struct mlsdco_allowedips *t = &mdev->allowedips;
	struct mlsdco_member *m;
	struct mlsdco_ai_key key;

	if (family == AF_INET) {
		mlsdco_ai_key_of(&key, false, addr);
		m = mlsdco_ai_find(&t->root4, &key, 32);
	} else if (family == AF_INET6) {
		mlsdco_ai_key_of(&key, true, addr);
		m = mlsdco_ai_find(&t->root6, &key, 128);
	} else {
		return NULL;
	}
	if (m)
		*group = m->group;
	return m;
}

static struct mlsdco_ai_node __rcu **mlsdco_ai_root(struct mlsdco_allowedips *t,
						    bool v6)
{
	return v6 ? &t->root6 : &t->root4;
}

/* The pointer that links @node into its trie. */
static struct mlsdco_ai_node __rcu **mlsdco_ai_slot(struct mlsdco_allowedips *t,
						    struct mlsdco_ai_node *node)
{
	struct mlsdco_ai_node *p = node->parent;

	if (!p)
		return mlsdco_ai_root(t, node->v6);
	return &p->child[mlsdco_ai_bit(&node->key, p->cidr)];
}

static void mlsdco_ai_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(mlsdco_ai_node_cache,
			container_of(rcu, struct mlsdco_ai_node, rcu));
}

static int mlsdco_ai_pool_fill(struct list_head *pool, unsigned int n)
{
	struct mlsdco_ai_node *node;

	while (n--) {
		node = kmem_cache_zalloc(mlsdco_ai_node_cache, GFP_KERNEL);
		if (!node)
			return -ENOMEM;
		list_add(&node->owner_node, pool);
	}
	return 0;
}

static void mlsdco_ai_pool_drain(struct list_head *pool)
{
	struct mlsdco_ai_node *node, *tmp;

	list_for_each_entry_safe(node, tmp, pool, owner_node) {
		list_del(&node->owner_node);
		kmem_cache_free(mlsdco_ai_node_cache, node);
	}
}

static struct mlsdco_ai_node *mlsdco_ai_take(struct list_head *pool,
					     const struct mlsdco_ai_key *key,
					     u8 cidr, bool v6,
					     struct mlsdco_ai_node *parent)
{
	struct mlsdco_ai_node *node;

	node = list_first_entry(pool, struct mlsdco_ai_node, owner_node);
	list_del_init(&node->owner_node);
	node->key = *key;
	mlsdco_ai_mask(&node->key, cidr);
	node->cidr = cidr;
	node->v6 = v6;
	node->parent = parent;
	return node;
}

/*
 * Finds or makes the node of prefix @key/@cidr. Takes at most two nodes
 * from @pool: the prefix's own, and a fork where it parts from a sibling.
 */
static struct mlsdco_ai_node *mlsdco_ai_insert(struct mlsdco_allowedips *t,
					       bool v6,
					       const struct mlsdco_ai_key *key,
					       u8 cidr, struct list_head *pool,
					       struct mutex *lock)
{
	struct mlsdco_ai_node __rcu **slot = mlsdco_ai_root(t, v6);
	struct mlsdco_ai_node *parent = NULL, *node, *leaf, *fork;
	unsigned int c;

	for (;;) {
		node = mlsdco_ai_write(*slot, lock);
		if (!node) {
			leaf = mlsdco_ai_take(pool, key, cidr, v6, parent);
			rcu_assign_pointer(*slot, leaf);
			return leaf;
		}
		c = min3(mlsdco_ai_common(&node->key, key),
			 (unsigned int)node->cidr, (unsigned int)cidr);
		if (c < node->cidr)
			break;
		if (c == cidr)
			return node;
		parent = node;
		slot = &node->child[mlsdco_ai_bit(key, c)];
	}
	/* @node is more specific than the new prefix, or they part at bit c. */
	leaf = mlsdco_ai_take(pool, key, cidr, v6, parent);
	fork = leaf;
	if (c < cidr) {
		fork = mlsdco_ai_take(pool, key, c, v6, parent);
		leaf->parent = fork;
		RCU_INIT_POINTER(fork->child[mlsdco_ai_bit(key, c)], leaf);
	}
	node->parent = fork;
	RCU_INIT_POINTER(fork->child[mlsdco_ai_bit(&node->key, c)], node);
	rcu_assign_pointer(*slot, fork);
	return leaf;
}

/* Unlinks ownerless nodes that no longer fork, from @node upwards. */
static void mlsdco_ai_prune(struct mlsdco_allowedips *t,
			    struct mlsdco_ai_node *node, struct mutex *lock)
{
	struct mlsdco_ai_node *c0, *c1, *parent;

	while (node && !rcu_access_pointer(node->member)) {
		c0 = mlsdco_ai_write(node->child[0], lock);
		c1 = mlsdco_ai_write(node->child[1], lock);
		if (c0 && c1)
			return;
		c0 = c0 ?: c1;
		parent = node->parent;
		if (c0)
			c0->parent = parent;
		rcu_assign_pointer(*mlsdco_ai_slot(t, node), c0);
		call_rcu(&node->rcu, mlsdco_ai_free_rcu);
		node = parent;
	}
}

static void mlsdco_ai_disown(struct mlsdco_allowedips *t,
			     struct mlsdco_ai_node *node, struct mutex *lock)
{
	RCU_INIT_POINTER(node->member, NULL);
	list_del_init(&node->owner_node);
	mlsdco_ai_prune(t, node, lock);
}

static bool mlsdco_prefix_equal(const struct mlsdco_prefix *a,
				const struct mlsdco_prefix *b)
{
	return a->family == b->family && a->cidr == b->cidr &&
	       !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

/*
 * @p moved away from @m: take it out of the list netlink reports. Only
 * netlink reads that list, under the same lock, so it shrinks in place.
 */
static void mlsdco_prefixes_forget(struct mlsdco_member *m,
				   const struct mlsdco_prefix *p,
				   struct mutex *lock)
{
	struct mlsdco_prefixes *ps;
	unsigned int i, n = 0;

	ps = rcu_dereference_protected(m->allowed_ips, lockdep_is_held(lock));
	for (i = 0; ps && i < ps->n; i++)
		if (!mlsdco_prefix_equal(&ps->p[i], p))
			ps->p[n++] = ps->p[i];
	if (ps)
		ps->n = n;
}

/*
 * Makes @ps the prefixes of @m. A prefix another member holds moves to @m
 * (the last member-set wins, as in WireGuard). New prefixes go in before
 * the old ones come out, so no packet of a prefix kept finds no route.
 * On failure (-ENOMEM) nothing has changed.
 */
int mlsdco_allowedips_set(struct mlsdco_allowedips *t,
			  struct mlsdco_member *m,
			  const struct mlsdco_prefixes *ps,
			  struct mutex *lock)
{
	struct mlsdco_ai_node *node, *tmp;
	struct mlsdco_member *owner;
	struct mlsdco_ai_key key;
	LIST_HEAD(pool);
	unsigned int i;
	bool v6;
	int err;

	lockdep_assert_held(lock);
	err = mlsdco_ai_pool_fill(&pool, 2 * ps->n);
	if (err)
		goto out;
	list_for_each_entry(node, &m->ai_nodes, owner_node)
		node->stale = true;
	for (i = 0; i < ps->n; i++) {
		v6 = ps->p[i].family == AF_INET6;
		mlsdco_ai_key_of(&key, v6, &ps->p[i].addr);
		node = mlsdco_ai_insert(t, v6, &key, ps->p[i].cidr, &pool,
					lock);
		node->stale = false;
		owner = mlsdco_ai_write(node->member, lock);
		if (owner == m)
			continue;
		if (owner)
			mlsdco_prefixes_forget(owner, &ps->p[i], lock);
		list_move_tail(&node->owner_node, &m->ai_nodes);
		rcu_assign_pointer(node->member, m);
	}
	list_for_each_entry_safe(node, tmp, &m->ai_nodes, owner_node)
		if (node->stale)
			mlsdco_ai_disown(t, node, lock);
out:
	mlsdco_ai_pool_drain(&pool);
	return err;
}

void mlsdco_allowedips_remove_member(struct mlsdco_allowedips *t,
				     struct mlsdco_member *m,
				     struct mutex *lock)
{
	struct mlsdco_ai_node *node, *tmp;

	lockdep_assert_held(lock);
	list_for_each_entry_safe(node, tmp, &m->ai_nodes, owner_node)
		mlsdco_ai_disown(t, node, lock);
}

bool mlsdco_allowedips_empty(struct mlsdco_allowedips *t)
{
	return !rcu_access_pointer(t->root4) && !rcu_access_pointer(t->root6);
}
