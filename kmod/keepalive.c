// SPDX-License-Identifier: GPL-2.0-only
/*
 * One timer per device looks at every member once a second while any
 * member has a keepalive interval; the packet itself is built and sent by
 * mlsdco_send_keepalive (send.c). A second's resolution is all NAT
 * mappings need, and it keeps the data path free of per-packet timers
 * (the data path only notes when it last sent to a member).
 */

#include <linux/jiffies.h>
#include <linux/timer.h>

#include "device.h"
#include "group.h"
#include "keepalive.h"
#include "packet.h"

static bool mlsdco_keepalive_due(struct mlsdco_member *m, u16 interval_s)
{
	return !time_before(jiffies, READ_ONCE(m->last_tx) +
				     (unsigned long)interval_s * HZ);
}

static void mlsdco_keepalive_tick(struct timer_list *t)
{
	struct mlsdco_dev *mdev = from_timer(mdev, t, keepalive_timer);
	struct mlsdco_member *m;
	struct mlsdco_group *g;
	bool any = false;
	u16 interval_s;

	rcu_read_lock_bh();
	list_for_each_entry_rcu(g, &mdev->groups, node)
		list_for_each_entry_rcu(m, &g->members, node) {
			interval_s = READ_ONCE(m->keepalive_s);
			if (!interval_s)
				continue;
			any = true;
			if (mlsdco_keepalive_due(m, interval_s))
				mlsdco_send_keepalive(mdev, m);
		}
	rcu_read_unlock_bh();
	/* No member wants one: stop until member-set asks again. */
	if (any)
		mod_timer(t, jiffies + HZ);
}

void mlsdco_keepalive_init(struct mlsdco_dev *mdev)
{
	timer_setup(&mdev->keepalive_timer, mlsdco_keepalive_tick, 0);
}

/* A member got a keepalive interval (under conf_lock). */
void mlsdco_keepalive_arm(struct mlsdco_dev *mdev)
{
	if (!timer_pending(&mdev->keepalive_timer))
		mod_timer(&mdev->keepalive_timer, jiffies + HZ);
}

/*
 * After the groups are flushed: no member is left to re-arm it, and the
 * _sync waits for a tick that re-armed itself before the flush.
 */
void mlsdco_keepalive_stop(struct mlsdco_dev *mdev)
{
	del_timer_sync(&mdev->keepalive_timer);
}
