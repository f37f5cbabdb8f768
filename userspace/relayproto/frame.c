// SPDX-License-Identifier: MIT
/*
 * Frame codec (docs/RELAY-PROTOCOL.md): a 12-byte header, then the fields
 * of the frame's type in a fixed order. Each type's layout is one row of
 * layouts[]; the encoder and the decoder both walk it, so they cannot
 * disagree. Every length is checked against its field's bounds and the
 * payload must be consumed exactly.
 */
#include <string.h>

#include "relayproto.h"

enum rp_field {
	F_END = 0,
	F_SUITE, F_CODE, F_LAST_RESORT, F_KIND, F_MORE, F_COUNT, F_EPOCH,
	F_SEQ, F_CHALLENGE, F_TAG, F_IDENTITY, F_SIG_PUB, F_SIGNATURE,
	F_TEXT, F_GROUP_ID, F_BLOB,
};

#define MAX_FIELDS 6

struct layout {
	uint8_t type;
	const char *name;
	bool from_relay;
	uint8_t fields[MAX_FIELDS];
};

static const struct layout layouts[] = {
	{ RP_CHALLENGE, "challenge", true, { F_CHALLENGE } },
	{ RP_AUTH, "auth", false,
	  { F_SUITE, F_IDENTITY, F_SIG_PUB, F_SIGNATURE } },
	{ RP_OK_FRAME, "ok", true, { F_END } },
	{ RP_ERROR, "error", true, { F_CODE, F_TEXT } },
	{ RP_KP_UPLOAD, "kp-upload", false, { F_LAST_RESORT, F_BLOB } },
	{ RP_KP_TAKE, "kp-take", false, { F_IDENTITY } },
	{ RP_KEYPACKAGE, "keypackage", true, { F_BLOB } },
	{ RP_SUBSCRIBE, "subscribe", false, { F_GROUP_ID } },
	{ RP_HANDSHAKE, "handshake", false,
	  { F_GROUP_ID, F_EPOCH, F_KIND, F_BLOB } },
	{ RP_ACCEPTED, "accepted", true, { F_SEQ } },
	{ RP_CONFLICT, "conflict", true, { F_EPOCH, F_SEQ, F_BLOB } },
	{ RP_HS_EVENT, "hs-event", true,
	  { F_GROUP_ID, F_EPOCH, F_KIND, F_SEQ, F_BLOB } },
	{ RP_FETCH, "fetch", false, { F_GROUP_ID, F_EPOCH, F_SEQ } },
	{ RP_END, "end", true, { F_COUNT, F_MORE } },
	{ RP_GI_PUT, "groupinfo-put", false, { F_GROUP_ID, F_EPOCH, F_BLOB } },
	{ RP_GI_GET, "groupinfo-get", false, { F_GROUP_ID } },
	{ RP_GROUPINFO, "groupinfo", true, { F_EPOCH, F_BLOB } },
	{ RP_WELCOME_SEND, "welcome-send", false, { F_IDENTITY, F_BLOB } },
	{ RP_WELCOME_TAKE, "welcome-take", false, { F_END } },
	{ RP_WELCOME, "welcome", true, { F_BLOB } },
	{ RP_EPOCH_TAG, "epoch-tag", false, { F_GROUP_ID, F_EPOCH, F_TAG } },
};

static const struct layout *layout_of(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].type == type)
			return &layouts[i];
	return NULL;
}

bool rp_type_from_relay(uint8_t type)
{
	const struct layout *l = layout_of(type);

	return l && l->from_relay;
}

const char *rp_type_name(uint8_t type)
{
	const struct layout *l = layout_of(type);

	return l ? l->name : "unknown";
}

/* Byte-string fields: where they live in the frame and their bounds. */
struct opaque_spec {
	uint8_t width;		/* length prefix: 2 or 4 bytes */
	uint32_t min, max;
};

static struct opaque_spec opaque_spec(uint8_t field)
{
	switch (field) {
	case F_IDENTITY: return (struct opaque_spec){ 2, 1, RP_MAX_IDENTITY };
	case F_SIG_PUB: return (struct opaque_spec){ 2, 1, 133 };
	case F_SIGNATURE: return (struct opaque_spec){ 2, 1, 141 };
	case F_TEXT: return (struct opaque_spec){ 2, 0, RP_MAX_TEXT };
	case F_GROUP_ID: return (struct opaque_spec){ 2, 1, RP_MAX_GROUP_ID };
	default: return (struct opaque_spec){ 4, 1, RP_MAX_PAYLOAD };
	}
}

