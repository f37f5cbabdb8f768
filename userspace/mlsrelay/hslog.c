// SPDX-License-Identifier: MIT
/*
 * Groups at the relay: subscriptions (who gets the fan-out), the ordered
 * handshake log with first-commit-wins (in the store), fetch-since for
 * members back from offline, and the GroupInfo for external joins. The
 * relay checks what it can read (the MLSMessage's cleartext group_id and
 * epoch) and nothing else: it cannot tell members from strangers.
 */
#include <stdlib.h>
#include <string.h>

#include "relay.h"

void hs_subscribe(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	struct group_ref *g;

	if (conn_subscribed(c, f->group_id)) {
		conn_ok(r, c, f->req_id);
		return;
	}
	if (c->n_groups >= r->cfg.groups_max) {
		conn_error(r, c, f->req_id, RP_C_LIMIT, "too many groups");
		return;
	}
	g = realloc(c->groups, (c->n_groups + 1) * sizeof(*g));
	if (!g) {
		conn_error(r, c, f->req_id, RP_C_INTERNAL, "out of memory");
		return;
	}
	c->groups = g;
	g[c->n_groups].len = (uint8_t)f->group_id.len;
	memcpy(g[c->n_groups].id, f->group_id.p, f->group_id.len);
	c->n_groups++;
	conn_ok(r, c, f->req_id);
}

/* The frame's group and epoch must be the MLSMessage's own. */
static const char *check_message(const struct rp_frame *f)
{
	struct rp_bytes gid;
	uint64_t epoch;
	bool parsed;

	if (rp_mls_peek(f->blob.p, f->blob.len, &parsed, &gid, &epoch))
		return "malformed MLSMessage";
	if (!parsed)
		return "not a PublicMessage or PrivateMessage";
	if (gid.len != f->group_id.len ||
	    memcmp(gid.p, f->group_id.p, gid.len))
		return "group_id differs from the MLSMessage's";
	if (epoch != f->epoch)
		return "epoch differs from the MLSMessage's";
	return NULL;
}

static void fan_out(struct relay *r, struct conn *from,
		    const struct rp_frame *f, uint64_t seq)
{
	struct rp_frame ev = *f;
	struct conn *c;

	ev.type = RP_HS_EVENT;
	ev.req_id = 0;
	ev.seq = seq;
	for (c = r->conns; c; c = c->next)
		if (c != from && c->state == CONN_AUTHED &&
		    conn_subscribed(c, f->group_id))
			conn_push(r, c, &ev);
}

static void send_conflict(struct relay *r, struct conn *c,
			  const struct rp_frame *f, struct store_hs_entry *w)
{
	struct rp_frame reply = { .type = RP_CONFLICT, .req_id = f->req_id,
				  .epoch = w->epoch, .seq = w->seq };

	reply.blob = (struct rp_bytes){ w->msg.data, w->msg.len };
	conn_send(r, c, &reply);
	store_blob_free(&w->msg);
}

void hs_publish(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	struct rp_frame reply = { .type = RP_ACCEPTED, .req_id = f->req_id };
	struct store_hs_entry winner;
	const char *why = check_message(f);
	int err;

	if (!why && !conn_subscribed(c, f->group_id))
		why = "not subscribed";
	if (why) {
		conn_error(r, c, f->req_id, RP_C_BAD_REQUEST, why);
		return;
	}
	err = r->store->ops->append_handshake(r->store, sb(f->group_id),
					      f->epoch, f->kind, sb(f->blob),
					      &reply.seq, &winner);
	if (err == STORE_E_CONFLICT) {
		send_conflict(r, c, f, &winner);
		return;
	}
	if (err) {
		reply_store_error(r, c, f->req_id, err);
		return;
	}
	/* durable now: acknowledge, then tell the others */
	conn_send(r, c, &reply);
	fan_out(r, c, f, reply.seq);
}

struct fetch_ctx {
	struct relay *r;
	struct conn *c;
	const struct rp_frame *req;
	unsigned int sent;
	bool full;
};

static int fetch_one(void *arg, const struct store_hs_entry *e)
{
	struct fetch_ctx *x = arg;
	struct rp_frame ev = { .type = RP_HS_EVENT, .req_id = x->req->req_id,
			       .group_id = x->req->group_id,
			       .epoch = e->epoch, .kind = e->kind,
			       .seq = e->seq };

	/* a page stops early rather than overrun the output queue */
	if (x->c->tx_len > x->r->cfg.queue_max / 2) {
		x->full = true;
		return 1;
	}
	ev.blob = (struct rp_bytes){ e->msg.data, e->msg.len };
	conn_send(x->r, x->c, &ev);
	x->sent++;
	return 0;
}

void hs_fetch(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	struct fetch_ctx x = { r, c, f, 0, false };
	struct rp_frame end = { .type = RP_END, .req_id = f->req_id };
	unsigned int count;
	int more, err;

	err = r->store->ops->fetch_since(r->store, sb(f->group_id), f->epoch,
					 f->seq, r->cfg.fetch_max, fetch_one,
					 &x, &count, &more);
	if (err) {
		reply_store_error(r, c, f->req_id, err);
		return;
	}
	end.count = x.sent;
	end.more = more || x.full;
	conn_send(r, c, &end);
}

void gi_put(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	int err;

	if (!conn_subscribed(c, f->group_id)) {
		conn_error(r, c, f->req_id, RP_C_BAD_REQUEST, "not subscribed");
		return;
	}
	err = r->store->ops->put_groupinfo(r->store, sb(f->group_id),
					   f->epoch, sb(f->blob));
	if (err)
		reply_store_error(r, c, f->req_id, err);
	else
		conn_ok(r, c, f->req_id);
}

void gi_get(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	struct rp_frame reply = { .type = RP_GROUPINFO, .req_id = f->req_id };
	struct store_blob gi;
	int err = r->store->ops->get_groupinfo(r->store, sb(f->group_id),
					       &reply.epoch, &gi);

	if (err) {
		reply_store_error(r, c, f->req_id, err);
		return;
	}
	reply.blob = (struct rp_bytes){ gi.data, gi.len };
	conn_send(r, c, &reply);
	store_blob_free(&gi);
}
