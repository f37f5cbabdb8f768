// SPDX-License-Identifier: MIT
/*
 * Scalars mod the group order n: the range check of private keys
 * (constant time), and for ECDSA verification Montgomery multiplication
 * (R = 2^256) and inversion by Fermat, which only ever see public values.
 */
#include <string.h>

#include "p256.h"

typedef mls_p256_u128 u128;

#define UNROLL4 _Pragma("GCC unroll 4")

static const uint64_t N[4] = {
	0xf3b9cac2fc632551ULL, 0xbce6faada7179e84ULL,
	0xffffffffffffffffULL, 0xffffffff00000000ULL,
};

/* -n^-1 mod 2^64 */
#define N0INV 0xccd1c8aaee00bc4fULL

/* R^2 mod n, to enter Montgomery form */
static const uint64_t RRN[4] = {
	0x83244c95be79eea2ULL, 0x4699799c49bd6fa6ULL,
	0x2845b2392b6bec59ULL, 0x66e12d94f3d95620ULL,
};

/* (carry:t) mod n for (carry:t) < 2n */
static void reduce_once_n(uint64_t r[4], const uint64_t t[4], uint64_t carry)
{
	uint64_t d[4], b = 0, keep;
	int i;

	UNROLL4
	for (i = 0; i < 4; i++)
		b = mls_p256_sbb(&d[i], t[i], N[i], b);
	keep = 0 - (b & (carry ^ 1));
	UNROLL4
	for (i = 0; i < 4; i++)
		r[i] = (t[i] & keep) | (d[i] & ~keep);
}

/* a * b / R mod n (CIOS), for a * b < n * R. */
static void mont_mul_n(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t t[5] = { 0 }, hi, m, c;
	u128 acc;
	int i, j;

	UNROLL4
	for (i = 0; i < 4; i++) {
		c = 0;
		UNROLL4
		for (j = 0; j < 4; j++) {
			acc = (u128)a[j] * b[i] + t[j] + c;
			t[j] = (uint64_t)acc;
			c = (uint64_t)(acc >> 64);
		}
		acc = (u128)t[4] + c;
		t[4] = (uint64_t)acc;
		hi = (uint64_t)(acc >> 64);

		m = t[0] * N0INV;
		acc = (u128)m * N[0] + t[0];
		c = (uint64_t)(acc >> 64);
		UNROLL4
		for (j = 1; j < 4; j++) {
			acc = (u128)m * N[j] + t[j] + c;
			t[j - 1] = (uint64_t)acc;
			c = (uint64_t)(acc >> 64);
		}
		acc = (u128)t[4] + c;
		t[3] = (uint64_t)acc;
		t[4] = hi + (uint64_t)(acc >> 64);
	}
	reduce_once_n(r, t, t[4]);
}

void mls_p256_scalar_mul(uint64_t r[4], const uint64_t a[4],
			 const uint64_t b[4])
{
	uint64_t t[4];

	/* (a b / R) R^2 / R = a b; a < 2^256 is fine as b < n */
	mont_mul_n(t, a, b);
	mont_mul_n(r, t, RRN);
}

/* a^(n-2) = a^-1 mod n; the exponent is public, a is below n. */
void mls_p256_scalar_inv(uint64_t r[4], const uint64_t a[4])
{
	static const uint64_t e[4] = {
		0xf3b9cac2fc63254fULL, 0xbce6faada7179e84ULL,
		0xffffffffffffffffULL, 0xffffffff00000000ULL,
	};
	static const uint64_t one[4] = { 1, 0, 0, 0 };
	uint64_t am[4], x[4];
	int i;

	mont_mul_n(am, a, RRN);
	memcpy(x, am, sizeof(x));	/* the top bit of n-2 is set */
	for (i = 254; i >= 0; i--) {
		mont_mul_n(x, x, x);
		if ((e[i / 64] >> (i % 64)) & 1)
			mont_mul_n(x, x, am);
	}
	mont_mul_n(r, x, one);
}

uint64_t mls_p256_scalar_from_bytes(uint64_t k[4], const uint8_t in[32])
{
	uint64_t d[4], below_n = 0;
	int i;

	mls_p256_limbs_from_be(k, in);
	UNROLL4
	for (i = 0; i < 4; i++)
		below_n = mls_p256_sbb(&d[i], k[i], N[i], below_n);
	return (0 - below_n) & ~mls_p256_fe_is_zero(k);
}

void mls_p256_scalar_reduce(uint64_t r[4], const uint64_t a[4])
{
	reduce_once_n(r, a, 0);
}