static struct rp_bytes *opaque_of(struct rp_frame *f, uint8_t field)
{
	switch (field) {
	case F_IDENTITY: return &f->identity;
	case F_SIG_PUB: return &f->sig_pub;
	case F_SIGNATURE: return &f->signature;
	case F_TEXT: return &f->text;
	case F_GROUP_ID: return &f->group_id;
	case F_BLOB: return &f->blob;
	default: return NULL;
	}
}

/* Fixed-size fields: their width, and the value as a u64. */
static size_t fixed_width(uint8_t field)
{
	switch (field) {
	case F_LAST_RESORT: case F_KIND: case F_MORE: return 1;
	case F_SUITE: case F_CODE: return 2;
	case F_COUNT: return 4;
	case F_EPOCH: case F_SEQ: case F_TAG: return 8;
	case F_CHALLENGE: return RP_CHALLENGE_LEN;
	default: return 0;
	}
}

static uint64_t get_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | *p++;
	return v;
}

static void put_be(uint8_t *p, uint64_t v, size_t n)
{
	while (n--) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

static bool scalar_ok(uint8_t field, uint64_t v)
{
	switch (field) {
	case F_LAST_RESORT: case F_MORE: return v <= 1;
	case F_KIND: return v == RP_KIND_PROPOSAL || v == RP_KIND_COMMIT;
	default: return true;
	}
}

static uint64_t scalar_get(const struct rp_frame *f, uint8_t field)
{
	switch (field) {
	case F_SUITE: return f->suite;
	case F_CODE: return f->code;
	case F_LAST_RESORT: return f->last_resort;
	case F_KIND: return f->kind;
	case F_MORE: return f->more;
	case F_COUNT: return f->count;
	case F_EPOCH: return f->epoch;
	default: return f->seq;
	}
}

static void scalar_set(struct rp_frame *f, uint8_t field, uint64_t v)
{
	switch (field) {
	case F_SUITE: f->suite = (uint16_t)v; break;
	case F_CODE: f->code = (uint16_t)v; break;
	case F_LAST_RESORT: f->last_resort = (uint8_t)v; break;
	case F_KIND: f->kind = (uint8_t)v; break;
	case F_MORE: f->more = (uint8_t)v; break;
	case F_COUNT: f->count = (uint32_t)v; break;
	case F_EPOCH: f->epoch = v; break;
	default: f->seq = v; break;
	}
}

static int decode_fixed(struct rp_frame *f, uint8_t field, const uint8_t *p)
{
	uint64_t v;

	if (field == F_CHALLENGE) {
		memcpy(f->challenge, p, RP_CHALLENGE_LEN);
		return 0;
	}
	if (field == F_TAG) {
		memcpy(f->tag, p, RP_TAG_LEN);
		return 0;
	}
	v = get_be(p, fixed_width(field));
	if (!scalar_ok(field, v))
		return RP_E_FIELD;
	scalar_set(f, field, v);
	return 0;
}

/* Decode one field at *pos of payload[len]; advances *pos. */
static int decode_field(struct rp_frame *f, uint8_t field,
			const uint8_t *payload, size_t len, size_t *pos)
{
	size_t w = fixed_width(field);
	struct opaque_spec spec;
	uint64_t n;

	if (w) {
		if (len - *pos < w)
			return RP_E_TRUNCATED;
		*pos += w;
		return decode_fixed(f, field, payload + *pos - w);
	}
	spec = opaque_spec(field);
	if (len - *pos < spec.width)
		return RP_E_TRUNCATED;
	n = get_be(payload + *pos, spec.width);
	*pos += spec.width;
	if (n < spec.min || n > spec.max)
		return RP_E_FIELD;
	if (len - *pos < n)
		return RP_E_TRUNCATED;
	opaque_of(f, field)->p = payload + *pos;
	opaque_of(f, field)->len = (size_t)n;
	*pos += (size_t)n;
	return 0;
}

int rp_decode_header(const uint8_t *buf, size_t len, size_t max_payload,
		     uint8_t *type, uint32_t *req_id, uint32_t *payload_len)
{
	uint32_t n;

	if (len < RP_HDR_LEN)
		return RP_E_TRUNCATED;
	if (buf[0] != RP_VERSION)
		return RP_E_VERSION;
	if (buf[2] || buf[3])
		return RP_E_RESERVED;
	n = (uint32_t)get_be(buf + 8, 4);
	if (n > max_payload || n > RP_MAX_PAYLOAD)
		return RP_E_TOO_LARGE;
	if (!layout_of(buf[1]))
		return RP_E_TYPE;
	*type = buf[1];
	*req_id = (uint32_t)get_be(buf + 4, 4);
	*payload_len = n;
	return 0;
}

int rp_decode(const uint8_t *buf, size_t len, size_t max_payload,
	      struct rp_frame *f)
{
	const struct layout *l;
	uint32_t plen;
	size_t pos = 0;
	int i, err;

	memset(f, 0, sizeof(*f));
	err = rp_decode_header(buf, len, max_payload, &f->type, &f->req_id,
			       &plen);
	if (err)
		return err;
	if (len - RP_HDR_LEN < plen)
		return RP_E_TRUNCATED;
	if (len - RP_HDR_LEN > plen)
		return RP_E_TRAILING;
	l = layout_of(f->type);
	for (i = 0; i < MAX_FIELDS && l->fields[i] != F_END; i++) {
		err = decode_field(f, l->fields[i], buf + RP_HDR_LEN, plen,
				   &pos);
		if (err)
			return err;
	}
	return pos == plen ? 0 : RP_E_TRAILING;
}

static long field_len(const struct rp_frame *f, uint8_t field)
{
	struct opaque_spec spec;
	const struct rp_bytes *b;

	if (fixed_width(field))
		return scalar_ok(field, scalar_get(f, field)) ?
			(long)fixed_width(field) : RP_E_FIELD;
	spec = opaque_spec(field);
	b = opaque_of((struct rp_frame *)f, field);
	if (b->len < spec.min || b->len > spec.max || (b->len && !b->p))
		return RP_E_FIELD;
	return (long)(spec.width + b->len);
}

long rp_encoded_len(const struct rp_frame *f)
{
	const struct layout *l = layout_of(f->type);
	long total = RP_HDR_LEN, n;
	int i;

	if (!l)
		return RP_E_TYPE;
	for (i = 0; i < MAX_FIELDS && l->fields[i] != F_END; i++) {
		n = field_len(f, l->fields[i]);
		if (n < 0)
			return n;
		total += n;
	}
	if (total - RP_HDR_LEN > (long)RP_MAX_PAYLOAD)
		return RP_E_TOO_LARGE;
	return total;
}

static size_t encode_field(const struct rp_frame *f, uint8_t field,
			   uint8_t *p)
{
	size_t w = fixed_width(field);
	struct opaque_spec spec;
	const struct rp_bytes *b;

	if (field == F_CHALLENGE || field == F_TAG) {
		memcpy(p, field == F_TAG ? f->tag : f->challenge, w);
		return w;
	}
	if (w) {
		put_be(p, scalar_get(f, field), w);
		return w;
	}
	spec = opaque_spec(field);
	b = opaque_of((struct rp_frame *)f, field);
	put_be(p, b->len, spec.width);
	if (b->len)
		memcpy(p + spec.width, b->p, b->len);
	return spec.width + b->len;
}

int rp_encode(const struct rp_frame *f, uint8_t *out, size_t cap,
	      size_t *out_len)
{
	const struct layout *l = layout_of(f->type);
	long total = rp_encoded_len(f);
	size_t pos = RP_HDR_LEN;
	int i;

	if (total < 0)
		return (int)total;
	if ((size_t)total > cap)
		return RP_E_TOO_LARGE;
	out[0] = RP_VERSION;
	out[1] = f->type;
	out[2] = out[3] = 0;
	put_be(out + 4, f->req_id, 4);
	put_be(out + 8, (uint64_t)total - RP_HDR_LEN, 4);
	for (i = 0; i < MAX_FIELDS && l->fields[i] != F_END; i++)
		pos += encode_field(f, l->fields[i], out + pos);
	*out_len = pos;
	return 0;
}
