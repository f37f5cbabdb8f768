// SPDX-License-Identifier: MIT
/*
 * Our P-256 arithmetic (mls/src/p256*.c) against mbedTLS, which it
 * replaced for suite 2, and against published vectors: RFC 6979 A.2.5
 * (ECDSA, deterministic) and RFC 9180 A.3 (DHKEM(P-256)). The threads test
 * runs first, so that the lazily built tables are built under contention.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/asn1.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include "mls/crypto.h"

#include "../src/p256.h"

#define P256_SUITE MLS_SUITE_P256_AES128GCM_SHA256_P256
#define P384_SUITE MLS_SUITE_P384_AES256GCM_SHA384_P384

static const uint8_t ORDER[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
	0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

/* ---- helpers ----------------------------------------------------------- */

static const struct mls_suite *suite(uint16_t id)
{
	const struct mls_suite *s = mls_suite_get(id);

	assert_non_null(s);
	return s;
}

static void unhex(const char *hex, uint8_t *out, size_t len)
{
	size_t i;
	unsigned int v;

	assert_int_equal(strlen(hex), 2 * len);
	for (i = 0; i < len; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* Reproducible test randomness (splitmix64): failures can be replayed. */
static uint64_t rng_state = 0x6d6c7364636f2d32ULL;

static uint64_t next64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void random_bytes(uint8_t *out, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = (uint8_t)next64();
}

static int test_rng(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	random_bytes(out, len);
	return 0;
}

/* A uniformly random valid scalar (rejection against n). */
static void random_scalar(uint8_t k[32])
{
	do
		random_bytes(k, 32);
	while (memcmp(k, ORDER, 32) >= 0 || !(k[0] | k[31]));
}

static void load_p256(mbedtls_ecp_group *grp)
{
	mbedtls_ecp_group_init(grp);
	assert_int_equal(mbedtls_ecp_group_load(grp, MBEDTLS_ECP_DP_SECP256R1),
			 0);
}

/* The reference: mbedTLS computes d * P (P = G when pub is NULL). */
static void ref_mul(mbedtls_ecp_group *grp, const uint8_t d[32],
		    const uint8_t *pub, uint8_t out[65])
{
	mbedtls_ecp_point p, r;
	mbedtls_mpi m;
	size_t olen;

	mbedtls_ecp_point_init(&p);
	mbedtls_ecp_point_init(&r);
	mbedtls_mpi_init(&m);
	assert_int_equal(mbedtls_mpi_read_binary(&m, d, 32), 0);
	if (pub)
		assert_int_equal(mbedtls_ecp_point_read_binary(grp, &p, pub,
							       65), 0);
	else
		assert_int_equal(mbedtls_ecp_copy(&p, &grp->G), 0);
	assert_int_equal(mbedtls_ecp_mul(grp, &r, &m, &p, test_rng, NULL), 0);
	assert_int_equal(mbedtls_ecp_point_write_binary(
				 grp, &r, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
				 out, 65), 0);
	assert_int_equal(olen, 65);
	mbedtls_ecp_point_free(&p);
	mbedtls_ecp_point_free(&r);
	mbedtls_mpi_free(&m);
}

static void ref_sign(mbedtls_ecp_group *grp, const uint8_t d[32],
		     const uint8_t *msg, size_t msg_len, uint8_t *sig,
		     size_t *sig_len)
{
	mbedtls_ecdsa_context key;
	uint8_t hash[32];

	mbedtls_ecdsa_init(&key);
	assert_int_equal(mbedtls_ecp_group_copy(&key.grp, grp), 0);
	assert_int_equal(mbedtls_mpi_read_binary(&key.d, d, 32), 0);
	assert_int_equal(mbedtls_sha256_ret(msg, msg_len, hash, 0), 0);
	assert_int_equal(mbedtls_ecdsa_write_signature(&key, MBEDTLS_MD_SHA256,
						       hash, 32, sig, sig_len,
						       test_rng, NULL), 0);
	mbedtls_ecdsa_free(&key);
}

static int ref_verify(mbedtls_ecp_group *grp, const uint8_t pub[65],
		      const uint8_t *msg, size_t msg_len, const uint8_t *sig,
		      size_t sig_len)
{
	mbedtls_ecdsa_context key;
	uint8_t hash[32];
	int ret;

	mbedtls_ecdsa_init(&key);
	assert_int_equal(mbedtls_ecp_group_copy(&key.grp, grp), 0);
	assert_int_equal(mbedtls_ecp_point_read_binary(&key.grp, &key.Q, pub,
						       65), 0);
	assert_int_equal(mbedtls_sha256_ret(msg, msg_len, hash, 0), 0);
	ret = mbedtls_ecdsa_read_signature(&key, hash, 32, sig, sig_len);
	mbedtls_ecdsa_free(&key);
	return ret;
}

/* DER SEQUENCE { INTEGER r, INTEGER s } from 32-byte big-endian r, s. */
static size_t der_int(uint8_t *out, const uint8_t v[32])
{
	size_t skip = 0, n = 0;

	while (skip < 31 && v[skip] == 0)
		skip++;
	out[n++] = 0x02;
	out[n++] = (uint8_t)(32 - skip + (v[skip] >> 7));
	if (v[skip] & 0x80)
		out[n++] = 0;
	memcpy(out + n, v + skip, 32 - skip);
	return n + 32 - skip;
}

static size_t der_sig(uint8_t out[72], const uint8_t r[32],
		      const uint8_t s[32])
{
	size_t n = 2;

	n += der_int(out + n, r);
	n += der_int(out + n, s);
	out[0] = 0x30;
	out[1] = (uint8_t)(n - 2);
	return n;
}

/* ---- concurrency -------------------------------------------------------- */

struct thread_job {
	uint8_t d[32];
	uint8_t pub[65];	/* d * G per mbedTLS */
	uint8_t peer[65];
	uint8_t shared[65];	/* d * peer per mbedTLS */
	uint8_t msg[16];
	uint8_t sig[72];
	size_t sig_len;
	uint8_t p384_priv[48];
	uint8_t p384_pub[97];
	uint8_t p384_sig[104];	/* deterministic: must come out again */
	size_t p384_sig_len;
	int failures;
};

static void *thread_main(void *arg)
{
	struct thread_job *job = arg;
	const struct mls_suite *s2 = mls_suite_get(P256_SUITE);
	const struct mls_suite *s7 = mls_suite_get(P384_SUITE);
	uint8_t pub[97], out[32], sig[104];
	size_t sig_len;
	int i;

	for (i = 0; i < 20; i++) {
		if (mls_kem_pub_from_priv(s2, job->d, 32, pub) ||
		    memcmp(pub, job->pub, 65))
			job->failures++;
		if (mls_p256_dh(job->d, job->peer, out) ||
		    memcmp(out, job->shared + 1, 32))
			job->failures++;
		if (mls_sig_verify(s2, job->pub, 65, job->msg,
				   sizeof(job->msg), job->sig, job->sig_len))
			job->failures++;
		if (mls_sig_sign(NULL, s7, job->p384_priv, 48, job->msg,
				 sizeof(job->msg), sig, &sig_len) ||
		    sig_len != job->p384_sig_len ||
		    memcmp(sig, job->p384_sig, sig_len))
			job->failures++;
		if (mls_sig_verify(s7, job->p384_pub, 97, job->msg,
				   sizeof(job->msg), sig, sig_len))
			job->failures++;
	}
	return NULL;
}

static void prepare_p384(struct thread_job *job)
{
	mbedtls_ecdsa_context key;
	uint8_t hash[64];	/* SHA-384 output in a SHA-512-sized buffer */
	size_t olen;

	mbedtls_ecdsa_init(&key);
	assert_int_equal(mbedtls_ecdsa_genkey(&key, MBEDTLS_ECP_DP_SECP384R1,
					      test_rng, NULL), 0);
	assert_int_equal(mbedtls_mpi_write_binary(&key.d, job->p384_priv, 48),
			 0);
	assert_int_equal(mbedtls_ecp_point_write_binary(
				 &key.grp, &key.Q, MBEDTLS_ECP_PF_UNCOMPRESSED,
				 &olen, job->p384_pub, 97), 0);
	assert_int_equal(mbedtls_sha512_ret(job->msg, sizeof(job->msg), hash,
					    1), 0);
	assert_int_equal(mbedtls_ecdsa_write_signature(
				 &key, MBEDTLS_MD_SHA384, hash, 48,
				 job->p384_sig, &job->p384_sig_len, test_rng,
				 NULL), 0);
	mbedtls_ecdsa_free(&key);
}

/*
 * Two threads (the worker pool's size) share the tables and the cached
 * mbedTLS groups from a cold start; every answer is checked against one
 * computed by plain mbedTLS beforehand.
 */
static void test_threads_share_tables(void **state)
{
	struct thread_job jobs[2];
	pthread_t tid[2];
	mbedtls_ecp_group grp;
	uint8_t peer_d[32];
	int i;

	load_p256(&grp);
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < 2; i++) {
		random_scalar(jobs[i].d);
		random_scalar(peer_d);
		ref_mul(&grp, jobs[i].d, NULL, jobs[i].pub);
		ref_mul(&grp, peer_d, NULL, jobs[i].peer);
		ref_mul(&grp, jobs[i].d, jobs[i].peer, jobs[i].shared);
		random_bytes(jobs[i].msg, sizeof(jobs[i].msg));
		ref_sign(&grp, jobs[i].d, jobs[i].msg, sizeof(jobs[i].msg),
			 jobs[i].sig, &jobs[i].sig_len);
		prepare_p384(&jobs[i]);
	}
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&tid[i], NULL, thread_main,
						&jobs[i]), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(tid[i], NULL), 0);
		assert_int_equal(jobs[i].failures, 0);
	}
	mbedtls_ecp_group_free(&grp);
}

