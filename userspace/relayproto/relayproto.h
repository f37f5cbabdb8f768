/* SPDX-License-Identifier: MIT */
/*
 * relayproto: the mlsrelay control protocol (docs/RELAY-PROTOCOL.md),
 * shared by the relay and the agent. Frame codec with strict bounds, the
 * identity proof (challenge signature), the MLSMessage header peek, and a
 * blocking TLS client that pins the relay's certificate or its CA.
 *
 * Every function returns 0 or a negative RP_E* value; rp_strerror() names it.
 */
#ifndef RELAYPROTO_H
#define RELAYPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RP_VERSION		1
#define RP_HDR_LEN		12
/* Hard ceiling on a frame's payload; a relay may configure less. */
#define RP_MAX_PAYLOAD		(1u << 20)
#define RP_CHALLENGE_LEN	32
#define RP_FINGERPRINT_LEN	32	/* SHA-256 of the relay cert (DER) */
#define RP_TAG_LEN		8
#define RP_MAX_IDENTITY		255
#define RP_MAX_GROUP_ID		255
#define RP_MAX_TEXT		200
#define RP_AUTH_LABEL		"mlsdco relay auth v1"

/* Decode/encode errors: a frame that fails these closes the connection. */
enum rp_err {
	RP_OK = 0,
	RP_E_TRUNCATED = -1,	/* fewer bytes than the header/field needs */
	RP_E_VERSION = -2,	/* header version is not RP_VERSION */
	RP_E_RESERVED = -3,	/* reserved header bits set */
	RP_E_TOO_LARGE = -4,	/* payload length over the limit */
	RP_E_TYPE = -5,		/* unknown frame type */
	RP_E_FIELD = -6,	/* a field's length or value out of range */
	RP_E_TRAILING = -7,	/* bytes left after the last field */
	RP_E_NOMEM = -8,
	RP_E_IO = -9,		/* socket or TLS failure */
	RP_E_PIN = -10,		/* relay certificate does not match the pin */
	RP_E_CRYPTO = -11,	/* signature or random failure */
	RP_E_CLOSED = -12,	/* peer closed the connection */
	RP_E_MLSMSG = -13,	/* MLSMessage header not parseable */
	RP_E_CERT = -14,	/* relay certificate fails CA verification */
	RP_E_CA_FILE = -15,	/* CA file unreadable or without a certificate */
	RP_E_TRUST = -16,	/* not exactly one of pin and CA file given */
};

const char *rp_strerror(int err);

/* Frame types; the direction is c->r (client to relay) or r->c. */
enum rp_type {
	RP_CHALLENGE = 0x01,	/* r->c: challenge */
	RP_AUTH = 0x02,		/* c->r: suite, identity, sig_pub, signature */
	RP_OK_FRAME = 0x03,	/* r->c: request done */
	RP_ERROR = 0x04,	/* r->c: code, text */
	RP_KP_UPLOAD = 0x10,	/* c->r: last_resort, blob */
	RP_KP_TAKE = 0x11,	/* c->r: identity */
	RP_KEYPACKAGE = 0x12,	/* r->c: blob */
	RP_SUBSCRIBE = 0x20,	/* c->r: group_id */
	RP_HANDSHAKE = 0x21,	/* c->r: group_id, epoch, kind, blob */
	RP_ACCEPTED = 0x22,	/* r->c: seq */
	RP_CONFLICT = 0x23,	/* r->c: epoch, seq, blob (the winner) */
	RP_HS_EVENT = 0x24,	/* r->c: group_id, epoch, kind, seq, blob */
	RP_FETCH = 0x25,	/* c->r: group_id, epoch, seq (after) */
	RP_END = 0x26,		/* r->c: count, more */
	RP_GI_PUT = 0x30,	/* c->r: group_id, epoch, blob */
	RP_GI_GET = 0x31,	/* c->r: group_id */
	RP_GROUPINFO = 0x32,	/* r->c: epoch, blob */
	RP_WELCOME_SEND = 0x40,	/* c->r: identity (target), blob */
	RP_WELCOME_TAKE = 0x41,	/* c->r: (nothing) */
	RP_WELCOME = 0x42,	/* r->c: blob */
	RP_EPOCH_TAG = 0x50,	/* c->r: group_id, epoch, tag */
};

