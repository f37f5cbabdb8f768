// SPDX-License-Identifier: GPL-2.0-only
/*
 * Groups and members. Writers hold the device's conf_lock; the packet
 * paths read the lists under RCU.
 */

#include <linux/slab.h>

#include "device.h"
#include "epoch.h"
#include "group.h"

struct mlsdco_group *mlsdco_group_find(struct mlsdco_dev *mdev, u32 id)
{
	struct mlsdco_group *g;

	list_for_each_entry_rcu(g, &mdev->groups, node,
				lockdep_is_held(&mdev->conf_lock))
		if (g->id == id)
			return g;
	return NULL;
}

int mlsdco_group_new(struct mlsdco_dev *mdev, u32 id, u32 aead, u32 own_leaf)
{
	struct mlsdco_group *g;

	lockdep_assert_held(&mdev->conf_lock);
	if (mlsdco_group_find(mdev, id))
		return -EEXIST;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->mdev = mdev;
	g->id = id;
	g->aead = aead;
	g->own_leaf = own_leaf;
	INIT_LIST_HEAD(&g->members);
	mlsdco_epoch_timers_init(g);
	list_add_tail_rcu(&g->node, &mdev->groups);
	return 0;
}

static void mlsdco_member_free_rcu(struct rcu_head *rcu)
{
	struct mlsdco_member *m = container_of(rcu, struct mlsdco_member, rcu);

	kfree(rcu_access_pointer(m->endpoint));
	kfree(rcu_access_pointer(m->allowed_ips));
	kfree(m);
}

void mlsdco_member_del(struct mlsdco_member *member)
{
	mlsdco_epochs_member_gone(member->group, member->leaf, true);
	list_del_rcu(&member->node);
	call_rcu(&member->rcu, mlsdco_member_free_rcu);
}

void mlsdco_group_del(struct mlsdco_group *group)
{
	struct mlsdco_member *m, *tmp;

	lockdep_assert_held(&group->mdev->conf_lock);
	list_del_rcu(&group->node);
	mlsdco_epochs_flush(group);
	list_for_each_entry_safe(m, tmp, &group->members, node)
		mlsdco_member_del(m);
	kfree_rcu(group, rcu);
}

void mlsdco_groups_flush(struct mlsdco_dev *mdev)
{
	struct mlsdco_group *g, *tmp;

	mutex_lock(&mdev->conf_lock);
	list_for_each_entry_safe(g, tmp, &mdev->groups, node)
		mlsdco_group_del(g);
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

/* Takes ownership of @ep and @allowed_ips (either may be NULL = keep). */
int mlsdco_member_set(struct mlsdco_group *group, u32 leaf,
		      struct mlsdco_endpoint *ep,
		      struct mlsdco_prefixes *allowed_ips)
{
	struct mlsdco_member *m = mlsdco_member_find(group, leaf);
	void *old;

	lockdep_assert_held(&group->mdev->conf_lock);
	if (!m) {
		m = kzalloc(sizeof(*m), GFP_KERNEL);
		if (!m) {
			kfree(ep);
			kfree(allowed_ips);
			return -ENOMEM;
		}
		m->group = group;
		m->leaf = leaf;
		list_add_tail_rcu(&m->node, &group->members);
		mlsdco_epochs_member_gone(group, leaf, false);
	}
	if (ep) {
		old = rcu_replace_pointer(m->endpoint, ep,
					  lockdep_is_held(&group->mdev->conf_lock));
		if (old)
			kfree_rcu((struct mlsdco_endpoint *)old, rcu);
	}
	if (allowed_ips) {
		old = rcu_replace_pointer(m->allowed_ips, allowed_ips,
					  lockdep_is_held(&group->mdev->conf_lock));
		if (old)
			kfree_rcu((struct mlsdco_prefixes *)old, rcu);
	}
	return 0;
}