/* ---- differential tests against mbedTLS ------------------------------- */

static void test_pub_from_priv_matches_mbedtls(void **state)
{
	const struct mls_suite *s = suite(P256_SUITE);
	uint8_t d[32], mine[65], ref[65];
	mbedtls_ecp_group grp;
	int i;

	load_p256(&grp);
	for (i = 0; i < 1500; i++) {
		random_scalar(d);
		/* sparse scalars: whole windows of zero digits */
		if (i % 10 == 1)
			memset(d, 0, 16 + i % 15);
		if (i % 10 == 2)
			memset(d + 16, 0, 16);
		if (!(d[0] | d[31]))
			d[31] = 1;
		assert_int_equal(mls_kem_pub_from_priv(s, d, 32, mine), 0);
		ref_mul(&grp, d, NULL, ref);
		assert_memory_equal(mine, ref, 65);
		assert_int_equal(mls_sig_pub_from_priv(s, d, 32, mine), 0);
		assert_memory_equal(mine, ref, 65);
	}
	mbedtls_ecp_group_free(&grp);
}

static void test_ecdh_matches_mbedtls(void **state)
{
	uint8_t da[32], db[32], pa[65], pb[65], ref[65], ab[32], ba[32];
	mbedtls_ecp_group grp;
	int i;

	load_p256(&grp);
	for (i = 0; i < 500; i++) {
		random_scalar(da);
		random_scalar(db);
		if (i % 7 == 3)
			memset(da, 0, 20);
		ref_mul(&grp, da, NULL, pa);
		ref_mul(&grp, db, NULL, pb);
		assert_int_equal(mls_p256_dh(da, pb, ab), 0);
		assert_int_equal(mls_p256_dh(db, pa, ba), 0);
		ref_mul(&grp, da, pb, ref);
		assert_memory_equal(ab, ref + 1, 32);
		assert_memory_equal(ab, ba, 32);
	}
	mbedtls_ecp_group_free(&grp);
}

