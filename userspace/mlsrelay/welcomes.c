// SPDX-License-Identifier: MIT
/*
 * The Welcome queue: Welcomes wait in the store for their target identity,
 * which takes them (they are deleted once taken: at-most-once).
 */
#include "relay.h"

void welcome_send(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	int err = r->store->ops->queue_welcome(r->store, sb(f->identity),
					       sb(f->blob),
					       r->cfg.welcomes_max);

	if (err)
		reply_store_error(r, c, f->req_id, err);
	else
		conn_ok(r, c, f->req_id);
}

struct take_ctx {
	struct relay *r;
	struct conn *c;
	uint32_t req_id;
};

static int queue_one(void *arg, const struct store_bytes *b)
{
	struct take_ctx *t = arg;
	struct rp_frame f = { .type = RP_WELCOME, .req_id = t->req_id };

	f.blob = (struct rp_bytes){ b->data, b->len };
	conn_send(t->r, t->c, &f);
	return 0;
}

void welcome_take(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	struct take_ctx t = { r, c, f->req_id };
	struct store_bytes me = { c->identity, c->identity_len };
	struct rp_frame end = { .type = RP_END, .req_id = f->req_id };
	unsigned int count;
	int more, err;

	err = r->store->ops->take_welcomes(r->store, me, r->cfg.fetch_max,
					   queue_one, &t, &count, &more);
	if (err) {
		reply_store_error(r, c, f->req_id, err);
		return;
	}
	end.count = count;
	end.more = (uint8_t)more;
	conn_send(r, c, &end);
}
