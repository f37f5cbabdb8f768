/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Anti-replay window per (epoch, sender), checked only after a packet
 * authenticated, so forged counters cannot move the window.
 */

#ifndef _MLSDCO_REPLAY_H
#define _MLSDCO_REPLAY_H

#include <linux/spinlock.h>
#include <linux/types.h>

/* Thousands of packets wide so reordering across CPUs and paths is kept. */
#define MLSDCO_REPLAY_WINDOW	2048

/**
 * struct mlsdco_replay - sliding bitmap (a ring indexed by counter)
 * @lock: serialises receivers of the same sender on different CPUs
 * @top: one past the highest counter accepted so far
 * @bitmap: bit (counter % window) set once that counter was accepted
 */
struct mlsdco_replay {
	spinlock_t lock;	/* see @lock above */
	u64 top;
	unsigned long bitmap[BITS_TO_LONGS(MLSDCO_REPLAY_WINDOW)];
};

void mlsdco_replay_init(struct mlsdco_replay *r);
bool mlsdco_replay_check_and_set(struct mlsdco_replay *r, u64 counter);

#endif /* _MLSDCO_REPLAY_H */
