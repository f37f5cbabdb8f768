// SPDX-License-Identifier: MIT
/* Signature-scheme dispatch with the argument checks every scheme shares. */
#include "crypto_internal.h"

static int check_suite(const struct mls_suite *s)
{
	return s && s->sig ? 0 : MLS_ERR_UNSUPPORTED_SUITE;
}

static int check_priv(const struct mls_suite *s, const uint8_t *priv,
		      size_t priv_len)
{
	if (!priv || priv_len != s->sig->priv_len)
		return MLS_ERR_BAD_KEY;
	/* ECDSA scalars must be in [1, n-1]; EdDSA seeds are any bytes */
	if (s->sig->ecp_id)
		return mls_ecp_check_scalar(s->sig->ecp_id, priv, priv_len);
	return 0;
}

int mls_sig_validate_pub(const struct mls_suite *s, const uint8_t *pub,
			 size_t pub_len)
{
	int ret = check_suite(s);

	if (ret)
		return ret;
	if (!pub || pub_len != s->sig->pub_len)
		return MLS_ERR_BAD_KEY;
	return s->sig->check_pub(s->sig, pub);
}

int mls_sig_generate_keypair(const struct mls_crypto *c,
			     const struct mls_suite *s, uint8_t *priv,
			     uint8_t *pub)
{
	int ret = check_suite(s);

	if (ret)
		return ret;
	if (!priv || !pub)
		return MLS_ERR_INVALID_ARG;
	ret = s->sig->generate(s->sig, c, priv);
	if (!ret)
		ret = s->sig->pub_from_priv(s->sig, priv, pub);
	if (ret)
		mls_crypto_wipe(priv, s->sig->priv_len);
	return ret;
}

int mls_sig_pub_from_priv(const struct mls_suite *s, const uint8_t *priv,
			  size_t priv_len, uint8_t *pub)
{
	int ret = check_suite(s);

	if (!ret)
		ret = check_priv(s, priv, priv_len);
	if (ret)
		return ret;
	if (!pub)
		return MLS_ERR_INVALID_ARG;
	return s->sig->pub_from_priv(s->sig, priv, pub);
}

int mls_sig_sign(const struct mls_crypto *c, const struct mls_suite *s,
		 const uint8_t *priv, size_t priv_len, const uint8_t *msg,
		 size_t msg_len, uint8_t *sig, size_t *sig_len)
{
	int ret = check_suite(s);

	if (!ret)
		ret = check_priv(s, priv, priv_len);
	if (ret)
		return ret;
	if (!sig || !sig_len || (!msg && msg_len))
		return MLS_ERR_INVALID_ARG;
	return s->sig->sign(s->sig, c, priv, msg, msg_len, sig, sig_len);
}

/* Which error a failed verify gets: a bad key outranks a bad signature. */
static int verify_failure(const struct mls_suite *s, const uint8_t *pub,
			  int err)
{
	int key_err = s->sig->check_pub(s->sig, pub);

	return key_err ? key_err : err;
}

int mls_sig_verify(const struct mls_suite *s, const uint8_t *pub,
		   size_t pub_len, const uint8_t *msg, size_t msg_len,
		   const uint8_t *sig, size_t sig_len)
{
	int ret = check_suite(s);

	if (ret)
		return ret;
	if (!pub || pub_len != s->sig->pub_len)
		return MLS_ERR_BAD_KEY;
	if (!s->sig->verify_screens_pub) {
		ret = s->sig->check_pub(s->sig, pub);
		if (ret)
			return ret;
	}
	if (!msg && msg_len)
		ret = MLS_ERR_INVALID_ARG;
	else if (!sig)
		ret = MLS_ERR_BAD_SIGNATURE;
	else
		ret = s->sig->verify(s->sig, pub, msg, msg_len, sig, sig_len);
	if (ret && s->sig->verify_screens_pub)
		ret = verify_failure(s, pub, ret);
	return ret;
}
