// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sliding-window replay protection in the spirit of RFC 6479: the window
 * is a ring of bits, so advancing it clears only the bits it passes over.
 */

#include <linux/bitmap.h>
#include <linux/bitops.h>

#include "replay.h"

void mlsdco_replay_init(struct mlsdco_replay *r)
{
	spin_lock_init(&r->lock);
	r->top = 0;
	bitmap_zero(r->bitmap, MLSDCO_REPLAY_WINDOW);
}

static void mlsdco_replay_advance(struct mlsdco_replay *r, u64 new_top)
{
	u64 n;

	if (new_top - r->top >= MLSDCO_REPLAY_WINDOW) {
		bitmap_zero(r->bitmap, MLSDCO_REPLAY_WINDOW);
	} else {
		for (n = r->top; n < new_top; n++)
			__clear_bit(n % MLSDCO_REPLAY_WINDOW, r->bitmap);
	}
	r->top = new_top;
}

/* Returns true if @counter is fresh (and records it), false on a replay or
 * a counter too old for the window.
 */
bool mlsdco_replay_check_and_set(struct mlsdco_replay *r, u64 counter)
{
	bool fresh;

	spin_lock_bh(&r->lock);
	if (counter >= r->top)
		mlsdco_replay_advance(r, counter + 1);
	if (r->top - counter > MLSDCO_REPLAY_WINDOW)
		fresh = false;
	else
		fresh = !__test_and_set_bit(counter % MLSDCO_REPLAY_WINDOW,
					    r->bitmap);
	spin_unlock_bh(&r->lock);
	return fresh;
}