static void flip_and_expect(const uint8_t *pub, const uint8_t *msg,
			    size_t msg_len, uint8_t *sig, size_t sig_len,
			    size_t byte, int expect)
{
	const struct mls_suite *s = suite(P256_SUITE);

	sig[byte] ^= 0x01;
	assert_int_equal(mls_sig_verify(s, pub, 65, msg, msg_len, sig,
					sig_len), expect);
	sig[byte] ^= 0x01;
}

static void test_sign_verify_both_ways(void **state)
{
	const struct mls_suite *s = suite(P256_SUITE);
	uint8_t d[32], d2[32], pub[65], pub2[65], msg[40];
	uint8_t mine[72], ref[72];
	size_t mine_len, ref_len, r_len;
	mbedtls_ecp_group grp;
	int i;

	load_p256(&grp);
	for (i = 0; i < 300; i++) {
		random_scalar(d);
		random_scalar(d2);
		random_bytes(msg, sizeof(msg));
		ref_mul(&grp, d, NULL, pub);
		ref_mul(&grp, d2, NULL, pub2);
		ref_sign(&grp, d, msg, sizeof(msg), ref, &ref_len);
		assert_int_equal(mls_sig_sign(NULL, s, d, 32, msg, sizeof(msg),
					      mine, &mine_len), 0);
		/* RFC 6979: the same nonce, so the same bytes */
		assert_int_equal(mine_len, ref_len);
		assert_memory_equal(mine, ref, ref_len);
		assert_int_equal(ref_verify(&grp, pub, msg, sizeof(msg), mine,
					    mine_len), 0);
		assert_int_equal(mls_sig_verify(s, pub, 65, msg, sizeof(msg),
						ref, ref_len), 0);

		/* a flipped bit in msg, r, s, or another key */
		msg[i % sizeof(msg)] ^= 0x80;
		assert_int_equal(mls_sig_verify(s, pub, 65, msg, sizeof(msg),
						ref, ref_len),
				 MLS_ERR_BAD_SIGNATURE);
		msg[i % sizeof(msg)] ^= 0x80;
		r_len = ref[3];
		flip_and_expect(pub, msg, sizeof(msg), ref, ref_len,
				4 + i % r_len, MLS_ERR_BAD_SIGNATURE);
		flip_and_expect(pub, msg, sizeof(msg), ref, ref_len,
				ref_len - 1 - i % 20, MLS_ERR_BAD_SIGNATURE);
		assert_int_equal(mls_sig_verify(s, pub2, 65, msg, sizeof(msg),
						ref, ref_len),
				 MLS_ERR_BAD_SIGNATURE);
		/* a flipped bit in the key leaves the curve */
		pub[1 + i % 64] ^= 0x04;
		assert_int_equal(mls_sig_verify(s, pub, 65, msg, sizeof(msg),
						ref, ref_len), MLS_ERR_BAD_KEY);
		pub[1 + i % 64] ^= 0x04;
	}
	mbedtls_ecp_group_free(&grp);
}

