/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a device remembers of epochs it no longer has, so that none is
 * installed again: an epoch's packet counter starts at 0, and the same
 * keys with a counter from 0 again would reuse nonces.
 */

#ifndef _MLSDCO_HISTORY_H
#define _MLSDCO_HISTORY_H

#include <linux/types.h>

/* Bounded on purpose: a device keeps 2 KiB of tags and 1 KiB of groups. */
#define MLSDCO_RETIRED_TAGS	256
#define MLSDCO_DELETED_GROUPS	64
#define MLSDCO_HISTORY_TAG_LEN	8

/**
 * struct mlsdco_deleted_group - highest epoch of a deleted group
 * @id: group id
 * @in_use: the entry holds a group
 * @highest: the highest epoch number the group ever had installed
 */
struct mlsdco_deleted_group {
	u32 id;
	bool in_use;
	u64 highest;
};

/**
 * struct mlsdco_history - retired tags and deleted groups of a device
 * @tags: the last MLSDCO_RETIRED_TAGS tags retired, a ring
 * @n_tags: entries of @tags in use
 * @next_tag: ring position the next retired tag goes to
 * @groups: the last MLSDCO_DELETED_GROUPS groups deleted (with an epoch),
 *	a ring; an entry is taken out when its id is created again
 * @next_group: ring position the next deleted group goes to
 *
 * Guarded by the device's epoch_lock. Gone with the device (or the module):
 * an agent that restarts with a fresh kernel state moves to a fresh epoch.
 */
struct mlsdco_history {
	u8 tags[MLSDCO_RETIRED_TAGS][MLSDCO_HISTORY_TAG_LEN];
	unsigned int n_tags;
	unsigned int next_tag;
	struct mlsdco_deleted_group groups[MLSDCO_DELETED_GROUPS];
	unsigned int next_group;
};

void mlsdco_history_retire_tag(struct mlsdco_history *h, const u8 *tag);
bool mlsdco_history_tag_retired(const struct mlsdco_history *h,
				const u8 *tag);
void mlsdco_history_group_deleted(struct mlsdco_history *h, u32 id,
				  u64 highest);
bool mlsdco_history_group_created(struct mlsdco_history *h, u32 id,
				  u64 *highest);

#endif /* _MLSDCO_HISTORY_H */
