// SPDX-License-Identifier: GPL-2.0-only
/*
 * Retired tags and deleted groups' highest epochs (see history.h). Both
 * are only read and written from netlink and the epoch timers, never per
 * packet, so linear scans over a few hundred entries are fine.
 */

#include <linux/string.h>

#include "history.h"

void mlsdco_history_retire_tag(struct mlsdco_history *h, const u8 *tag)
{
	memcpy(h->tags[h->next_tag], tag, MLSDCO_HISTORY_TAG_LEN);
	h->next_tag = (h->next_tag + 1) % MLSDCO_RETIRED_TAGS;
	if (h->n_tags < MLSDCO_RETIRED_TAGS)
		h->n_tags++;
}

bool mlsdco_history_tag_retired(const struct mlsdco_history *h,
				const u8 *tag)
{
	unsigned int i;

	for (i = 0; i < h->n_tags; i++)
		if (!memcmp(h->tags[i], tag, MLSDCO_HISTORY_TAG_LEN))
			return true;
	return false;
}

static struct mlsdco_deleted_group *
mlsdco_history_group(struct mlsdco_history *h, u32 id)
{
	unsigned int i;

	for (i = 0; i < MLSDCO_DELETED_GROUPS; i++)
		if (h->groups[i].in_use && h->groups[i].id == id)
			return &h->groups[i];
	return NULL;
}

/* Overwrites the oldest entry when full: the bound is documented. */
void mlsdco_history_group_deleted(struct mlsdco_history *h, u32 id,
				  u64 highest)
{
	struct mlsdco_deleted_group *d = mlsdco_history_group(h, id);

	if (!d) {
		d = &h->groups[h->next_group];
		h->next_group = (h->next_group + 1) % MLSDCO_DELETED_GROUPS;
	}
	d->id = id;
	d->in_use = true;
	d->highest = highest;
}

/* A group @id is created: its old highest epoch, if remembered, moves to it. */
bool mlsdco_history_group_created(struct mlsdco_history *h, u32 id,
				  u64 *highest)
{
	struct mlsdco_deleted_group *d = mlsdco_history_group(h, id);

	if (!d)
		return false;
	*highest = d->highest;
	d->in_use = false;
	return true;
}
