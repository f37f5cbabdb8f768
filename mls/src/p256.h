/* SPDX-License-Identifier: MIT */
/*
 * Our own P-256 (secp256r1, FIPS 186-4 D.1.2.3): mbedTLS 2.28's generic
 * bignum ECC is ten times too slow for TreeKEM on large groups.
 *
 * Field elements are 4 little-endian 64-bit limbs in Montgomery form
 * (a * 2^256 mod p), always fully reduced, so equality is limb equality.
 * Everything that touches a private scalar is constant time: no branch and
 * no memory index depends on secret data; selections go through masks.
 * Functions named *_vartime only ever see public data (ECDSA verify).
 *
 * After mls_p256_init() (idempotent, thread safe) nothing here writes to
 * static storage, so any number of threads may call in concurrently.
 */
#ifndef MLS_P256_H
#define MLS_P256_H

#include <stddef.h>
#include <stdint.h>

#define MLS_P256_SCALAR_LEN 32
#define MLS_P256_POINT_LEN 65	/* 0x04 || X || Y */

typedef uint64_t mls_p256_fe[4];

/* Jacobian (X/Z^2, Y/Z^3); Z == 0 is the point at infinity. */
struct mls_p256_jac {
	mls_p256_fe x, y, z;
};

struct mls_p256_aff {
	mls_p256_fe x, y;
};

/* Field arithmetic mod p (p256_field.c). */
extern const mls_p256_fe mls_p256_fe_one;	/* Montgomery 1 */
extern const mls_p256_fe mls_p256_fe_b;		/* curve b, Montgomery */

void mls_p256_fe_mul(mls_p256_fe r, const mls_p256_fe a, const mls_p256_fe b);
void mls_p256_fe_sqr(mls_p256_fe r, const mls_p256_fe a);
void mls_p256_fe_inv(mls_p256_fe r, const mls_p256_fe a);
void mls_p256_limbs_from_be(uint64_t out[4], const uint8_t in[32]);
/* Big-endian bytes to Montgomery form; -1 (r untouched) when in >= p. */
int mls_p256_fe_from_bytes(mls_p256_fe r, const uint8_t in[32]);
void mls_p256_fe_to_bytes(uint8_t out[32], const mls_p256_fe a);

/* Scalars (p256_scalar.c): 4 little-endian limbs, not Montgomery. */
/* All-ones when 1 <= k <= n-1, else 0; constant time. */
uint64_t mls_p256_scalar_from_bytes(uint64_t k[4], const uint8_t in[32]);
/* Mod n: r = a * b for b < n; r = a^-1 for 0 < a < n. */
void mls_p256_scalar_mul(uint64_t r[4], const uint64_t a[4],
			 const uint64_t b[4]);
void mls_p256_scalar_inv(uint64_t r[4], const uint64_t a[4]);
/* r = a mod n, for any 256-bit a */
void mls_p256_scalar_reduce(uint64_t r[4], const uint64_t a[4]);

/*
 * The cheap field operations are inline: a point addition makes a dozen
 * of them, and a call each costs as much as the work.
 */
typedef unsigned __int128 mls_p256_u128;

/* All-ones when a == b, else 0, without a branch. */
static inline uint64_t mls_p256_ct_eq(uint64_t a, uint64_t b)
{
	uint64_t x = a ^ b;

	return ((x | (0 - x)) >> 63) - 1;
}

/* All-ones when a == 0, else 0. */
static inline uint64_t mls_p256_fe_is_zero(const mls_p256_fe a)
{
	return mls_p256_ct_eq(a[0] | a[1] | a[2] | a[3], 0);
}

/* r = mask ? a : r, for mask 0 or all-ones. */
static inline void mls_p256_fe_cmov(mls_p256_fe r, const mls_p256_fe a,
				    uint64_t mask)
{
	r[0] = (r[0] & ~mask) | (a[0] & mask);
	r[1] = (r[1] & ~mask) | (a[1] & mask);
	r[2] = (r[2] & ~mask) | (a[2] & mask);
	r[3] = (r[3] & ~mask) | (a[3] & mask);
}

/* out = a - b - borrow_in over one limb; returns the borrow out. */
static inline uint64_t mls_p256_sbb(uint64_t *out, uint64_t a, uint64_t b,
				    uint64_t borrow)
{
	mls_p256_u128 d = (mls_p256_u128)a - b - borrow;

	*out = (uint64_t)d;
	return (uint64_t)(d >> 64) & 1;
}

static inline uint64_t mls_p256_adc(uint64_t *out, uint64_t a, uint64_t b,
				    uint64_t carry)
{
	mls_p256_u128 s = (mls_p256_u128)a + b + carry;

	*out = (uint64_t)s;
	return (uint64_t)(s >> 64);
}

/*
 * r = (carry:t) mod p for (carry:t) < 2p: subtract p, keep t when that
 * borrowed past the carry, chosen by mask rather than branch.
 */
