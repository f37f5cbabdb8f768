// SPDX-License-Identifier: MIT
/* Requests of an authenticated connection, by frame type. */
#include "relay.h"

typedef void (*handler_fn)(struct relay *r, struct conn *c,
			   const struct rp_frame *f);

static void epoch_tag(struct relay *r, struct conn *c,
		      const struct rp_frame *f)
{
	if (!conn_subscribed(c, f->group_id))
		conn_error(r, c, f->req_id, RP_C_BAD_REQUEST, "not subscribed");
	else if (datarelay_add_tag(r, f->group_id, f->tag))
		conn_error(r, c, f->req_id, RP_C_BAD_REQUEST,
			   "tag belongs to another group");
	else
		conn_ok(r, c, f->req_id);
}

static handler_fn handler_of(uint8_t type)
{
	switch (type) {
	case RP_KP_UPLOAD: return kp_upload;
	case RP_KP_TAKE: return kp_take;
	case RP_SUBSCRIBE: return hs_subscribe;
	case RP_HANDSHAKE: return hs_publish;
	case RP_FETCH: return hs_fetch;
	case RP_GI_PUT: return gi_put;
	case RP_GI_GET: return gi_get;
	case RP_WELCOME_SEND: return welcome_send;
	case RP_WELCOME_TAKE: return welcome_take;
	case RP_EPOCH_TAG: return epoch_tag;
	default: return NULL;
	}
}

void dispatch_frame(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	handler_fn fn = handler_of(f->type);

	if (fn)
		fn(r, c, f);
	else
		conn_error(r, c, f->req_id, RP_C_UNEXPECTED,
			   rp_type_name(f->type));
}

void reply_store_error(struct relay *r, struct conn *c, uint32_t req_id,
		       int err)
{
	switch (err) {
	case STORE_E_NOT_FOUND:
		conn_error(r, c, req_id, RP_C_NOT_FOUND, "not found");
		break;
	case STORE_E_LIMIT:
		conn_error(r, c, req_id, RP_C_LIMIT, store_strerror(err));
		break;
	case STORE_E_EPOCH:
		conn_error(r, c, req_id, RP_C_BAD_EPOCH, store_strerror(err));
		break;
	default:
		relay_log("store: %s", store_strerror(err));
		conn_error(r, c, req_id, RP_C_INTERNAL, "store failure");
		break;
	}
}