/* Signatures built by hand with r or s outside [1, n-1]. */
static void test_verify_rejects_out_of_range(void **state)
{
	const struct mls_suite *s = suite(P256_SUITE);
	static const uint8_t msg[] = "range";
	uint8_t d[32], pub[65], sig[72], good[72], r[32], sv[32], zero[32];
	uint8_t big[32], near[32];
	size_t len, good_len;
	mbedtls_ecp_group grp;

	load_p256(&grp);
	random_scalar(d);
	ref_mul(&grp, d, NULL, pub);
	ref_sign(&grp, d, msg, sizeof(msg), good, &good_len);
	assert_int_equal(mls_sig_verify(s, pub, 65, msg, sizeof(msg), good,
					good_len), 0);
	/* take r and s back out of the DER */
	{
		unsigned char *p = good + 2;
		mbedtls_mpi mr, ms;

		mbedtls_mpi_init(&mr);
		mbedtls_mpi_init(&ms);
		assert_int_equal(mbedtls_asn1_get_mpi(&p, good + good_len, &mr),
				 0);
		assert_int_equal(mbedtls_asn1_get_mpi(&p, good + good_len, &ms),
				 0);
		assert_int_equal(mbedtls_mpi_write_binary(&mr, r, 32), 0);
		assert_int_equal(mbedtls_mpi_write_binary(&ms, sv, 32), 0);
		mbedtls_mpi_free(&mr);
		mbedtls_mpi_free(&ms);
	}
	len = der_sig(sig, r, sv);
	assert_int_equal(len, good_len);
	assert_memory_equal(sig, good, len);

	memset(zero, 0, sizeof(zero));
	memset(big, 0xff, sizeof(big));
	memcpy(near, ORDER, 32);
	near[31] += 1;		/* n + 1 */
	len = der_sig(sig, zero, sv);
	assert_int_equal(mls_sig_verify(s, pub, 65, msg, sizeof(msg), sig, len),
			 MLS_ERR_BAD_SIGNATURE);
	len = der_sig(sig, r, zero);
	assert_int_equal(mls_sig_verify(s, pub, 65, msg, sizeof(msg), sig, len),
			 MLS_ERR_BAD_SIGNATURE);
	len = der_sig(sig, ORDER, sv);
	assert_int_equal(mls_sig_verify(s, pub, 65, msg, sizeof(msg), sig, len),
			 MLS_ERR_BAD_SIGNATURE);
	len = der_sig(sig, r, ORDER);
	assert_int_equal(mls_sig_verify(s, pub, 65, msg, sizeof(msg), sig, len),
			 MLS_ERR_BAD_SIGNATURE);
	len = der_sig(sig, r, near);
	assert_int_equal(mls_sig_verify(s, pub, 65, msg, sizeof(msg), sig, len),
			 MLS_ERR_BAD_SIGNATURE);
	len = der_sig(sig, big, sv);
	assert_int_equal(mls_sig_verify(s, pub, 65, msg, sizeof(msg), sig, len),
			 MLS_ERR_BAD_SIGNATURE);
	/* r = 2^256: 33 bytes of integer */
	sig[0] = 0x30;
	sig[2] = 0x02;
	sig[3] = 33;
	sig[4] = 0x01;
	memset(sig + 5, 0, 32);
	len = 5 + 32 + der_int(sig + 5 + 32, sv);
	sig[1] = (uint8_t)(len - 2);
	assert_int_equal(mls_sig_verify(s, pub, 65, msg, sizeof(msg), sig, len),
			 MLS_ERR_BAD_SIGNATURE);
	/* and mbedTLS agrees on every one of them being bad */
	len = der_sig(sig, r, near);
	assert_int_not_equal(ref_verify(&grp, pub, msg, sizeof(msg), sig, len),
			     0);
	mbedtls_ecp_group_free(&grp);
}