static inline void mls_p256_fe_reduce_once(mls_p256_fe r, const uint64_t t[4],
					   uint64_t carry)
{
	uint64_t d[4], b, keep;

	b = mls_p256_sbb(&d[0], t[0], 0xffffffffffffffffULL, 0);
	b = mls_p256_sbb(&d[1], t[1], 0x00000000ffffffffULL, b);
	b = mls_p256_sbb(&d[2], t[2], 0, b);
	b = mls_p256_sbb(&d[3], t[3], 0xffffffff00000001ULL, b);
	keep = 0 - (b & (carry ^ 1));
	r[0] = (t[0] & keep) | (d[0] & ~keep);
	r[1] = (t[1] & keep) | (d[1] & ~keep);
	r[2] = (t[2] & keep) | (d[2] & ~keep);
	r[3] = (t[3] & keep) | (d[3] & ~keep);
}

static inline void mls_p256_fe_add(mls_p256_fe r, const mls_p256_fe a,
				   const mls_p256_fe b)
{
	uint64_t t[4], c;

	c = mls_p256_adc(&t[0], a[0], b[0], 0);
	c = mls_p256_adc(&t[1], a[1], b[1], c);
	c = mls_p256_adc(&t[2], a[2], b[2], c);
	c = mls_p256_adc(&t[3], a[3], b[3], c);
	mls_p256_fe_reduce_once(r, t, c);
}

/* a - b, plus p (masked) when that went negative. */
static inline void mls_p256_fe_sub(mls_p256_fe r, const mls_p256_fe a,
				   const mls_p256_fe b)
{
	uint64_t t[4], m, c;

	m = mls_p256_sbb(&t[0], a[0], b[0], 0);
	m = mls_p256_sbb(&t[1], a[1], b[1], m);
	m = mls_p256_sbb(&t[2], a[2], b[2], m);
	m = 0 - mls_p256_sbb(&t[3], a[3], b[3], m);
	c = mls_p256_adc(&r[0], t[0], m, 0);
	c = mls_p256_adc(&r[1], t[1], m & 0x00000000ffffffffULL, c);
	c = mls_p256_adc(&r[2], t[2], 0, c);
	mls_p256_adc(&r[3], t[3], m & 0xffffffff00000001ULL, c);
}

/* Group law (p256_point.c). */
void mls_p256_init(void);
void mls_p256_point_double(struct mls_p256_jac *r,
			   const struct mls_p256_jac *a);
/* Complete: handles a == b, a == -b and infinity, in constant time. */
void mls_p256_point_add(struct mls_p256_jac *r, const struct mls_p256_jac *a,
			const struct mls_p256_jac *b);
void mls_p256_point_add_vartime(struct mls_p256_jac *r,
				const struct mls_p256_jac *a,
				const struct mls_p256_jac *b);
/* r = k * p, constant time in k (k may be secret, p is any point). */
void mls_p256_point_mul(struct mls_p256_jac *r, const uint64_t k[4],
			const struct mls_p256_jac *p);
/* r = k * G, constant time in k. */
void mls_p256_point_mul_base(struct mls_p256_jac *r, const uint64_t k[4]);
/* r = u1 * G + u2 * q, public inputs only (ECDSA verify). */
void mls_p256_point_mul2_vartime(struct mls_p256_jac *r, const uint64_t u1[4],
				 const uint64_t u2[4],
				 const struct mls_p256_jac *q);
/* -1 for the point at infinity. */
int mls_p256_point_to_affine(struct mls_p256_aff *r,
			     const struct mls_p256_jac *a);
/* 0x04||X||Y with X, Y < p and on the curve; -1 otherwise. */
int mls_p256_point_decode(struct mls_p256_jac *r,
			  const uint8_t in[MLS_P256_POINT_LEN]);
void mls_p256_point_encode(uint8_t out[MLS_P256_POINT_LEN],
			   const struct mls_p256_aff *a);

/* Key operations (p256_key.c); MLS_ERR_* codes. */
int mls_p256_check_scalar(const uint8_t priv[MLS_P256_SCALAR_LEN]);
int mls_p256_check_point(const uint8_t pub[MLS_P256_POINT_LEN]);
int mls_p256_pub_from_scalar(const uint8_t priv[MLS_P256_SCALAR_LEN],
			     uint8_t pub[MLS_P256_POINT_LEN]);
/* ECDH x-coordinate (RFC 9180 §7.1.1 / SEC1 3.3.1). */
int mls_p256_dh(const uint8_t priv[MLS_P256_SCALAR_LEN],
		const uint8_t pub[MLS_P256_POINT_LEN], uint8_t out[32]);

/*
 * ECDSA verification (p256_ecdsa.c) of big-endian r and s: 0,
 * MLS_ERR_BAD_KEY or MLS_ERR_BAD_SIGNATURE (also for r or s outside
 * [1, n-1]).
 */
int mls_p256_ecdsa_verify(const uint8_t pub[MLS_P256_POINT_LEN],
			  const uint8_t *hash, size_t hash_len,
			  const uint8_t r[MLS_P256_SCALAR_LEN],
			  const uint8_t s[MLS_P256_SCALAR_LEN]);

#endif
