/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AEAD of mlsdco packets through the kernel crypto API.
 */

#ifndef _MLSDCO_CRYPTO_H
#define _MLSDCO_CRYPTO_H

#include <linux/atomic.h>
#include <linux/types.h>

struct crypto_aead;
struct sk_buff;

#define MLSDCO_NONCE_BYTES	12

unsigned int mlsdco_aead_key_len(u32 aead);
struct crypto_aead *mlsdco_aead_new(u32 aead, const u8 *key);
void mlsdco_aead_free(struct crypto_aead *tfm);
/* Both return 0, an error (the caller still owns @skb), or -EINPROGRESS:
 * the implementation went async and will free @skb (it counts as dropped).
 * @pending counts the requests in flight on @tfm, so that the owner of
 * @tfm frees it only once they are done (epoch.c).
 */
int mlsdco_encrypt(struct crypto_aead *tfm, const u8 *base_nonce, u32 counter,
		   struct sk_buff *skb, atomic_t *pending);
int mlsdco_decrypt(struct crypto_aead *tfm, const u8 *base_nonce, u32 counter,
		   struct sk_buff *skb, atomic_t *pending);

void mlsdco_crypto_uninit(void);

#endif /* _MLSDCO_CRYPTO_H */