/* ---- edges -------------------------------------------------------------- */

#define GX_HEX \
	"6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
#define GY_HEX \
	"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
/* p - Gy: the y of -G = (n-1) G */
#define NGY_HEX \
	"b01cbd1c01e58065711814b583f061e9d431cca994cea1313449bf97c840ae0a"

static void test_scalar_edges(void **state)
{
	const struct mls_suite *s = suite(P256_SUITE);
	uint8_t k[32], pub[65], expect[65];

	memset(k, 0, sizeof(k));
	assert_int_equal(mls_kem_validate_priv(s, k, 32), MLS_ERR_BAD_KEY);
	assert_int_equal(mls_kem_pub_from_priv(s, k, 32, pub),
			 MLS_ERR_BAD_KEY);
	k[31] = 1;
	expect[0] = 0x04;
	unhex(GX_HEX, expect + 1, 32);
	unhex(GY_HEX, expect + 33, 32);
	assert_int_equal(mls_kem_pub_from_priv(s, k, 32, pub), 0);
	assert_memory_equal(pub, expect, 65);

	memcpy(k, ORDER, 32);
	assert_int_equal(mls_kem_validate_priv(s, k, 32), MLS_ERR_BAD_KEY);
	assert_int_equal(mls_sig_pub_from_priv(s, k, 32, pub),
			 MLS_ERR_BAD_KEY);
	assert_int_equal(mls_p256_dh(k, expect, pub + 1), MLS_ERR_BAD_KEY);
	k[31] -= 1;		/* n - 1 */
	assert_int_equal(mls_kem_validate_priv(s, k, 32), 0);
	assert_int_equal(mls_kem_pub_from_priv(s, k, 32, pub), 0);
	unhex(NGY_HEX, expect + 33, 32);
	assert_memory_equal(pub, expect, 65);
	memset(k, 0xff, sizeof(k));
	assert_int_equal(mls_kem_validate_priv(s, k, 32), MLS_ERR_BAD_KEY);
	assert_int_equal(mls_kem_validate_priv(s, k, 31), MLS_ERR_BAD_KEY);
}

/*
 * (0, Y0) is on P-256; (p, Y0) is the same point with a non-canonical x,
 * which SEC1 2.3.4 says to reject.
 */
#define P_HEX \
	"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"
#define Y0_HEX \
	"66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4"

