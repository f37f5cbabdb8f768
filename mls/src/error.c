// SPDX-License-Identifier: MIT
#include "mls/error.h"

const char *mls_strerror(int err)
{
	switch (err) {
	case MLS_OK: return "success";
	case MLS_ERR_NOMEM: return "out of memory";
	case MLS_ERR_INVALID_ARG: return "invalid argument";
	case MLS_ERR_DECODE: return "malformed encoding";
	case MLS_ERR_TRUNCATED: return "input truncated";
	case MLS_ERR_TRAILING: return "trailing bytes after value";
	case MLS_ERR_NON_MINIMAL: return "non-minimal variable-length integer";
	case MLS_ERR_TOO_LONG: return "length out of range";
	case MLS_ERR_UNKNOWN_VALUE: return "unknown or forbidden enum value";
	case MLS_ERR_UNSUPPORTED_SUITE: return "unsupported cipher suite";
	case MLS_ERR_BAD_KEY: return "invalid key";
	case MLS_ERR_BAD_SIGNATURE: return "invalid signature";
	case MLS_ERR_AUTH: return "authentication failed";
	case MLS_ERR_CRYPTO: return "crypto backend failure";
	case MLS_ERR_RANDOM: return "random source failed";
	case MLS_ERR_GENERATION: return "generation outside the secret-tree window";
	case MLS_ERR_INVALID_STATE: return "operation invalid in this state";
	case MLS_ERR_VALIDATION: return "protocol validation failed";
	case MLS_ERR_NOT_FOUND: return "not found";
	case MLS_ERR_UNSUPPORTED: return "not supported by this build";
	case MLS_ERR_REINIT_NOT_ALONE:
		return "ReInit committed together with other proposals";
	case MLS_ERR_REINIT_VERSION:
		return "ReInit to an older protocol version";
	case MLS_ERR_PSK_USAGE:
		return "reinit/branch resumption PSK outside its new group";
	case MLS_ERR_RESUMPTION_PSK:
		return "resumption PSK does not name the group it resumes";
	case MLS_ERR_RESUMPTION_EPOCH:
		return "resumed group does not start at epoch 1";
	case MLS_ERR_RESUMPTION_PARAMS:
		return "resumed group's parameters differ from the old group's";
	case MLS_ERR_RESUMPTION_MEMBERS:
		return "resumed group's members do not match the old group's";
	case MLS_ERR_NOT_REINITIALIZED:
		return "old group was not reinitialized";
	case MLS_ERR_POLICY:
		return "refused by the group's policy";
	case MLS_ERR_REMOVED:
		return "removed from the group";
	case MLS_ERR_OLD_EPOCH:
		return "message of an earlier epoch";
	case MLS_ERR_FUTURE_EPOCH:
		return "message of a later epoch";
	}
	return "unknown error";
}
