// SPDX-License-Identifier: MIT
/*
 * P-256 group law in Jacobian coordinates (a = -3) and scalar
 * multiplication. Formulas: dbl-2001-b, add-2007-bl, madd-2007-bl from the
 * Explicit-Formulas Database (hyperelliptic.org/EFD, g1p/
 * auto-shortw-jacobian-3).
 */
#include <pthread.h>
#include <string.h>

#include "crypto_internal.h"
#include "p256.h"

#define fe_mul mls_p256_fe_mul
#define fe_sqr mls_p256_fe_sqr
#define fe_add mls_p256_fe_add
#define fe_sub mls_p256_fe_sub
#define fe_is_zero mls_p256_fe_is_zero
#define fe_cmov mls_p256_fe_cmov

typedef struct mls_p256_jac jac;
typedef struct mls_p256_aff aff;

#define WINDOWS 64		/* 4-bit windows in a 256-bit scalar */

static const uint8_t GX[32] = {
	0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6,
	0xe5, 0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb,
	0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
};

static const uint8_t GY[32] = {
	0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb,
	0x4a, 0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31,
	0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
};

/*
 * base_table[w][j] = (j + 1) * 16^w * G, affine: k * G is then one mixed
 * addition per 4-bit window of k and no doubling. 60 KiB, written once
 * under pthread_once and read-only afterwards.
 */
static aff base_table[WINDOWS][15];
static pthread_once_t base_once = PTHREAD_ONCE_INIT;

static void set_infinity(jac *r)
{
	memcpy(r->x, mls_p256_fe_one, sizeof(r->x));
	memcpy(r->y, mls_p256_fe_one, sizeof(r->y));
	memset(r->z, 0, sizeof(r->z));
}

static void jac_cmov(jac *r, const jac *a, uint64_t mask)
{
	fe_cmov(r->x, a->x, mask);
	fe_cmov(r->y, a->y, mask);
	fe_cmov(r->z, a->z, mask);
}

static void fe_neg(mls_p256_fe r, const mls_p256_fe a)
{
	static const mls_p256_fe zero;

	fe_sub(r, zero, a);
}

void mls_p256_point_double(jac *r, const jac *a)
{
	mls_p256_fe delta, gamma, beta, beta4, alpha, t1, t2, x3, y3, z3;

	fe_sqr(delta, a->z);
	fe_sqr(gamma, a->y);
	fe_mul(beta, a->x, gamma);
	/* alpha = 3 (X - delta)(X + delta): this is where a = -3 is used */
	fe_sub(t1, a->x, delta);
	fe_add(t2, a->x, delta);
	fe_mul(t1, t1, t2);
	fe_add(alpha, t1, t1);
	fe_add(alpha, alpha, t1);

	fe_add(t1, a->y, a->z);
	fe_sqr(t1, t1);
	fe_sub(t1, t1, gamma);
	fe_sub(z3, t1, delta);

	fe_add(beta4, beta, beta);
	fe_add(beta4, beta4, beta4);
	fe_sqr(x3, alpha);
	fe_add(t2, beta4, beta4);
	fe_sub(x3, x3, t2);

	fe_sub(t1, beta4, x3);
	fe_mul(t1, alpha, t1);
	fe_sqr(t2, gamma);
	fe_add(t2, t2, t2);
	fe_add(t2, t2, t2);
	fe_add(t2, t2, t2);
	fe_sub(y3, t1, t2);

	memcpy(r->x, x3, sizeof(x3));
	memcpy(r->y, y3, sizeof(y3));
	memcpy(r->z, z3, sizeof(z3));
}

/*
 * Generic a + b. Wrong when a == b (same_x & same_y), or either is
 * infinity; gives Z = 0 (infinity) for a == -b. The callers patch up.
 */
static void add_generic(jac *r, const jac *a, const jac *b,
			uint64_t *same_x, uint64_t *same_y)
{
	mls_p256_fe z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t, x3, y3, z3;

	fe_sqr(z1z1, a->z);
	fe_sqr(z2z2, b->z);
	fe_mul(u1, a->x, z2z2);
	fe_mul(u2, b->x, z1z1);
	fe_mul(s1, a->y, b->z);
	fe_mul(s1, s1, z2z2);
	fe_mul(s2, b->y, a->z);
	fe_mul(s2, s2, z1z1);
	fe_sub(h, u2, u1);
	fe_sub(rr, s2, s1);
	*same_x = fe_is_zero(h);
	*same_y = fe_is_zero(rr);

	fe_add(i, h, h);
	fe_sqr(i, i);
	fe_mul(j, h, i);
	fe_add(rr, rr, rr);
	fe_mul(v, u1, i);

	fe_sqr(x3, rr);
	fe_sub(x3, x3, j);
	fe_sub(x3, x3, v);
	fe_sub(x3, x3, v);

	fe_sub(t, v, x3);
	fe_mul(y3, rr, t);
	fe_mul(t, s1, j);
	fe_add(t, t, t);
	fe_sub(y3, y3, t);

	fe_add(t, a->z, b->z);
	fe_sqr(t, t);
	fe_sub(t, t, z1z1);
	fe_sub(t, t, z2z2);
	fe_mul(z3, t, h);

	memcpy(r->x, x3, sizeof(x3));
	memcpy(r->y, y3, sizeof(y3));
	memcpy(r->z, z3, sizeof(z3));
}

