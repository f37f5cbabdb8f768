// SPDX-License-Identifier: MIT
/*
 * Arithmetic mod p = 2^256 - 2^224 + 2^192 + 2^96 - 1 in Montgomery form
 * (R = 2^256). Straight-line code over fixed limb counts: the only
 * data-dependent choices are masks, never branches or memory indexes.
 */
#include <string.h>

#include "p256.h"

typedef mls_p256_u128 u128;

/* -O2 keeps these short loops rolled; unrolled, fe_mul is 1.5x faster */
#define UNROLL4 _Pragma("GCC unroll 4")

static const uint64_t P[4] = {
	0xffffffffffffffffULL, 0x00000000ffffffffULL,
	0x0000000000000000ULL, 0xffffffff00000001ULL,
};

/* R^2 mod p: multiplying by it enters Montgomery form. */
static const mls_p256_fe RR = {
	0x0000000000000003ULL, 0xfffffffbffffffffULL,
	0xfffffffffffffffeULL, 0x00000004fffffffdULL,
};

const mls_p256_fe mls_p256_fe_one = {
	0x0000000000000001ULL, 0xffffffff00000000ULL,
	0xffffffffffffffffULL, 0x00000000fffffffeULL,
};

/* b = 0x5ac635d8...27d2604b times R mod p */
const mls_p256_fe mls_p256_fe_b = {
	0xd89cdf6229c4bddfULL, 0xacf005cd78843090ULL,
	0xe5a220abf7212ed6ULL, 0xdc30061d04874834ULL,
};

/* out = a - m over 4 limbs; returns the borrow (0 or 1). */
static uint64_t sub4(uint64_t out[4], const uint64_t a[4],
		     const uint64_t m[4])
{
	uint64_t borrow = 0;
	int i;

	UNROLL4
	for (i = 0; i < 4; i++)
		borrow = mls_p256_sbb(&out[i], a[i], m[i], borrow);
	return borrow;
}

/*
 * Montgomery reduction of a 512-bit t < p * 2^256 to t / 2^256 mod p.
 * -p^-1 mod 2^64 is 1 (p's low limb is all ones), so each round's quotient
 * digit m is simply the lowest limb, and p's shape makes m * p cheap:
 * limb 0 of m*p + t cancels to a carry of m, limbs 1 and 2 add m * 2^32,
 * and only limb 3 (2^64 - 2^32 + 1) needs a real multiplication.
 */
static void mont_reduce(mls_p256_fe r, uint64_t t[8])
{
	uint64_t top = 0, m, c;
	u128 acc;
	int i, j;

	UNROLL4
	for (i = 0; i < 4; i++) {
		m = t[i];
		acc = (u128)t[i + 1] + ((u128)m << 32);
		t[i + 1] = (uint64_t)acc;
		acc = (u128)t[i + 2] + (uint64_t)(acc >> 64);
		t[i + 2] = (uint64_t)acc;
		acc = (u128)m * P[3] + t[i + 3] + (uint64_t)(acc >> 64);
		t[i + 3] = (uint64_t)acc;
		c = (uint64_t)(acc >> 64);
		UNROLL4
		for (j = i + 4; j < 8; j++)
			c = mls_p256_adc(&t[j], t[j], 0, c);
		top += c;
	}
	/* t[4..7] + top * 2^256 < 2p */
	mls_p256_fe_reduce_once(r, t + 4, top);
}

void mls_p256_fe_mul(mls_p256_fe r, const mls_p256_fe a, const mls_p256_fe b)
{
	uint64_t t[8] = { 0 }, c;
	u128 acc;
	int i, j;

	UNROLL4
	for (i = 0; i < 4; i++) {
		c = 0;
		UNROLL4
		for (j = 0; j < 4; j++) {
			acc = (u128)a[j] * b[i] + t[i + j] + c;
			t[i + j] = (uint64_t)acc;
			c = (uint64_t)(acc >> 64);
		}
		t[i + 4] = c;
	}
	mont_reduce(r, t);
}

/* Cross products once, doubled, plus the squares: 10 multiplications. */
void mls_p256_fe_sqr(mls_p256_fe r, const mls_p256_fe a)
{
	uint64_t t[8] = { 0 }, c;
	u128 acc;
	int i, j;

	UNROLL4
	for (i = 0; i < 4; i++) {
		c = 0;
		UNROLL4
		for (j = i + 1; j < 4; j++) {
			acc = (u128)a[i] * a[j] + t[i + j] + c;
			t[i + j] = (uint64_t)acc;
			c = (uint64_t)(acc >> 64);
		}
		t[i + 4] = c;
	}
	_Pragma("GCC unroll 8")
	for (i = 7; i > 0; i--)
		t[i] = (t[i] << 1) | (t[i - 1] >> 63);
	c = 0;
	UNROLL4
	for (i = 0; i < 4; i++) {
		acc = (u128)a[i] * a[i] + t[2 * i] + c;
		t[2 * i] = (uint64_t)acc;
		acc = (u128)t[2 * i + 1] + (uint64_t)(acc >> 64);
		t[2 * i + 1] = (uint64_t)acc;
		c = (uint64_t)(acc >> 64);
	}
	mont_reduce(r, t);
}

/*
 * Fermat: a^(p-2). The exponent is a public constant, so walking its bits
 * with a branch leaks nothing about a. Maps 0 to 0.
 */
void mls_p256_fe_inv(mls_p256_fe r, const mls_p256_fe a)
{
	static const uint64_t e[4] = {
		0xfffffffffffffffdULL, 0x00000000ffffffffULL,
		0x0000000000000000ULL, 0xffffffff00000001ULL,
	};
	mls_p256_fe x;
	int i;

	memcpy(x, mls_p256_fe_one, sizeof(x));
	for (i = 255; i >= 0; i--) {
		mls_p256_fe_sqr(x, x);
		if ((e[i / 64] >> (i % 64)) & 1)
			mls_p256_fe_mul(x, x, a);
	}
	memcpy(r, x, sizeof(x));
}

void mls_p256_limbs_from_be(uint64_t out[4], const uint8_t in[32])
{
	int i, j;

	for (i = 0; i < 4; i++) {
		uint64_t v = 0;

		for (j = 0; j < 8; j++)
			v = (v << 8) | in[(3 - i) * 8 + j];
		out[i] = v;
	}
}

int mls_p256_fe_from_bytes(mls_p256_fe r, const uint8_t in[32])
{
	uint64_t t[4], d[4];

	mls_p256_limbs_from_be(t, in);
	/* coordinates are public: a branch on "x >= p" is fine */
	if (!sub4(d, t, P))
		return -1;
	mls_p256_fe_mul(r, t, RR);
	return 0;
}

void mls_p256_fe_to_bytes(uint8_t out[32], const mls_p256_fe a)
{
	static const mls_p256_fe plain_one = { 1, 0, 0, 0 };
	mls_p256_fe t;
	int i, j;

	mls_p256_fe_mul(t, a, plain_one);
	for (i = 0; i < 4; i++)
		for (j = 0; j < 8; j++)
			out[(3 - i) * 8 + j] = (uint8_t)(t[i] >> (56 - 8 * j));
}