static void test_point_validation(void **state)
{
	const struct mls_suite *s = suite(P256_SUITE);
	static const uint8_t zero[32];
	uint8_t pt[66], d[32], out[32];
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;

	load_p256(&grp);
	mbedtls_ecp_point_init(&q);
	pt[0] = 0x04;
	memset(pt + 1, 0, 32);
	unhex(Y0_HEX, pt + 33, 32);
	assert_int_equal(mls_kem_validate_pub(s, pt, 65), 0);
	assert_int_equal(mbedtls_ecp_point_read_binary(&grp, &q, pt, 65), 0);
	assert_int_equal(mbedtls_ecp_check_pubkey(&grp, &q), 0);

	unhex(P_HEX, pt + 1, 32);
	assert_int_equal(mls_kem_validate_pub(s, pt, 65), MLS_ERR_BAD_KEY);
	assert_int_equal(mls_sig_validate_pub(s, pt, 65), MLS_ERR_BAD_KEY);
	/* y = p */
	unhex(GX_HEX, pt + 1, 32);
	unhex(P_HEX, pt + 33, 32);
	assert_int_equal(mls_kem_validate_pub(s, pt, 65), MLS_ERR_BAD_KEY);
	/* G with y + 1: off the curve */
	unhex(GY_HEX, pt + 33, 32);
	assert_int_equal(mls_kem_validate_pub(s, pt, 65), 0);
	pt[64] ^= 1;
	assert_int_equal(mls_kem_validate_pub(s, pt, 65), MLS_ERR_BAD_KEY);
	random_scalar(d);
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(mls_p256_dh(d, pt, out), MLS_ERR_BAD_KEY);
	assert_memory_equal(out, zero, 32);	/* wiped, not left stale */
	/* compressed forms, the infinity byte, other lengths */
	pt[64] ^= 1;
	pt[0] = 0x02;
	assert_int_equal(mls_kem_validate_pub(s, pt, 33), MLS_ERR_BAD_KEY);
	assert_int_equal(mls_kem_validate_pub(s, pt, 65), MLS_ERR_BAD_KEY);
	pt[0] = 0x00;
	assert_int_equal(mls_kem_validate_pub(s, pt, 1), MLS_ERR_BAD_KEY);
	assert_int_equal(mls_kem_validate_pub(s, pt, 65), MLS_ERR_BAD_KEY);
	pt[0] = 0x04;
	assert_int_equal(mls_kem_validate_pub(s, pt, 65), 0);
	assert_int_equal(mls_kem_validate_pub(s, pt, 64), MLS_ERR_BAD_KEY);
	assert_int_equal(mls_kem_validate_pub(s, pt, 66), MLS_ERR_BAD_KEY);
	memset(pt + 1, 0, 64);
	assert_int_equal(mls_kem_validate_pub(s, pt, 65), MLS_ERR_BAD_KEY);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
}

