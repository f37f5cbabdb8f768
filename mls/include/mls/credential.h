/* SPDX-License-Identifier: MIT */
/*
 * Credential validators for mls_credential_validate_fn (RFC 9420 §5.3.1):
 * which identities may be members is the application's decision; these
 * are ready-made policies to plug into the group options.
 */
#ifndef MLS_CREDENTIAL_H
#define MLS_CREDENTIAL_H

#include <stddef.h>

#include "mls/crypto.h"
#include "mls/group.h"
#include "mls/msg_tree.h"

/*
 * A member the application knows: its BasicCredential identity and the
 * signature key that identity signs with (§5.3.1: the credential must be
 * bound to the key, and a basic credential binds nothing by itself).
 */
struct mls_identity_pin {
	struct mls_bytes identity;
	struct mls_bytes signature_key;
};

struct mls_identity_pins {
	const struct mls_identity_pin *pins;
	size_t count;
};

/*
 * ctx is a const struct mls_identity_pins *. Accepts a basic credential
 * whose (identity, signature_key) pair is pinned — the identity alone is
 * not enough, or anyone with a key of their own could claim a pinned
 * name — and, when the leaf replaces another (Update, commit path,
 * external resync), whose identity equals the old leaf's (§5.3.2: a
 * member must not become someone else). A member changes its signature
 * key only to another pinned pair. MLS_ERR_VALIDATION otherwise.
 */
int mls_credential_validate_pinned(void *ctx, const struct mls_suite *s,
				   const struct mls_leaf_node *leaf,
				   const struct mls_leaf_node *old_leaf);

/*
 * X.509 credentials (§5.3, §5.3.1) checked against trust anchors.
 * Fill ca_certs (DER), n_ca_certs and optionally clock, then call
 * mls_x509_validator_init, which parses the anchors once; pass the
 * validator as ctx of mls_credential_validate_x509 and release it with
 * mls_x509_validator_free. ca_certs need not outlive init.
 *
 * clock: certificate validity (notBefore/notAfter of every certificate
 * in the chain, anchors included) is judged against clock(clock_ctx)
 * when set, so that tests and replays can pin time; NULL leaves it to
 * mbedTLS, which uses the system time.
 */
struct mls_x509_anchors;

struct mls_x509_validator {
	const struct mls_bytes *ca_certs;
	size_t n_ca_certs;
	mls_clock_fn clock;
	void *clock_ctx;
	struct mls_x509_anchors *anchors;	/* private, set by init */
};

/*
 * MLS_ERR_INVALID_ARG without any certificate, MLS_ERR_DECODE for one
 * mbedTLS cannot parse, MLS_ERR_NOMEM. On error nothing is held.
 */
int mls_x509_validator_init(struct mls_x509_validator *v);
/* Releases the parsed anchors; NULL and a failed init are fine. */
void mls_x509_validator_free(struct mls_x509_validator *v);

/*
 * ctx is a const struct mls_x509_validator * set up by init. Accepts an
 * x509 credential whose certificate_chain (end-entity first, then
 * intermediates) parses, chains to one of the anchors and is valid now,
 * and whose end-entity public key is the leaf's signature_key (§5.3.1:
 * the credential must authenticate that very key). For ECDSA suites the
 * certificate's EC key must be on the suite's curve and is compared as
 * the uncompressed point, the form of signature_key.
 *
 * Identity across changes (§5.3.2): when the leaf replaces old_leaf, the
 * old leaf must be an x509 credential too and both end-entity
 * certificates must carry the same subject Name, compared byte for byte
 * as encoded (DER). A member may thus renew its certificate or rotate
 * its key, but not become another subject; subjectAltName is not
 * consulted, so a CA must keep the subject stable across renewals.
 *
 * Errors:
 *  MLS_ERR_VALIDATION   not an x509 credential, empty chain, certificate
 *                       expired or not yet valid, other verification
 *                       failures (key usage, weak hash, ...), subject
 *                       changed from old_leaf
 *  MLS_ERR_DECODE       a certificate mbedTLS cannot parse
 *  MLS_ERR_BAD_SIGNATURE  chain does not lead to a trusted anchor
 *  MLS_ERR_BAD_KEY      certificate key is not the leaf's signature key
 *  MLS_ERR_UNSUPPORTED  Ed25519/Ed448 suites: mbedTLS 2.28 neither parses
 *                       EdDSA SubjectPublicKeyInfo nor verifies EdDSA
 *                       certificate signatures, so such a chain cannot be
 *                       verified and is refused rather than trusted.
 *  MLS_ERR_INVALID_ARG  ctx was not initialised
 *  MLS_ERR_CRYPTO       mbedTLS failed for another reason than the chain
 */
int mls_credential_validate_x509(void *ctx, const struct mls_suite *s,
				 const struct mls_leaf_node *leaf,
				 const struct mls_leaf_node *old_leaf);

#endif
