/* SPDX-License-Identifier: MIT */
/*
 * libmls error codes. Every fallible libmls function returns 0 on success or
 * one of these (negative) values. mls_strerror() names them for humans.
 */
#ifndef MLS_ERROR_H
#define MLS_ERROR_H

enum mls_err {
	MLS_OK = 0,
	MLS_ERR_NOMEM = -1,		/* allocation failed */
	MLS_ERR_INVALID_ARG = -2,	/* caller passed a bad argument */
	MLS_ERR_DECODE = -3,		/* malformed encoding */
	MLS_ERR_TRUNCATED = -4,		/* input ended early */
	MLS_ERR_TRAILING = -5,		/* bytes left after a complete value */
	MLS_ERR_NON_MINIMAL = -6,	/* varint not in minimal form (§2.1.2) */
	MLS_ERR_TOO_LONG = -7,		/* length beyond what is allowed */
	MLS_ERR_UNKNOWN_VALUE = -8,	/* enum value the RFC forbids here */
	MLS_ERR_UNSUPPORTED_SUITE = -9,	/* cipher suite not implemented */
	MLS_ERR_BAD_KEY = -10,		/* key of wrong size or off the curve */
	MLS_ERR_BAD_SIGNATURE = -11,	/* signature fails to verify/parse */
	MLS_ERR_AUTH = -12,		/* AEAD or MAC authentication failed */
	MLS_ERR_CRYPTO = -13,		/* crypto backend failure */
	MLS_ERR_RANDOM = -14,		/* no randomness available */
	MLS_ERR_GENERATION = -15,	/* secret-tree generation out of window */
	MLS_ERR_INVALID_STATE = -16,	/* operation not valid in this state */
	MLS_ERR_VALIDATION = -17,	/* a protocol validity rule failed */
	MLS_ERR_NOT_FOUND = -18,	/* no such member / entry / key */
	MLS_ERR_UNSUPPORTED = -19,	/* valid input libmls cannot handle */
	/* resumption rules (§11.2, §11.3, §12.1.4, §12.1.5, §12.2, §12.4.3.1) */
	MLS_ERR_REINIT_NOT_ALONE = -20,	/* ReInit with other proposals */
	MLS_ERR_REINIT_VERSION = -21,	/* ReInit to an older version */
	MLS_ERR_PSK_USAGE = -22,	/* reinit/branch PSK outside its join */
	MLS_ERR_RESUMPTION_PSK = -23,	/* Welcome's PSK names another group */
	MLS_ERR_RESUMPTION_EPOCH = -24,	/* resumed group not at epoch 1 */
	MLS_ERR_RESUMPTION_PARAMS = -25, /* id/version/suite/extensions differ */
	MLS_ERR_RESUMPTION_MEMBERS = -26, /* members not the old group's */
	MLS_ERR_NOT_REINITIALIZED = -27, /* old group had no ReInit commit */
	MLS_ERR_POLICY = -28,		/* refused by the group's policy */
	MLS_ERR_REMOVED = -29,		/* we were removed from the group */
	MLS_ERR_OLD_EPOCH = -30,	/* message of an earlier epoch */
	MLS_ERR_FUTURE_EPOCH = -31,	/* message of a later epoch */
};

const char *mls_strerror(int err);

#endif
