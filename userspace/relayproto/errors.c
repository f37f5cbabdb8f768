// SPDX-License-Identifier: MIT
/* Names for relayproto's return values and the protocol's error codes. */
#include "relayproto.h"

const char *rp_strerror(int err)
{
	switch (err) {
	case RP_OK: return "success";
	case RP_E_TRUNCATED: return "frame truncated";
	case RP_E_VERSION: return "unsupported protocol version";
	case RP_E_RESERVED: return "reserved header bits set";
	case RP_E_TOO_LARGE: return "frame too large";
	case RP_E_TYPE: return "unknown frame type";
	case RP_E_FIELD: return "field out of range";
	case RP_E_TRAILING: return "trailing bytes after the last field";
	case RP_E_NOMEM: return "out of memory";
	case RP_E_IO: return "connection failure";
	case RP_E_PIN: return "relay certificate does not match the pin";
	case RP_E_CRYPTO: return "signature or randomness failure";
	case RP_E_CLOSED: return "connection closed";
	case RP_E_MLSMSG: return "malformed MLSMessage header";
	case RP_E_CERT: return "relay certificate does not verify against the CA";
	case RP_E_CA_FILE: return "CA file unreadable or holds no certificate";
	case RP_E_TRUST: return "exactly one of a pin and a CA file is needed";
	default: return "unknown error";
	}
}

const char *rp_code_name(uint16_t code)
{
	switch (code) {
	case RP_C_BAD_FRAME: return "bad-frame";
	case RP_C_VERSION: return "version";
	case RP_C_TOO_LARGE: return "too-large";
	case RP_C_UNEXPECTED: return "unexpected";
	case RP_C_NOT_AUTHED: return "not-authenticated";
	case RP_C_AUTH_FAILED: return "auth-failed";
	case RP_C_NOT_FOUND: return "not-found";
	case RP_C_LIMIT: return "limit";
	case RP_C_BAD_REQUEST: return "bad-request";
	case RP_C_BAD_EPOCH: return "bad-epoch";
	case RP_C_INTERNAL: return "internal";
	case RP_C_SLOW: return "slow-consumer";
	default: return "unknown";
	}
}