void mls_p256_point_add(jac *r, const jac *a, const jac *b)
{
	uint64_t same_x, same_y, a_inf, b_inf;
	jac sum, dbl;

	a_inf = fe_is_zero(a->z);
	b_inf = fe_is_zero(b->z);
	add_generic(&sum, a, b, &same_x, &same_y);
	/* the doubling is always computed, so timing does not tell a == b */
	mls_p256_point_double(&dbl, a);
	jac_cmov(&sum, &dbl, same_x & same_y & ~a_inf & ~b_inf);
	jac_cmov(&sum, b, a_inf);
	jac_cmov(&sum, a, b_inf);
	*r = sum;
}

void mls_p256_point_add_vartime(jac *r, const jac *a, const jac *b)
{
	uint64_t same_x, same_y;
	jac sum;

	if (fe_is_zero(a->z)) {
		*r = *b;
		return;
	}
	if (fe_is_zero(b->z)) {
		*r = *a;
		return;
	}
	add_generic(&sum, a, b, &same_x, &same_y);
	if (same_x & same_y)
		mls_p256_point_double(r, a);
	else
		*r = sum;
}

/* a + b for affine b (never infinity); same contract as add_generic. */
static void madd_generic(jac *r, const jac *a, const aff *b,
			 uint64_t *same_x, uint64_t *same_y)
{
	mls_p256_fe z1z1, u2, s2, h, hh, i, j, rr, v, t, x3, y3, z3;

	fe_sqr(z1z1, a->z);
	fe_mul(u2, b->x, z1z1);
	fe_mul(s2, b->y, a->z);
	fe_mul(s2, s2, z1z1);
	fe_sub(h, u2, a->x);
	fe_sub(rr, s2, a->y);
	*same_x = fe_is_zero(h);
	*same_y = fe_is_zero(rr);

	fe_sqr(hh, h);
	fe_add(i, hh, hh);
	fe_add(i, i, i);
	fe_mul(j, h, i);
	fe_add(rr, rr, rr);
	fe_mul(v, a->x, i);

	fe_sqr(x3, rr);
	fe_sub(x3, x3, j);
	fe_sub(x3, x3, v);
	fe_sub(x3, x3, v);

	fe_sub(t, v, x3);
	fe_mul(y3, rr, t);
	fe_mul(t, a->y, j);
	fe_add(t, t, t);
	fe_sub(y3, y3, t);

	fe_add(t, a->z, h);
	fe_sqr(t, t);
	fe_sub(t, t, z1z1);
	fe_sub(z3, t, hh);

	memcpy(r->x, x3, sizeof(x3));
	memcpy(r->y, y3, sizeof(y3));
	memcpy(r->z, z3, sizeof(z3));
}

static void aff_to_jac(jac *r, const aff *a)
{
	memcpy(r->x, a->x, sizeof(r->x));
	memcpy(r->y, a->y, sizeof(r->y));
	memcpy(r->z, mls_p256_fe_one, sizeof(r->z));
}

/* Complete and constant time, like mls_p256_point_add. */
static void madd(jac *r, const jac *a, const aff *b)
{
	uint64_t same_x, same_y, a_inf;
	jac sum, dbl, bj;

	a_inf = fe_is_zero(a->z);
	madd_generic(&sum, a, b, &same_x, &same_y);
	mls_p256_point_double(&dbl, a);
	aff_to_jac(&bj, b);
	jac_cmov(&sum, &dbl, same_x & same_y & ~a_inf);
	jac_cmov(&sum, &bj, a_inf);
	*r = sum;
}

static void madd_vartime(jac *r, const jac *a, const aff *b)
{
	uint64_t same_x, same_y;
	jac sum;

	if (fe_is_zero(a->z)) {
		aff_to_jac(r, b);
		return;
	}
	madd_generic(&sum, a, b, &same_x, &same_y);
	if (same_x & same_y)
		mls_p256_point_double(r, a);
	else
		*r = sum;
}


