// SPDX-License-Identifier: GPL-2.0-only
/*
 * One AEAD transform per key. Packets are linear when they get here
 * (send.c, receive.c), so one scatterlist entry covers
 * header (AAD) || payload || tag and the cipher works in place.
 *
 * The request, nonce and scatterlist live in a per-CPU scratch buffer
 * rather than a per-packet allocation: both paths run with bottom halves
 * off, so one CPU never has two requests in flight at once. The buffer
 * is wiped after every packet, so no key-dependent state (GHASH or
 * Poly1305 accumulators, counter blocks) outlives the packet that made
 * it, whichever key that was.
 */

#include <crypto/aead.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/mlsdco.h>
#include <linux/percpu.h>
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
	/* ASYNC is allowed: on x86 the AES-NI/PCLMUL GCM is only offered
	 * behind the SIMD wrapper, which is flagged async. It runs inline
	 * when the FPU is usable, but defers to cryptd when it is not
	 * (!crypto_simd_usable(): a softirq that interrupted a kernel FPU
	 * section) or when cryptd already queued a request of this tfm. A
	 * sync-only mask would get the gcm template over one-block
	 * aes-aesni calls and table-driven GHASH, several times slower. So
	 * async requests do happen, rarely: mlsdco_crypt_async_done drops
	 * their packet, and the key's owner does not free the transform
	 * while one is in flight (@pending of mlsdco_crypt).
	 */
	tfm = crypto_alloc_aead(name, 0, 0);
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

/**
 * struct mlsdco_crypt_scratch - what one AEAD call needs, per CPU
 * @skb: the packet, freed by the completion if the request goes async
 * @pending: the key owner's count of requests in flight, for async ones
 * @req_size: bytes usable at @req (request header and context)
 * @nonce: per-packet nonce; the request points to it
 * @sg: the packet in one entry; the request points to it
 * @req: the request, its context after it (last: variable size)
 */
struct mlsdco_crypt_scratch {
	struct sk_buff *skb;
	atomic_t *pending;
	unsigned int req_size;
	u8 nonce[MLSDCO_NONCE_BYTES];
	struct scatterlist sg;
	struct aead_request req CRYPTO_MINALIGN_ATTR;
};

static DEFINE_PER_CPU(struct mlsdco_crypt_scratch *, mlsdco_scratch);

/* Requests handed to an async implementation and not completed yet. */
static atomic_t mlsdco_crypt_in_flight = ATOMIC_INIT(0);

static void mlsdco_scratch_free(struct mlsdco_crypt_scratch *s)
{
	if (s)
		kfree_sensitive(s);
}

/* This CPU's scratch, (re)allocated when missing or too small for @tfm. */
static struct mlsdco_crypt_scratch *mlsdco_scratch_get(struct crypto_aead *tfm)
{
	unsigned int need = sizeof(struct aead_request) +
			    crypto_aead_reqsize(tfm);
	struct mlsdco_crypt_scratch *s = this_cpu_read(mlsdco_scratch);

	if (likely(s && s->req_size >= need))
		return s;
	mlsdco_scratch_free(s);
	this_cpu_write(mlsdco_scratch, NULL);
	s = kzalloc(offsetof(struct mlsdco_crypt_scratch, req) + need,
		    GFP_ATOMIC);
	if (!s)
		return NULL;
	s->req_size = need;
	this_cpu_write(mlsdco_scratch, s);
	return s;
}

static void mlsdco_scratch_wipe(struct mlsdco_crypt_scratch *s)
{
	memzero_explicit(s->nonce, sizeof(s->nonce));
	memzero_explicit(&s->req, s->req_size);
	s->skb = NULL;
}

/*
 * An async implementation (the SIMD wrapper deferring to cryptd when the
 * FPU was busy) finished a request: by then its CPU has moved on, so the
 * packet is dropped and the scratch, which went with the request, freed.
 * Continuing the packet here would need the device, group and member
 * pinned across the request as well; dropping needs only the key, and
 * the sender's retransmission or the next packet recovers.
 * The key may be freed once @pending is decremented: nothing of it is
 * touched after that.
 */
static void mlsdco_crypt_async_done(crypto_completion_data_t *data, int err)
{
	struct mlsdco_crypt_scratch *s = crypto_get_completion_data(data);
	atomic_t *pending = s->pending;

	kfree_skb(s->skb);
	mlsdco_scratch_free(s);
	atomic_dec(pending);
	atomic_dec(&mlsdco_crypt_in_flight);
}

static int mlsdco_crypt(struct crypto_aead *tfm, const u8 *base_nonce,
			u32 counter, struct sk_buff *skb, atomic_t *pending,
			bool enc)
{
	struct mlsdco_crypt_scratch *s;
	unsigned int cryptlen;
	int err;

	if (skb_is_nonlinear(skb) || skb->len < MLSDCO_HDR_LEN +
	    (enc ? 0 : MLSDCO_AUTH_TAG_LEN))
		return -EINVAL;

	s = mlsdco_scratch_get(tfm);
	if (!s)
		return -ENOMEM;
	s->skb = skb;
	s->pending = pending;
	mlsdco_make_nonce(s->nonce, base_nonce, counter);
	/* On encrypt skb->len already includes the room for the tag. */
	cryptlen = skb->len - MLSDCO_HDR_LEN - (enc ? MLSDCO_AUTH_TAG_LEN : 0);
	sg_init_one(&s->sg, skb->data, skb->len);
	aead_request_set_tfm(&s->req, tfm);
	/* No MAY_BACKLOG: a full queue fails at once and keeps the scratch. */
	aead_request_set_callback(&s->req, 0, mlsdco_crypt_async_done, s);
	aead_request_set_crypt(&s->req, &s->sg, &s->sg, cryptlen, s->nonce);
	aead_request_set_ad(&s->req, MLSDCO_HDR_LEN);
	err = enc ? crypto_aead_encrypt(&s->req) : crypto_aead_decrypt(&s->req);
	if (err == -EINPROGRESS || err == -EBUSY) {
		/* The request owns the scratch and the packet now. */
		this_cpu_write(mlsdco_scratch, NULL);
		/* The completion may already have run (and gone below 0):
		 * the caller's RCU read section keeps the key's owner from
		 * looking at @pending until after this increment.
		 */
		atomic_inc(pending);
		atomic_inc(&mlsdco_crypt_in_flight);
		return -EINPROGRESS;
	}
	mlsdco_scratch_wipe(s);
	return err;
}

int mlsdco_encrypt(struct crypto_aead *tfm, const u8 *base_nonce, u32 counter,
		   struct sk_buff *skb, atomic_t *pending)
{
	return mlsdco_crypt(tfm, base_nonce, counter, skb, pending, true);
}

int mlsdco_decrypt(struct crypto_aead *tfm, const u8 *base_nonce, u32 counter,
		   struct sk_buff *skb, atomic_t *pending)
{
	return mlsdco_crypt(tfm, base_nonce, counter, skb, pending, false);
}

/*
 * Called once every device is gone (no packet path can run): waits for
 * async completions, which run code of this module, then frees the
 * per-CPU scratch buffers.
 */
void mlsdco_crypto_uninit(void)
{
	int cpu;

	while (atomic_read(&mlsdco_crypt_in_flight))
		msleep(20);
	for_each_possible_cpu(cpu) {
		mlsdco_scratch_free(per_cpu(mlsdco_scratch, cpu));
		per_cpu(mlsdco_scratch, cpu) = NULL;
	}
}
