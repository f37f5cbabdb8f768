// SPDX-License-Identifier: MIT
/* Reconnect backoff (backoff.h). */
#include "backoff.h"

void mlsd_backoff_init(struct mlsd_backoff *b, uint32_t base_ms,
		       uint32_t cap_ms)
{
	b->base_ms = base_ms ? base_ms : 1;
	b->cap_ms = cap_ms < b->base_ms ? b->base_ms : cap_ms;
	b->attempt = 0;
}

uint32_t mlsd_backoff_next(struct mlsd_backoff *b, uint32_t rnd)
{
	uint64_t d = b->base_ms;
	uint32_t jitter;

	for (uint32_t i = 0; i < b->attempt && d < b->cap_ms; i++)
		d *= 2;
	if (d > b->cap_ms)
		d = b->cap_ms;
	if (b->attempt < 64)
		b->attempt++;
	jitter = (uint32_t)(d / 4);
	return (uint32_t)d - (jitter ? rnd % (jitter + 1) : 0);
}

void mlsd_backoff_reset(struct mlsd_backoff *b)
{
	b->attempt = 0;
}