static int on_curve(const mls_p256_fe x, const mls_p256_fe y)
{
	mls_p256_fe lhs, rhs, t;

	fe_sqr(lhs, y);
	fe_sqr(rhs, x);
	fe_mul(rhs, rhs, x);
	fe_add(t, x, x);
	fe_add(t, t, x);
	fe_sub(rhs, rhs, t);
	fe_add(rhs, rhs, mls_p256_fe_b);
	return memcmp(lhs, rhs, sizeof(lhs)) == 0;
}

/*
 * SEC1 2.3.4 for the uncompressed form only, plus the public key checks
 * of SP 800-56A 5.6.2.3.4: coordinates below p and on the curve. The point
 * at infinity has no 65-byte encoding, and P-256 has cofactor 1, so every
 * point that passes is in the prime-order group.
 */
int mls_p256_point_decode(jac *r, const uint8_t in[MLS_P256_POINT_LEN])
{
	jac q;

	if (in[0] != 0x04)
		return -1;
	if (mls_p256_fe_from_bytes(q.x, in + 1) ||
	    mls_p256_fe_from_bytes(q.y, in + 33))
		return -1;
	if (!on_curve(q.x, q.y))
		return -1;
	memcpy(q.z, mls_p256_fe_one, sizeof(q.z));
	*r = q;
	return 0;
}

void mls_p256_point_encode(uint8_t out[MLS_P256_POINT_LEN], const aff *a)
{
	out[0] = 0x04;
	mls_p256_fe_to_bytes(out + 1, a->x);
	mls_p256_fe_to_bytes(out + 33, a->y);
}

static void set_affine(aff *r, const jac *a, const mls_p256_fe zinv)
{
	mls_p256_fe zinv2;

	fe_sqr(zinv2, zinv);
	fe_mul(r->x, a->x, zinv2);
	fe_mul(zinv2, zinv2, zinv);
	fe_mul(r->y, a->y, zinv2);
}

/*
 * Branches on infinity only: for a secret-derived point that happens on
 * invalid input alone, and the caller reports it anyway.
 */
int mls_p256_point_to_affine(aff *r, const jac *a)
{
	mls_p256_fe zinv;

	if (fe_is_zero(a->z))
		return -1;
	mls_p256_fe_inv(zinv, a->z);
	set_affine(r, a, zinv);
	return 0;
}

/*
 * Montgomery's trick: one inversion for the whole row instead of one per
 * point. None of the points may be at infinity.
 */
static void row_to_affine(aff out[15], const jac in[15])
{
	mls_p256_fe prod[15], inv, zinv;
	int i;

	memcpy(prod[0], in[0].z, sizeof(prod[0]));
	for (i = 1; i < 15; i++)
		fe_mul(prod[i], prod[i - 1], in[i].z);
	mls_p256_fe_inv(inv, prod[14]);
	for (i = 14; i > 0; i--) {
		fe_mul(zinv, inv, prod[i - 1]);
		fe_mul(inv, inv, in[i].z);
		set_affine(&out[i], &in[i], zinv);
	}
	set_affine(&out[0], &in[0], inv);
}

static void build_base_table(void)
{
	jac row, acc[15];
	aff g;
	int w, j;

	/* the constants are canonical, so these cannot fail */
	mls_p256_fe_from_bytes(g.x, GX);
	mls_p256_fe_from_bytes(g.y, GY);
	aff_to_jac(&row, &g);
	for (w = 0; w < WINDOWS; w++) {
		acc[0] = row;
		for (j = 1; j < 15; j++)
			mls_p256_point_add_vartime(&acc[j], &acc[j - 1], &row);
		/* j * 16^w * G with 0 < j * 16^w < n: never infinity */
		row_to_affine(base_table[w], acc);
		for (j = 0; j < 4; j++)
			mls_p256_point_double(&row, &row);
	}
}

void mls_p256_init(void)
{
	pthread_once(&base_once, build_base_table);
}

static uint64_t scalar_window(const uint64_t k[4], int w)
{
	return (k[w / 16] >> ((w % 16) * 4)) & 15;
}

/* r = table[idx] by scanning every entry: the index is secret. */
static void select_jac(jac *r, const jac table[16], uint64_t idx)
{
	uint64_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < 16; i++)
		jac_cmov(r, &table[i], mls_p256_ct_eq(i, idx));
}

/* r = row[idx - 1], all zero for idx 0; full scan as above. */
static void select_aff(aff *r, const aff row[15], uint64_t idx)
{
	uint64_t i, mask;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < 15; i++) {
		mask = mls_p256_ct_eq(i + 1, idx);
		fe_cmov(r->x, row[i].x, mask);
		fe_cmov(r->y, row[i].y, mask);
	}
}

