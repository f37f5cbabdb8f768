/* SPDX-License-Identifier: MIT */
/*
 * Reconnect backoff: doubling from a base to a cap, with up to a quarter
 * of jitter subtracted so that hosts that lost the relay together do not
 * all come back in the same millisecond.
 */
#ifndef MLSD_BACKOFF_H
#define MLSD_BACKOFF_H

#include <stdint.h>

struct mlsd_backoff {
	uint32_t base_ms, cap_ms;
	uint32_t attempt;		/* failures since the last success */
};

void mlsd_backoff_init(struct mlsd_backoff *b, uint32_t base_ms,
		       uint32_t cap_ms);
/* The delay before the next attempt; rnd is any random number. */
uint32_t mlsd_backoff_next(struct mlsd_backoff *b, uint32_t rnd);
void mlsd_backoff_reset(struct mlsd_backoff *b);

#endif
