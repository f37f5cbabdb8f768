// SPDX-License-Identifier: GPL-2.0-only
/*
 * Groups and members. Writers hold the device's conf_lock; the packet
 * paths read the lists under RCU.
 */

#include <linux/jiffies.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "device.h"
#include "epoch.h"
#include "group.h"
#include "keepalive.h"

static struct kmem_cache *mlsdco_group_cache;
static struct kmem_cache *mlsdco_member_cache;

/* Own caches so that a leaked object shows up by name at rmmod. */
int mlsdco_group_cache_init(void)
{
	mlsdco_group_cache = KMEM_CACHE(mlsdco_group, 0);
	if (!mlsdco_group_cache)
		return -ENOMEM;
	mlsdco_member_cache = KMEM_CACHE(mlsdco_member, 0);
	if (!mlsdco_member_cache) {
		kmem_cache_destroy(mlsdco_group_cache);
		return -ENOMEM;
	}
	return 0;
}

void mlsdco_group_cache_uninit(void)
{
	/* Groups and members are freed from call_rcu callbacks. */
	rcu_barrier();
	kmem_cache_destroy(mlsdco_member_cache);
	kmem_cache_destroy(mlsdco_group_cache);
}

struct mlsdco_group *mlsdco_group_find(struct mlsdco_dev *mdev, u32 id)
{
	struct mlsdco_group *g;

	list_for_each_entry_rcu(g, &mdev->groups, node,
				lockdep_is_held(&mdev->conf_lock))
		if (g->id == id)
			return g;
	return NULL;
}

