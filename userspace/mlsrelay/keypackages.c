// SPDX-License-Identifier: MIT
/*
 * The KeyPackage directory: a host uploads its own KeyPackages (owned by
 * its authenticated identity); anyone takes one of a host's, each one-time
 * KeyPackage exactly once, the last-resort one when none is left.
 */
#include "relay.h"

void kp_upload(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	struct store_bytes owner = { c->identity, c->identity_len };
	int err = r->store->ops->put_keypackage(r->store, owner,
						f->last_resort, sb(f->blob),
						r->cfg.keypackages_max);

	if (err)
		reply_store_error(r, c, f->req_id, err);
	else
		conn_ok(r, c, f->req_id);
}

void kp_take(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	struct rp_frame reply = { .type = RP_KEYPACKAGE, .req_id = f->req_id };
	struct store_blob kp;
	int err = r->store->ops->take_keypackage(r->store, sb(f->identity),
						 &kp);

	if (err) {
		reply_store_error(r, c, f->req_id, err);
		return;
	}
	reply.blob = (struct rp_bytes){ kp.data, kp.len };
	conn_send(r, c, &reply);
	store_blob_free(&kp);
}