/* Error codes in RP_ERROR frames. "fatal" ones close the connection. */
enum rp_code {
	RP_C_BAD_FRAME = 1,	/* fatal: undecodable frame */
	RP_C_VERSION = 2,	/* fatal: protocol version */
	RP_C_TOO_LARGE = 3,	/* fatal: frame over the connection's limit */
	RP_C_UNEXPECTED = 4,	/* fatal: r->c type sent by a client */
	RP_C_NOT_AUTHED = 5,	/* request before AUTH */
	RP_C_AUTH_FAILED = 6,	/* fatal: bad signature, key or suite */
	RP_C_NOT_FOUND = 7,
	RP_C_LIMIT = 8,		/* a per-connection limit is reached */
	RP_C_BAD_REQUEST = 9,	/* well-formed but inconsistent request */
	RP_C_BAD_EPOCH = 10,	/* commit for an epoch the log is not at */
	RP_C_INTERNAL = 11,	/* store failure; nothing was acknowledged */
	RP_C_SLOW = 12,		/* fatal: output queue over its limit */
};

enum rp_kind { RP_KIND_PROPOSAL = 1, RP_KIND_COMMIT = 2 };

struct rp_bytes {
	const uint8_t *p;	/* points into the decoded buffer */
	size_t len;
};

/*
 * A decoded (or to-be-encoded) frame. Only the fields of its type are
 * meaningful; byte strings point into the buffer given to rp_decode.
 */
struct rp_frame {
	uint8_t type;
	uint32_t req_id;
	uint16_t suite;
	uint16_t code;
	uint8_t last_resort;
	uint8_t kind;
	uint8_t more;
	uint32_t count;
	uint64_t epoch;
	uint64_t seq;
	uint8_t challenge[RP_CHALLENGE_LEN];
	uint8_t tag[RP_TAG_LEN];
	struct rp_bytes identity;
	struct rp_bytes sig_pub;
	struct rp_bytes signature;
	struct rp_bytes text;
	struct rp_bytes group_id;
	struct rp_bytes blob;
};

/* Frame header: returns the payload length after checking it. */
int rp_decode_header(const uint8_t *buf, size_t len, size_t max_payload,
		     uint8_t *type, uint32_t *req_id, uint32_t *payload_len);
/* Decode one whole frame (header + payload, exactly len bytes). */
int rp_decode(const uint8_t *buf, size_t len, size_t max_payload,
	      struct rp_frame *f);
/* Encoded size of f, or a negative error if a field is out of range. */
long rp_encoded_len(const struct rp_frame *f);
/* Encode f into out (cap bytes); *out_len gets the size. */
int rp_encode(const struct rp_frame *f, uint8_t *out, size_t cap,
	      size_t *out_len);
/* True for types only the relay sends. */
bool rp_type_from_relay(uint8_t type);
const char *rp_type_name(uint8_t type);
const char *rp_code_name(uint16_t code);

/*
 * MLSMessage header peek (RFC 9420 §6): for PublicMessage and
 * PrivateMessage, the cleartext group_id and epoch. *parsed is false for
 * other wire formats (nothing to check); RP_E_MLSMSG when malformed.
 */
int rp_mls_peek(const uint8_t *msg, size_t len, bool *parsed,
		struct rp_bytes *group_id, uint64_t *epoch);

/*
 * Identity proof: SignWithLabel(RP_AUTH_LABEL, challenge || fingerprint)
 * with the host's MLS signature key of the given suite.
 */
int rp_auth_sign(uint16_t suite, const uint8_t *priv, size_t priv_len,
		 const uint8_t challenge[RP_CHALLENGE_LEN],
		 const uint8_t fingerprint[RP_FINGERPRINT_LEN],
		 uint8_t *sig, size_t *sig_len);
int rp_auth_verify(uint16_t suite, const uint8_t *pub, size_t pub_len,
		   const uint8_t challenge[RP_CHALLENGE_LEN],
		   const uint8_t fingerprint[RP_FINGERPRINT_LEN],
		   const uint8_t *sig, size_t sig_len);

#endif
