// SPDX-License-Identifier: MIT
/*
 * The auth frame: the host signs our challenge and our certificate's
 * fingerprint with its MLS signature key. Success names the connection
 * for routing (Welcomes, KeyPackages) and limits. It admits nobody to any
 * group: that is the members' decision (docs/RELAY-PROTOCOL.md).
 */
#include <string.h>

#include "relay.h"

void auth_handle(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	int err;

	if (rp_auth_verify(f->suite, f->sig_pub.p, f->sig_pub.len,
			   c->challenge, r->tls.fingerprint, f->signature.p,
			   f->signature.len)) {
		conn_error(r, c, f->req_id, RP_C_AUTH_FAILED,
			   "signature does not verify");
		return;
	}
	err = r->store->ops->bind_identity(r->store, sb(f->identity),
					   f->suite, sb(f->sig_pub));
	if (err == STORE_E_MISMATCH) {
		conn_error(r, c, f->req_id, RP_C_AUTH_FAILED,
			   "identity is bound to another key");
		return;
	}
	if (err) {
		reply_store_error(r, c, f->req_id, err);
		return;
	}
	memcpy(c->identity, f->identity.p, f->identity.len);
	c->identity_len = f->identity.len;
	c->state = CONN_AUTHED;
	c->deadline_ms = 0;
	conn_ok(r, c, f->req_id);
}