int mlsdco_group_new(struct mlsdco_dev *mdev, struct mlsdco_group_params *p)
{
	struct mlsdco_group *g;

	lockdep_assert_held(&mdev->conf_lock);
	if (mlsdco_group_find(mdev, p->id))
		return -EEXIST;
	g = kmem_cache_zalloc(mlsdco_group_cache, GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->mdev = mdev;
	g->id = p->id;
	g->aead = p->aead;
	g->own_leaf = p->own_leaf;
	g->flags = p->flags;
	RCU_INIT_POINTER(g->relay, p->relay);
	p->relay = NULL;
	INIT_LIST_HEAD(&g->members);
	mlsdco_epoch_timers_init(g);
	mlsdco_epoch_history_restore(g);
	list_add_tail_rcu(&g->node, &mdev->groups);
	return 0;
}

/* GFP_ATOMIC when the receive path makes one for a roaming member. */
struct mlsdco_endpoint *mlsdco_endpoint_new(gfp_t gfp)
{
	struct mlsdco_endpoint *ep = kzalloc(sizeof(*ep), gfp);

	if (ep && dst_cache_init(&ep->dst_cache, gfp)) {
		kfree(ep);
		return NULL;
	}
	return ep;
}

void mlsdco_endpoint_free(struct mlsdco_endpoint *ep)
{
	if (!ep)
		return;
	dst_cache_destroy(&ep->dst_cache);
	kfree(ep);
}

void mlsdco_endpoint_free_rcu(struct rcu_head *rcu)
{
	mlsdco_endpoint_free(container_of(rcu, struct mlsdco_endpoint, rcu));
}

/* Same address, port and (IPv6) scope: the same place to send to. */
bool mlsdco_endpoint_eq(const struct mlsdco_endpoint *a,
			const struct mlsdco_endpoint *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr &&
		       a->sin.sin_port == b->sin.sin_port;
	return ipv6_addr_equal(&a->sin6.sin6_addr, &b->sin6.sin6_addr) &&
	       a->sin6.sin6_port == b->sin6.sin6_port &&
	       a->sin6.sin6_scope_id == b->sin6.sin6_scope_id;
}

/* A member's own endpoint, else its group's relay; NULL: nowhere. */
struct mlsdco_endpoint *mlsdco_member_dest(struct mlsdco_member *m)
{
	return rcu_dereference_bh(m->endpoint) ?:
	       rcu_dereference_bh(m->group->relay);
}

/* Takes over @relay (NULL = none); the old one goes after a grace period. */
void mlsdco_group_set_relay(struct mlsdco_group *group,
			    struct mlsdco_endpoint *relay)
{
	struct mlsdco_endpoint *old;

	old = rcu_replace_pointer(group->relay, relay,
				  lockdep_is_held(&group->mdev->conf_lock));
	if (old)
		call_rcu(&old->rcu, mlsdco_endpoint_free_rcu);
}

/*
 * Netlink (under conf_lock) and the receive path (a roaming member, in
 * softirq) both replace endpoints: the spinlock orders them, readers only
 * need RCU. Takes over @ep.
 */
void mlsdco_member_replace_endpoint(struct mlsdco_member *m,
				    struct mlsdco_endpoint *ep)
{
	struct mlsdco_endpoint *old;

	spin_lock_bh(&m->endpoint_lock);
	old = rcu_replace_pointer(m->endpoint, ep,
				  lockdep_is_held(&m->endpoint_lock));
	spin_unlock_bh(&m->endpoint_lock);
	if (old)
		call_rcu(&old->rcu, mlsdco_endpoint_free_rcu);
}

/*
 * New sockets, new routes. Only called while the device has no socket,
 * so no packet path uses a cache (dst_cache_reset needs that).
 */
void mlsdco_endpoints_reset_routes(struct mlsdco_dev *mdev)
{
	struct mlsdco_endpoint *ep;
	struct mlsdco_member *m;
	struct mlsdco_group *g;

	rcu_read_lock();
	list_for_each_entry_rcu(g, &mdev->groups, node) {
		ep = rcu_dereference(g->relay);
		if (ep)
			dst_cache_reset(&ep->dst_cache);
		list_for_each_entry_rcu(m, &g->members, node) {
			ep = rcu_dereference(m->endpoint);
			if (ep)
				dst_cache_reset(&ep->dst_cache);
		}
	}
	rcu_read_unlock();
}

static void mlsdco_member_free_rcu(struct rcu_head *rcu)
{
	struct mlsdco_member *m = container_of(rcu, struct mlsdco_member, rcu);

	mlsdco_endpoint_free(rcu_access_pointer(m->endpoint));
	kfree(rcu_access_pointer(m->allowed_ips));
	kmem_cache_free(mlsdco_member_cache, m);
}

void mlsdco_member_del(struct mlsdco_member *member)
{
	struct mlsdco_dev *mdev = member->group->mdev;

	mlsdco_allowedips_remove_member(&mdev->allowedips, member,
					&mdev->conf_lock);
	mlsdco_epochs_member_link(member->group, member->leaf, NULL);
	list_del_rcu(&member->node);
	call_rcu(&member->rcu, mlsdco_member_free_rcu);
}

static void mlsdco_group_free_rcu(struct rcu_head *rcu)
{
	struct mlsdco_group *g = container_of(rcu, struct mlsdco_group, rcu);

	mlsdco_endpoint_free(rcu_access_pointer(g->relay));
	kmem_cache_free(mlsdco_group_cache, g);
}

void mlsdco_group_del(struct mlsdco_group *group)
{
	struct mlsdco_member *m, *tmp;

	lockdep_assert_held(&group->mdev->conf_lock);
	list_del_rcu(&group->node);
	mlsdco_epochs_flush(group);
	list_for_each_entry_safe(m, tmp, &group->members, node)
		mlsdco_member_del(m);
	call_rcu(&group->rcu, mlsdco_group_free_rcu);
}

void mlsdco_groups_flush(struct mlsdco_dev *mdev)
{
	struct mlsdco_group *g, *tmp;

	mutex_lock(&mdev->conf_lock);
	list_for_each_entry_safe(g, tmp, &mdev->groups, node)
		mlsdco_group_del(g);
	WARN_ON(!mlsdco_allowedips_empty(&mdev->allowedips));
	mutex_unlock(&mdev->conf_lock);
}

struct mlsdco_member *mlsdco_member_find(struct mlsdco_group *group, u32 leaf)
{
	struct mlsdco_member *m;

	list_for_each_entry_rcu(m, &group->members, node,
				lockdep_is_held(&group->mdev->conf_lock))
		if (m->leaf == leaf)
			return m;
	return NULL;
}

static struct mlsdco_member *mlsdco_member_alloc(struct mlsdco_group *group,
						 u32 leaf)
{
	struct mlsdco_member *m;

	m = kmem_cache_zalloc(mlsdco_member_cache, GFP_KERNEL);
	if (!m)
		return NULL;
	m->group = group;
	m->leaf = leaf;
	spin_lock_init(&m->endpoint_lock);
	m->last_tx = jiffies;
	INIT_LIST_HEAD(&m->ai_nodes);
	return m;
}

/* The packet paths read these without conf_lock. */
static void mlsdco_member_apply(struct mlsdco_member *m,
				const struct mlsdco_member_opts *o)
{
	if (o->has_peer_id)
		WRITE_ONCE(m->peer_id, o->peer_id);
	if (o->has_fixed)
		WRITE_ONCE(m->endpoint_fixed, o->fixed);
	if (o->has_keepalive) {
		/* A keepalive is due after that long from now on. */
		WRITE_ONCE(m->last_tx, jiffies);
		WRITE_ONCE(m->keepalive_s, o->keepalive_s);
		if (o->keepalive_s)
			mlsdco_keepalive_arm(m->group->mdev);
	}
}

/*
 * Takes ownership of @ep and @allowed_ips (either may be NULL = keep).
 * On error nothing has changed, and a member that did not exist is not
 * created.
 */
int mlsdco_member_set(struct mlsdco_group *group, u32 leaf,
		      struct mlsdco_endpoint *ep,
		      struct mlsdco_prefixes *allowed_ips,
		      const struct mlsdco_member_opts *opts)
{
	struct mlsdco_dev *mdev = group->mdev;
	struct mlsdco_member *m = mlsdco_member_find(group, leaf);
	bool created = !m;
	void *old;
	int err;

	lockdep_assert_held(&mdev->conf_lock);
	if (created) {
		m = mlsdco_member_alloc(group, leaf);
		if (!m) {
			err = -ENOMEM;
			goto err_free;
		}
		/* The trie may publish a new member before the list does:
		 * give it its endpoint first so that a packet routed to it
		 * can go out.
		 */
		RCU_INIT_POINTER(m->endpoint, ep);
		ep = NULL;
	}
	if (allowed_ips) {
		err = mlsdco_allowedips_set(&mdev->allowedips, m, allowed_ips,
					    &mdev->conf_lock);
		if (err)
			goto err_created;
		old = rcu_replace_pointer(m->allowed_ips, allowed_ips,
					  lockdep_is_held(&mdev->conf_lock));
		if (old)
			kfree_rcu((struct mlsdco_prefixes *)old, rcu);
	}
	if (ep)
		mlsdco_member_replace_endpoint(m, ep);
	mlsdco_member_apply(m, opts);
	if (created) {
		list_add_tail_rcu(&m->node, &group->members);
		mlsdco_epochs_member_link(group, leaf, m);
	}
	return 0;

err_created:
	if (created) {
		mlsdco_endpoint_free(rcu_access_pointer(m->endpoint));
		kmem_cache_free(mlsdco_member_cache, m);
	}
err_free:
	mlsdco_endpoint_free(ep);
	kfree(allowed_ips);
	return err;
}
