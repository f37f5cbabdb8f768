// SPDX-License-Identifier: GPL-2.0-only
/*
 * One synchronous AEAD transform per key. Packets are linear when they
 * get here (send.c, receive.c), so one scatterlist entry covers
 * header (AAD) || payload || tag and the cipher works in place.
 */

#include <crypto/aead.h>
#include <linux/err.h>
#include <linux/mlsdco.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/string.h>

#include "crypto.h"
#include "messages.h"

static const char *mlsdco_aead_name(u32 aead)
{
	switch (aead) {
	case MLSDCO_AEAD_AES_128_GCM:
	case MLSDCO_AEAD_AES_256_GCM:
		return "gcm(aes)";
	case MLSDCO_AEAD_CHACHA20_POLY1305:
		return "rfc7539(chacha20,poly1305)";
	}
	return NULL;
}

unsigned int mlsdco_aead_key_len(u32 aead)
{
	return aead == MLSDCO_AEAD_AES_128_GCM ? 16 : 32;
}

struct crypto_aead *mlsdco_aead_new(u32 aead, const u8 *key)
{
	const char *name = mlsdco_aead_name(aead);
	struct crypto_aead *tfm;
	int err;

	if (!name)
		return ERR_PTR(-EINVAL);
	/* Masking out ASYNC gives a transform that completes inline, so the
	 * softirq fast path never sees -EINPROGRESS.
	 */
	tfm = crypto_alloc_aead(name, 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(tfm))
		return tfm;
	err = crypto_aead_setkey(tfm, key, mlsdco_aead_key_len(aead));
	if (!err)
		err = crypto_aead_setauthsize(tfm, MLSDCO_AUTH_TAG_LEN);
	if (err) {
		crypto_free_aead(tfm);
		return ERR_PTR(err);
	}
	return tfm;
}

void mlsdco_aead_free(struct crypto_aead *tfm)
{
	/* crypto_destroy_tfm wipes the key schedule (kfree_sensitive). */
	if (!IS_ERR_OR_NULL(tfm))
		crypto_free_aead(tfm);
}

/* Nonce = base nonce XOR counter, right-aligned big endian (RFC 9420
 * §6.3.1 builds its reuse guard the same way).
 */
static void mlsdco_make_nonce(u8 *nonce, const u8 *base, u32 counter)
{
	__be32 ctr = cpu_to_be32(counter);
	u8 *c = (u8 *)&ctr;
	int i;

	memcpy(nonce, base, MLSDCO_NONCE_BYTES);
	for (i = 0; i < 4; i++)
		nonce[MLSDCO_NONCE_BYTES - 4 + i] ^= c[i];
}

static int mlsdco_crypt(struct crypto_aead *tfm, const u8 *base_nonce,
			u32 counter, struct sk_buff *skb, bool enc)
{
	u8 nonce[MLSDCO_NONCE_BYTES];
	struct aead_request *req;
	struct scatterlist sg;
	unsigned int cryptlen;
	int err;

	if (skb_is_nonlinear(skb) || skb->len < MLSDCO_HDR_LEN +
	    (enc ? 0 : MLSDCO_AUTH_TAG_LEN))
		return -EINVAL;

	req = aead_request_alloc(tfm, GFP_ATOMIC);
	if (!req)
		return -ENOMEM;

	mlsdco_make_nonce(nonce, base_nonce, counter);
	/* On encrypt skb->len already includes the room for the tag. */
	cryptlen = skb->len - MLSDCO_HDR_LEN - (enc ? MLSDCO_AUTH_TAG_LEN : 0);
	sg_init_one(&sg, skb->data, skb->len);
	aead_request_set_callback(req, 0, NULL, NULL);
	aead_request_set_crypt(req, &sg, &sg, cryptlen, nonce);
	aead_request_set_ad(req, MLSDCO_HDR_LEN);
	err = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	aead_request_free(req);
	memzero_explicit(nonce, sizeof(nonce));
	return err;
}

int mlsdco_encrypt(struct crypto_aead *tfm, const u8 *base_nonce, u32 counter,
		   struct sk_buff *skb)
{
	return mlsdco_crypt(tfm, base_nonce, counter, skb, true);
}

int mlsdco_decrypt(struct crypto_aead *tfm, const u8 *base_nonce, u32 counter,
		   struct sk_buff *skb)
{
	return mlsdco_crypt(tfm, base_nonce, counter, skb, false);
}
