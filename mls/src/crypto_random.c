// SPDX-License-Identifier: MIT
/* Randomness source plumbing and small shared utilities. */
#include <errno.h>
#include <sys/random.h>

#include <mbedtls/platform_util.h>

#include "crypto_internal.h"

static int os_random(void *ctx, uint8_t *out, size_t len)
{
	ssize_t n;

	(void)ctx;
	while (len > 0) {
		n = getrandom(out, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return MLS_ERR_RANDOM;
		}
		out += n;
		len -= (size_t)n;
	}
	return 0;
}

void mls_crypto_init(struct mls_crypto *c)
{
	c->random = os_random;
	c->random_ctx = NULL;
}

void mls_crypto_set_random(struct mls_crypto *c, mls_random_fn fn, void *ctx)
{
	c->random = fn ? fn : os_random;
	c->random_ctx = fn ? ctx : NULL;
}

int mls_crypto_random(const struct mls_crypto *c, void *out, size_t len)
{
	int ret;

	if (!out && len)
		return MLS_ERR_INVALID_ARG;
	if (!c || !c->random)
		return os_random(NULL, out, len);
	ret = c->random(c->random_ctx, out, len);
	/* A callback's own error codes are not ours to leak upward. */
	return ret ? MLS_ERR_RANDOM : 0;
}

int mls_crypto_mbedtls_rng(void *p_rng, unsigned char *out, size_t len)
{
	/* mbedTLS only needs "nonzero means failure". */
	return mls_crypto_random(p_rng, out, len) ? -1 : 0;
}

bool mls_ct_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t diff = 0;
	size_t i;

	for (i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

void mls_crypto_wipe(void *p, size_t len)
{
	if (p && len)
		mbedtls_platform_zeroize(p, len);
}