/* The group law's special cases, through the internal API. */
static void test_group_law_edges(void **state)
{
	static const uint64_t n_limbs[4] = {
		0xf3b9cac2fc632551ULL, 0xbce6faada7179e84ULL,
		0xffffffffffffffffULL, 0xffffffff00000000ULL,
	};
	uint64_t k[4] = { 1, 0, 0, 0 }, two[4] = { 2, 0, 0, 0 };
	struct mls_p256_jac g, t, u, neg;
	struct mls_p256_aff a, b;
	uint8_t enc[65], expect[65];

	expect[0] = 0x04;
	unhex(GX_HEX, expect + 1, 32);
	unhex(GY_HEX, expect + 33, 32);
	assert_int_equal(mls_p256_point_decode(&g, expect), 0);

	/* n * G, through both multipliers: infinity */
	mls_p256_point_mul(&t, n_limbs, &g);
	assert_int_equal(mls_p256_point_to_affine(&a, &t), -1);
	mls_p256_point_mul_base(&t, n_limbs);
	assert_int_equal(mls_p256_point_to_affine(&a, &t), -1);
	mls_p256_point_mul2_vartime(&t, n_limbs, k, &g);	/* (n+1) G */
	assert_int_equal(mls_p256_point_to_affine(&a, &t), 0);
	mls_p256_point_encode(enc, &a);
	assert_memory_equal(enc, expect, 65);

	/* G + G is 2G, G + (-G) infinity, infinity + G is G */
	mls_p256_point_add(&t, &g, &g);
	mls_p256_point_mul(&u, two, &g);
	assert_int_equal(mls_p256_point_to_affine(&a, &t), 0);
	assert_int_equal(mls_p256_point_to_affine(&b, &u), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	mls_p256_point_add_vartime(&t, &g, &g);
	assert_int_equal(mls_p256_point_to_affine(&a, &t), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	mls_p256_point_mul(&neg, (const uint64_t[4]){ n_limbs[0] - 1,
						      n_limbs[1], n_limbs[2],
						      n_limbs[3] }, &g);
	mls_p256_point_add(&t, &g, &neg);
	assert_int_equal(mls_p256_point_to_affine(&a, &t), -1);
	mls_p256_point_add_vartime(&u, &neg, &g);
	assert_int_equal(mls_p256_point_to_affine(&a, &u), -1);
	mls_p256_point_add(&u, &t, &g);
	assert_int_equal(mls_p256_point_to_affine(&a, &u), 0);
	mls_p256_point_encode(enc, &a);
	assert_memory_equal(enc, expect, 65);
}

/* ---- published vectors -------------------------------------------------- */

/* RFC 6979 A.2.5: P-256 key, SHA-256 signatures of "sample" and "test". */
#define RFC6979_X \
	"c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"
#define RFC6979_UX \
	"60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
#define RFC6979_UY \
	"7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"

static const struct {
	const char *msg;
	const char *r;
	const char *s;
} rfc6979_sigs[] = {
	{ "sample",
	  "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716",
	  "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8" },
	{ "test",
	  "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367",
	  "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083" },
};

static void test_rfc6979_vectors(void **state)
{
	const struct mls_suite *s = suite(P256_SUITE);
	uint8_t x[32], pub[65], expect[65], r[32], sv[32], der[72], sig[72];
	size_t i, der_len, sig_len;

	unhex(RFC6979_X, x, 32);
	expect[0] = 0x04;
	unhex(RFC6979_UX, expect + 1, 32);
	unhex(RFC6979_UY, expect + 33, 32);
	assert_int_equal(mls_sig_pub_from_priv(s, x, 32, pub), 0);
	assert_memory_equal(pub, expect, 65);

	for (i = 0; i < sizeof(rfc6979_sigs) / sizeof(rfc6979_sigs[0]); i++) {
		const uint8_t *msg = (const uint8_t *)rfc6979_sigs[i].msg;
		size_t msg_len = strlen(rfc6979_sigs[i].msg);

		unhex(rfc6979_sigs[i].r, r, 32);
		unhex(rfc6979_sigs[i].s, sv, 32);
		der_len = der_sig(der, r, sv);
		assert_int_equal(mls_sig_verify(s, expect, 65, msg, msg_len,
						der, der_len), 0);
		assert_int_equal(mls_sig_sign(NULL, s, x, 32, msg, msg_len, sig,
					      &sig_len), 0);
		assert_int_equal(sig_len, der_len);
		assert_memory_equal(sig, der, der_len);
		assert_int_equal(mls_sig_verify(s, expect, 65, msg,
						msg_len - 1, der, der_len),
				 MLS_ERR_BAD_SIGNATURE);
	}
}

/*
 * RFC 9180 DHKEM(P-256, HKDF-SHA256) base/psk/auth/auth-psk vectors
 * (A.3; the cfrg/draft-irtf-cfrg-hpke test-vectors.json).
 */
static const struct {
	const char *ikm_e, *sk_e, *pk_e, *ikm_r, *sk_r, *pk_r, *shared;
} dhkem_vectors[] = {
	{ "4270e54ffd08d79d5928020af4686d8f6b7d35dbe470265f1f5aa22816ce860e",
	  "4995788ef4b9d6132b249ce59a77281493eb39af373d236a1fe415cb0c2d7beb",
	  "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b325ac9"
	  "8536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4",
	  "668b37171f1072f3cf12ea8a236a45df23fc13b82af3609ad1e354f6ef817550",
	  "f3ce7fdae57e1a310d87f1ebbde6f328be0a99cdbcadf4d6589cf29de4b8ffd2",
	  "04fe8c19ce0905191ebc298a9245792531f26f0cece2460639e8bc39cb7f706a82"
	  "6a779b4cf969b8a0e539c7f62fb3d30ad6aa8f80e30f1d128aafd68a2ce72ea0",
	  "c0d26aeab536609a572b07695d933b589dcf363ff9d93c93adea537aeabb8cb8" },
	{ "2afa611d8b1a7b321c761b483b6a053579afa4f767450d3ad0f84a39fda587a6",
	  "57427244f6cc016cddf1c19c8973b4060aa13579b4c067fd5d93a5d74e32a90f",
	  "04305d35563527bce037773d79a13deabed0e8e7cde61eecee403496959e89e4d0"
	  "ca701726696d1485137ccb5341b3c1c7aaee90a4a02449725e744b1193b53b5f",
	  "d42ef874c1913d9568c9405407c805baddaffd0898a00f1e84e154fa787b2429",
	  "438d8bcef33b89e0e9ae5eb0957c353c25a94584b0dd59c991372a75b43cb661",
	  "040d97419ae99f13007a93996648b2674e5260a8ebd2b822e84899cd52d87446ea"
	  "394ca76223b76639eccdf00e1967db10ade37db4e7db476261fcc8df97c5ffd1",
	  "2e783ad86a1beae03b5749e0f3f5e9bb19cb7eb382f2fb2dd64c99f15ae0661b" },
	{ "798d82a8d9ea19dbc7f2c6dfa54e8a6706f7cdc119db0813dacf8440ab37c857",
	  "6b8de0873aed0c1b2d09b8c7ed54cbf24fdf1dfc7a47fa501f918810642d7b91",
	  "042224f3ea800f7ec55c03f29fc9865f6ee27004f818fcbdc6dc68932c1e52e15b"
	  "79e264a98f2c535ef06745f3d308624414153b22c7332bc1e691cb4af4d53454",
	  "7bc93bde8890d1fb55220e7f3b0c107ae7e6eda35ca4040bb6651284bf0747ee",
	  "d929ab4be2e59f6954d6bedd93e638f02d4046cef21115b00cdda2acb2a4440e",
	  "04423e363e1cd54ce7b7573110ac121399acbc9ed815fae03b72ffbd4c18b01836"
	  "835c5a09513f28fc971b7266cfde2e96afe84bb0f266920e82c4f53b36e1a78d",
	  NULL },
	{ "3c1fceb477ec954c8d58ef3249e4bb4c38241b5925b95f7486e4d9f1d0d35fbb",
	  "36f771e411cf9cf72f0701ef2b991ce9743645b472e835fe234fb4d6eb2ff5a0",
	  "046a1de3fc26a3d43f4e4ba97dbe24f7e99181136129c48fbe872d4743e2b13135"
	  "7ed4f29a7b317dc22509c7b00991ae990bf65f8b236700c82ab7c11a84511401",
	  "abcc2da5b3fa81d8aabd91f7f800a8ccf60ec37b1b585a5d1d1ac77f258b6cca",
	  "bdf4e2e587afdf0930644a0c45053889ebcadeca662d7c755a353d5b4e2a8394",
	  "04d824d7e897897c172ac8a9e862e4bd820133b8d090a9b188b8233a64dfbc5f72"
	  "5aa0aa52c8462ab7c9188f1c4872f0c99087a867e8a773a13df48a627058e1b3",
	  NULL },
};

static void test_rfc9180_dhkem_vectors(void **state)
{
	const struct mls_suite *s = suite(P256_SUITE);
	uint8_t ikm[32], sk[32], pk[65], expect_sk[32], expect_pk[65];
	uint8_t shared[32], expect_shared[32], dh1[32], dh2[32], sk_r[32];
	uint8_t pk_e[65];
	size_t i;

	for (i = 0; i < sizeof(dhkem_vectors) / sizeof(dhkem_vectors[0]); i++) {
		unhex(dhkem_vectors[i].ikm_e, ikm, 32);
		unhex(dhkem_vectors[i].sk_e, expect_sk, 32);
		unhex(dhkem_vectors[i].pk_e, expect_pk, 65);
		assert_int_equal(mls_kem_derive_keypair(s, ikm, 32, sk, pk), 0);
		assert_memory_equal(sk, expect_sk, 32);
		assert_memory_equal(pk, expect_pk, 65);
		memcpy(pk_e, pk, 65);

		unhex(dhkem_vectors[i].ikm_r, ikm, 32);
		unhex(dhkem_vectors[i].sk_r, expect_sk, 32);
		unhex(dhkem_vectors[i].pk_r, expect_pk, 65);
		assert_int_equal(mls_kem_derive_keypair(s, ikm, 32, sk_r, pk),
				 0);
		assert_memory_equal(sk_r, expect_sk, 32);
		assert_memory_equal(pk, expect_pk, 65);

		/* both ends of the DH agree */
		unhex(dhkem_vectors[i].sk_e, sk, 32);
		assert_int_equal(mls_p256_dh(sk, pk, dh1), 0);
		assert_int_equal(mls_p256_dh(sk_r, pk_e, dh2), 0);
		assert_memory_equal(dh1, dh2, 32);
		if (!dhkem_vectors[i].shared)
			continue;	/* auth modes mix in a second DH */
		unhex(dhkem_vectors[i].shared, expect_shared, 32);
		assert_int_equal(mls_kem_decap(s, pk_e, 65, sk_r, 32, shared),
				 0);
		assert_memory_equal(shared, expect_shared, 32);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_share_tables),
		cmocka_unit_test(test_pub_from_priv_matches_mbedtls),
		cmocka_unit_test(test_ecdh_matches_mbedtls),
		cmocka_unit_test(test_sign_verify_both_ways),
		cmocka_unit_test(test_verify_rejects_out_of_range),
		cmocka_unit_test(test_scalar_edges),
		cmocka_unit_test(test_point_validation),
		cmocka_unit_test(test_group_law_edges),
		cmocka_unit_test(test_rfc6979_vectors),
		cmocka_unit_test(test_rfc9180_dhkem_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
