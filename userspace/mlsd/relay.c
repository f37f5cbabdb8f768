// SPDX-License-Identifier: MIT
/* The relay session (relay.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/x509_crt.h>

#include "relay.h"

int mlsd_relay_connect(struct mlsd_relay *r, const char *host, uint16_t port,
		       const struct rp_trust *trust, uint16_t suite,
		       const char *identity, const uint8_t *sig_priv,
		       size_t priv_len, const uint8_t *sig_pub,
		       size_t pub_len, struct mlsd_err *e)
{
	char portstr[8];
	int err;

	snprintf(portstr, sizeof(portstr), "%u", port);
	err = rp_client_connect_trust(&r->c, host, portstr, trust,
				      MLSD_RELAY_TIMEOUT_MS);
	if (err == RP_E_CERT) {
		char why[256];

		mbedtls_x509_crt_verify_info(why, sizeof(why), "",
					     r->c.verify_flags);
		why[strcspn(why, "\n")] = 0;
		return mlsd_errf(e, "relay %s:%u: certificate refused by CAFile: %s",
				 host, port, why);
	}
	if (err)
		return mlsd_errf(e, "relay %s:%u: %s", host, port,
				 err == RP_E_PIN ?
				 "certificate does not match Fingerprint" :
				 rp_strerror(err));
	err = rp_client_auth(&r->c, suite, (const uint8_t *)identity,
			     strlen(identity), sig_priv, priv_len, sig_pub,
			     pub_len);
	if (err) {
		rp_client_close(&r->c);
		return mlsd_errf(e, "relay %s:%u: auth as %s: %s", host, port,
				 identity, err > 0 ? rp_code_name((uint16_t)err)
				 : rp_strerror(err));
	}
	r->up = true;
	return 0;
}

void mlsd_relay_close(struct mlsd_relay *r)
{
	if (r->up)
		rp_client_close(&r->c);
	r->up = false;
}

int mlsd_relay_fd(const struct mlsd_relay *r)
{
	return r->c.net.fd;
}

bool mlsd_relay_buffered(struct mlsd_relay *r)
{
	return r->up && mbedtls_ssl_get_bytes_avail(&r->c.ssl) > 0;
}

static int queue_copy(struct mlsd_relay *r, const struct rp_frame *f)
{
	struct mlsd_relay_item *it = calloc(1, sizeof(*it));

	if (!it || f->group_id.len > sizeof(it->gid))
		goto fail;
	it->type = f->type;
	memcpy(it->gid, f->group_id.p, f->group_id.len);
	it->gid_len = f->group_id.len;
	it->epoch = f->epoch;
	it->kind = f->kind;
	it->seq = f->seq;
	it->blob = malloc(f->blob.len ? f->blob.len : 1);
	if (!it->blob)
		goto fail;
	memcpy(it->blob, f->blob.p, f->blob.len);
	it->blob_len = f->blob.len;
	if (r->tail)
		r->tail->next = it;
	else
		r->head = it;
	r->tail = it;
	return 0;
fail:
	free(it);
	return RP_E_NOMEM;
}

int mlsd_relay_read(struct mlsd_relay *r)
{
	struct rp_frame f;
	int err = rp_client_recv(&r->c, &f);

	if (err)
		return err;
	if (f.type == RP_HS_EVENT)
		return queue_copy(r, &f);
	if (f.type == RP_ERROR) {
		fprintf(stderr, "mlsd: relay error %s: %.*s\n",
			rp_code_name(f.code), (int)f.text.len,
			(const char *)f.text.p);
		return RP_E_CLOSED;
	}
	return 0;	/* nothing else comes unasked; ignore it */
}

static int fill_reply(const struct rp_frame *f, struct mlsd_relay_reply *rep)
{
	rep->type = f->type;
	rep->code = f->code;
	snprintf(rep->text, sizeof(rep->text), "%.*s", (int)f->text.len,
		 f->text.p ? (const char *)f->text.p : "");
	rep->epoch = f->epoch;
	rep->seq = f->seq;
	rep->count = f->count;
	rep->more = f->more;
	if (f->type == RP_KEYPACKAGE || f->type == RP_CONFLICT ||
	    f->type == RP_GROUPINFO) {
		rep->blob = malloc(f->blob.len ? f->blob.len : 1);
		if (!rep->blob)
			return RP_E_NOMEM;
		memcpy(rep->blob, f->blob.p, f->blob.len);
		rep->blob_len = f->blob.len;
	}
	return 0;
}

int mlsd_relay_call(struct mlsd_relay *r, struct rp_frame *req,
		    struct mlsd_relay_reply *rep)
{
	struct rp_frame f;
	int err;

	memset(rep, 0, sizeof(*rep));
	if (!r->up)
		return RP_E_CLOSED;
	req->req_id = 0;
	err = rp_client_send(&r->c, req);
	while (!err) {
		err = rp_client_recv(&r->c, &f);
		if (err)
			break;
		if (f.type == RP_HS_EVENT || f.type == RP_WELCOME) {
			/* fan-out (id 0) or an item of this request */
			err = queue_copy(r, &f);
			continue;
		}
		if (f.req_id != req->req_id) {
			if (f.type == RP_ERROR && !f.req_id)
				return fill_reply(&f, rep) ?: RP_E_CLOSED;
			continue;
		}
		return fill_reply(&f, rep);
	}
	return err;
}

void mlsd_relay_reply_free(struct mlsd_relay_reply *rep)
{
	free(rep->blob);
	rep->blob = NULL;
}

struct mlsd_relay_item *mlsd_relay_pop(struct mlsd_relay *r)
{
	struct mlsd_relay_item *it = r->head;

	if (it) {
		r->head = it->next;
		if (!r->head)
			r->tail = NULL;
		it->next = NULL;
	}
	return it;
}

void mlsd_relay_item_free(struct mlsd_relay_item *it)
{
	if (it)
		free(it->blob);
	free(it);
}

void mlsd_relay_flush(struct mlsd_relay *r)
{
	struct mlsd_relay_item *it;

	while ((it = mlsd_relay_pop(r)))
		mlsd_relay_item_free(it);
}