/*
 * Fixed 4-bit windows, most significant first: 252 doublings and 63
 * complete additions whatever k is.
 */
void mls_p256_point_mul(jac *r, const uint64_t k[4], const jac *p)
{
	jac table[16], acc, t;
	int i, w;

	set_infinity(&table[0]);
	table[1] = *p;
	for (i = 2; i < 16; i++) {
		if (i & 1)
			mls_p256_point_add(&table[i], &table[i - 1], p);
		else
			mls_p256_point_double(&table[i], &table[i / 2]);
	}
	select_jac(&acc, table, scalar_window(k, WINDOWS - 1));
	for (w = WINDOWS - 2; w >= 0; w--) {
		for (i = 0; i < 4; i++)
			mls_p256_point_double(&acc, &acc);
		select_jac(&t, table, scalar_window(k, w));
		mls_p256_point_add(&acc, &acc, &t);
	}
	*r = acc;
	/* partial sums give away the scalar's leading digits */
	mls_crypto_wipe(&acc, sizeof(acc));
	mls_crypto_wipe(&t, sizeof(t));
}

void mls_p256_point_mul_base(jac *r, const uint64_t k[4])
{
	jac acc, sum;
	aff t;
	uint64_t d;
	int w;

	mls_p256_init();
	set_infinity(&acc);
	for (w = 0; w < WINDOWS; w++) {
		d = scalar_window(k, w);
		select_aff(&t, base_table[w], d);
		madd(&sum, &acc, &t);
		/* a zero digit adds nothing: keep acc, without a branch */
		jac_cmov(&acc, &sum, ~mls_p256_ct_eq(d, 0));
	}
	*r = acc;
	mls_crypto_wipe(&acc, sizeof(acc));
	mls_crypto_wipe(&sum, sizeof(sum));
	mls_crypto_wipe(&t, sizeof(t));
	mls_crypto_wipe(&d, sizeof(d));
}

/* t (5 limbs) += v for a small signed v; the value stays non-negative. */
static void add_small(uint64_t t[5], int v)
{
	uint64_t add = (uint64_t)(v < 0 ? -v : v);
	int i;

	if (v >= 0) {
		for (i = 0; i < 5 && add; i++) {
			t[i] += add;
			add = t[i] < add;
		}
	} else {
		for (i = 0; i < 5 && add; i++) {
			uint64_t old = t[i];

			t[i] -= add;
			add = old < add;
		}
	}
}

/*
 * Width-5 NAF of a public scalar: digits odd in [-15, 15] or 0, at most
 * one non-zero in any 5 consecutive. Returns the digit count (<= 257).
 */
static int wnaf5(int8_t naf[257], const uint64_t k[4])
{
	uint64_t t[5] = { k[0], k[1], k[2], k[3], 0 };
	int len = 0, i, d;

	while (t[0] | t[1] | t[2] | t[3] | t[4]) {
		d = 0;
		if (t[0] & 1) {
			d = (int)(t[0] & 31);
			if (d >= 16)
				d -= 32;
			add_small(t, -d);
		}
		naf[len++] = (int8_t)d;
		for (i = 0; i < 4; i++)
			t[i] = (t[i] >> 1) | (t[i + 1] << 63);
		t[4] >>= 1;
	}
	return len;
}

static void add_naf_digit(jac *acc, const jac odd[8], int d)
{
	jac neg;

	if (d > 0) {
		mls_p256_point_add_vartime(acc, acc, &odd[d / 2]);
	} else if (d < 0) {
		neg = odd[-d / 2];
		fe_neg(neg.y, neg.y);
		mls_p256_point_add_vartime(acc, acc, &neg);
	}
}

void mls_p256_point_mul2_vartime(jac *r, const uint64_t u1[4],
				 const uint64_t u2[4], const jac *q)
{
	jac odd[8], q2, acc;
	int8_t naf[257];
	uint64_t d;
	int i, len;

	mls_p256_init();
	odd[0] = *q;
	mls_p256_point_double(&q2, q);
	for (i = 1; i < 8; i++)
		mls_p256_point_add_vartime(&odd[i], &odd[i - 1], &q2);

	set_infinity(&acc);
	len = wnaf5(naf, u2);
	for (i = len - 1; i >= 0; i--) {
		mls_p256_point_double(&acc, &acc);
		add_naf_digit(&acc, odd, naf[i]);
	}
	for (i = 0; i < WINDOWS; i++) {
		d = scalar_window(u1, i);
		if (d)
			madd_vartime(&acc, &acc, &base_table[i][d - 1]);
	}
	*r = acc;
}
