// SPDX-License-Identifier: MIT
/*
 * Welcome (RFC 9420 §12.4.3.1): a committer builds a Welcome for a fresh
 * KeyPackage, it crosses the wire encoding, and the joiner must land on
 * the committer's epoch secrets. Each kind of tampering must fail with its
 * own error and leave the output all zero.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mls/messages.h"
#include "mls/welcome.h"

enum tamper {
	TAMPER_NONE,
	TAMPER_CONFIRMATION_TAG,	/* signed and encrypted, but wrong */
	TAMPER_SIGNATURE,		/* one signature byte flipped */
};

struct member {
	uint8_t init_priv[MLS_MAX_KEM_PRIV_LEN];
	struct mls_bytes kp;		/* encoded KeyPackage */
};

struct fixture {
	const struct mls_suite *s;
	uint8_t sig_priv[MLS_MAX_SIG_PRIV_LEN];
	uint8_t sig_pub[MLS_MAX_SIG_PUB_LEN];
	struct member joiner;
	struct mls_epoch_secrets epoch;	/* the committer's */
	struct mls_group_context gc;
	struct mls_bytes confirmation_tag;
	struct mls_bytes welcome;	/* encoded Welcome */
	/* optional extras in GroupSecrets */
	bool with_path_secret;
	bool with_psk;
	struct mls_psk_id psk_id;
	uint8_t psk[32];
};

static const uint8_t path_secret[] = "a path secret for the joiner";

static int fill_bytes(struct mls_bytes *b, uint8_t v, size_t len)
{
	uint8_t buf[MLS_MAX_SIG_PUB_LEN];

	assert_true(len <= sizeof(buf));
	memset(buf, v, sizeof(buf));
	return mls_bytes_set(b, buf, len);
}

static void make_member(const struct mls_suite *s, struct member *m)
{
	uint8_t init_pub[MLS_MAX_KEM_PUB_LEN], enc_pub[MLS_MAX_KEM_PUB_LEN];
	uint8_t tmp[MLS_MAX_KEM_PRIV_LEN];
	struct mls_key_package kp;

	memset(&kp, 0, sizeof(kp));
	assert_int_equal(mls_kem_generate_keypair(NULL, s, m->init_priv,
						  init_pub), 0);
	assert_int_equal(mls_kem_generate_keypair(NULL, s, tmp, enc_pub), 0);
	kp.version = MLS_PROTOCOL_MLS10;
	kp.cipher_suite = s->id;
	assert_int_equal(mls_bytes_set(&kp.init_key, init_pub,
				       s->kem_pub_len), 0);
	assert_int_equal(mls_bytes_set(&kp.leaf_node.encryption_key, enc_pub,
				       s->kem_pub_len), 0);
	assert_int_equal(fill_bytes(&kp.leaf_node.signature_key, 0x5a,
				    s->sig_pub_len), 0);
	kp.leaf_node.credential.type = MLS_CREDENTIAL_BASIC;
	assert_int_equal(mls_bytes_set(&kp.leaf_node.credential.identity,
				       "joiner", 6), 0);
	kp.leaf_node.source = MLS_LEAF_SOURCE_KEY_PACKAGE;
	kp.leaf_node.lifetime.not_after = UINT64_MAX;
	/* KeyPackage signatures are the DS's and joiner's business, not ours */
	assert_int_equal(fill_bytes(&kp.leaf_node.signature, 0x01, 8), 0);
	assert_int_equal(fill_bytes(&kp.signature, 0x02, 8), 0);
	assert_int_equal(mls_key_package_to_bytes(&kp, &m->kp), 0);
	mls_key_package_free(&kp);
	mls_wipe(tmp, sizeof(tmp));
}

static void make_group_context(struct fixture *f)
{
	memset(&f->gc, 0, sizeof(f->gc));
	f->gc.version = MLS_PROTOCOL_MLS10;
	f->gc.cipher_suite = f->s->id;
	f->gc.epoch = 7;
	assert_int_equal(mls_bytes_set(&f->gc.group_id, "group", 5), 0);
	assert_int_equal(fill_bytes(&f->gc.tree_hash, 0x11, f->s->hash_len),
			 0);
	assert_int_equal(fill_bytes(&f->gc.confirmed_transcript_hash, 0x22,
				    f->s->hash_len), 0);
}

static void make_psk(struct fixture *f, uint8_t *psk_secret)
{
	struct mls_psk psk = { &f->psk_id, f->psk, sizeof(f->psk) };

	memset(&f->psk_id, 0, sizeof(f->psk_id));
	f->psk_id.psktype = MLS_PSK_EXTERNAL;
	assert_int_equal(mls_bytes_set(&f->psk_id.psk_id, "ext", 3), 0);
	assert_int_equal(fill_bytes(&f->psk_id.psk_nonce, 0x33,
				    f->s->hash_len), 0);
	memset(f->psk, 0x44, sizeof(f->psk));
	assert_int_equal(mls_psk_secret(f->s, &psk, 1, psk_secret), 0);
}

static void make_group_info(struct fixture *f, enum tamper t,
			    struct mls_group_info *gi)
{
	struct mls_bytes gc_bytes = { NULL, 0 };
	const struct mls_suite *s = f->s;
	uint8_t tag[MLS_MAX_HASH_LEN];

	memset(gi, 0, sizeof(*gi));
	assert_int_equal(mls_confirmation_tag(&f->epoch,
				f->gc.confirmed_transcript_hash.data,
				f->gc.confirmed_transcript_hash.len, tag), 0);
	if (t == TAMPER_CONFIRMATION_TAG)
		tag[3] ^= 0x01;
	assert_int_equal(mls_bytes_set(&f->confirmation_tag, tag,
				       s->hash_len), 0);
	assert_int_equal(mls_group_context_to_bytes(&f->gc, &gc_bytes), 0);
	assert_int_equal(mls_group_context_from_bytes(gc_bytes.data,
						      gc_bytes.len,
						      &gi->group_context), 0);
	mls_bytes_free(&gc_bytes);
	assert_int_equal(mls_bytes_dup(&gi->confirmation_tag,
				       &f->confirmation_tag), 0);
	gi->signer = 3;
	assert_int_equal(mls_group_info_sign(NULL, s, gi, f->sig_priv,
					     s->sig_priv_len), 0);
	if (t == TAMPER_SIGNATURE)
		gi->signature.data[gi->signature.len / 2] ^= 0x40;
}

static void make_welcome(struct fixture *f, const struct mls_epoch_join *j,
			 enum tamper t)
{
	struct mls_group_secrets gs;
	struct mls_group_info gi;
	struct mls_welcome w;

	make_group_info(f, t, &gi);
	memset(&gs, 0, sizeof(gs));
	assert_int_equal(mls_bytes_set(&gs.joiner_secret, j->joiner_secret,
				       f->s->hash_len), 0);
	if (f->with_path_secret) {
		gs.has_path_secret = true;
		assert_int_equal(mls_bytes_set(&gs.path_secret, path_secret,
					       sizeof(path_secret)), 0);
	}
	if (f->with_psk) {
		gs.psks.items = &f->psk_id;
		gs.psks.count = 1;
	}
	assert_int_equal(mls_welcome_init(f->s, j->welcome_secret, &gi, &w),
			 0);
	assert_int_equal(mls_welcome_add_member(NULL, f->s, &w,
						f->joiner.kp.data,
						f->joiner.kp.len, &gs), 0);
	assert_int_equal(mls_welcome_to_bytes(&w, &f->welcome), 0);
	gs.psks.items = NULL;
	gs.psks.count = 0;
	mls_group_secrets_free(&gs);
	mls_group_info_free(&gi);
	mls_welcome_free(&w);
}

static void setup_fixture(struct fixture *f, uint16_t suite, enum tamper t)
{
	uint8_t init_secret[MLS_MAX_HASH_LEN], psk_secret[MLS_MAX_HASH_LEN];
	struct mls_epoch_join j;
	bool path = f->with_path_secret, psk = f->with_psk;

	memset(f, 0, sizeof(*f));
	f->with_path_secret = path;
	f->with_psk = psk;
	f->s = mls_suite_get(suite);
	assert_non_null(f->s);
	assert_int_equal(mls_sig_generate_keypair(NULL, f->s, f->sig_priv,
						  f->sig_pub), 0);
	make_member(f->s, &f->joiner);
	make_group_context(f);
	if (f->with_psk)
		make_psk(f, psk_secret);
	assert_int_equal(mls_crypto_random(NULL, init_secret,
					   f->s->hash_len), 0);
	assert_int_equal(mls_key_schedule_advance(f->s, init_secret, NULL,
				f->with_psk ? psk_secret : NULL, &f->gc,
				&f->epoch, &j), 0);
	make_welcome(f, &j, t);
	mls_epoch_join_wipe(&j);
}

static void teardown_fixture(struct fixture *f)
{
	mls_bytes_free(&f->joiner.kp);
	mls_epoch_secrets_free(&f->epoch);
	mls_group_context_free(&f->gc);
	mls_bytes_free(&f->confirmation_tag);
	mls_bytes_free(&f->welcome);
	mls_psk_id_free(&f->psk_id);
}

static int fixture_signer_key(void *ctx, const struct mls_group_info *gi,
			      const uint8_t **pub, size_t *pub_len)
{
	const struct fixture *f = ctx;

	if (gi->signer != 3)
		return MLS_ERR_NOT_FOUND;
	*pub = f->sig_pub;
	*pub_len = f->s->sig_pub_len;
	return 0;
}

static int fixture_psk_lookup(void *ctx, const struct mls_psk_id *id,
			      const uint8_t **secret, size_t *secret_len)
{
	const struct fixture *f = ctx;

	if (!mls_bytes_equal(&id->psk_id, &f->psk_id.psk_id))
		return MLS_ERR_NOT_FOUND;
	*secret = f->psk;
	*secret_len = sizeof(f->psk);
	return 0;
}

static void default_params(struct fixture *f,
			   struct mls_welcome_join_params *p)
{
	memset(p, 0, sizeof(*p));
	p->suite = f->s;
	p->key_package = f->joiner.kp.data;
	p->key_package_len = f->joiner.kp.len;
	p->init_priv = f->joiner.init_priv;
	p->init_priv_len = f->s->kem_priv_len;
	p->signer_key = fixture_signer_key;
	p->signer_ctx = f;
	p->psk_lookup = fixture_psk_lookup;
	p->psk_ctx = f;
}

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* Decode the fixture's Welcome, join with p, return the error. */
static int join(struct fixture *f, const struct mls_welcome_join_params *p,
		struct mls_joined_epoch *out)
{
	struct mls_welcome w;
	int err;

	assert_int_equal(mls_welcome_from_bytes(f->welcome.data,
						f->welcome.len, &w), 0);
	memset(out, 0xa5, sizeof(*out));
	err = mls_welcome_join(p, &w, out);
	mls_welcome_free(&w);
	if (err)
		assert_true(all_zero(out, sizeof(*out)));
	return err;
}

/*
 * Hash(confirmed || confirmation_tag<V>): the length prefix is one byte
 * for 32 and 48 (< 64) but two (0x40 0x40) for SHA-512's 64 (§2.1.2).
 */
static void expect_interim(const struct fixture *f, const uint8_t *got)
{
	const struct mls_bytes *cth = &f->gc.confirmed_transcript_hash;
	uint8_t input[2 * MLS_MAX_HASH_LEN + 2], want[MLS_MAX_HASH_LEN];
	size_t n = f->s->hash_len, pos = n;

	memcpy(input, cth->data, n);
	if (n < 64) {
		input[pos++] = (uint8_t)n;
	} else {
		input[pos++] = 0x40;
		input[pos++] = (uint8_t)n;
	}
	memcpy(input + pos, f->confirmation_tag.data, n);
	assert_int_equal(mls_hash(f->s, input, pos + n, want), 0);
	assert_memory_equal(got, want, n);
}

static void check_round_trip(struct fixture *f)
{
	struct mls_welcome_join_params p;
	struct mls_joined_epoch out;

	default_params(f, &p);
	assert_int_equal(join(f, &p, &out), 0);
	assert_memory_equal(&out.secrets, &f->epoch, sizeof(f->epoch));
	assert_int_equal(out.group_info.signer, 3);
	assert_true(mls_bytes_equal(&out.group_info.group_context.group_id,
				    &f->gc.group_id));
	assert_int_equal(out.group_info.group_context.epoch, 7);
	expect_interim(f, out.interim_transcript_hash);
	assert_int_equal(out.has_path_secret, f->with_path_secret);
	if (f->with_path_secret) {
		assert_int_equal(out.path_secret.len, sizeof(path_secret));
		assert_memory_equal(out.path_secret.data, path_secret,
				    sizeof(path_secret));
	}
	mls_joined_epoch_free(&out);
	assert_true(all_zero(&out, sizeof(out)));
}

static void test_round_trip_all_suites(void **state)
{
	struct fixture f;
	uint16_t id;

	for (id = 1; id <= 7; id++) {
		f.with_path_secret = id % 2;
		f.with_psk = false;
		setup_fixture(&f, id, TAMPER_NONE);
		check_round_trip(&f);
		teardown_fixture(&f);
	}
}

static void test_round_trip_with_psk(void **state)
{
	struct mls_welcome_join_params p;
	struct mls_joined_epoch out;
	struct fixture f;

	f.with_path_secret = true;
	f.with_psk = true;
	setup_fixture(&f, 2, TAMPER_NONE);
	check_round_trip(&f);
	/* without the PSK the joiner cannot even find the secret */
	default_params(&f, &p);
	p.psk_lookup = NULL;
	assert_int_equal(join(&f, &p, &out), MLS_ERR_NOT_FOUND);
	teardown_fixture(&f);
}

static void test_flipped_encrypted_group_info(void **state)
{
	struct mls_welcome_join_params p;
	struct mls_joined_epoch out;
	struct mls_welcome w;
	struct fixture f;
	size_t i;

	memset(&f, 0, sizeof(f));
	setup_fixture(&f, 1, TAMPER_NONE);
	default_params(&f, &p);
	assert_int_equal(mls_welcome_from_bytes(f.welcome.data,
						f.welcome.len, &w), 0);
	/* every position: it is both the HPKE context and the AEAD input */
	for (i = 0; i < w.encrypted_group_info.len; i += 7) {
		w.encrypted_group_info.data[i] ^= 0x80;
		memset(&out, 0xa5, sizeof(out));
		assert_int_equal(mls_welcome_join(&p, &w, &out), MLS_ERR_AUTH);
		assert_true(all_zero(&out, sizeof(out)));
		w.encrypted_group_info.data[i] ^= 0x80;
	}
	assert_int_equal(mls_welcome_join(&p, &w, &out), 0);
	mls_joined_epoch_free(&out);
	mls_welcome_free(&w);
	teardown_fixture(&f);
}

static void test_wrong_key_package(void **state)
{
	struct mls_welcome_join_params p;
	struct mls_joined_epoch out;
	struct member other;
	struct fixture f;

	memset(&f, 0, sizeof(f));
	setup_fixture(&f, 3, TAMPER_NONE);
	make_member(f.s, &other);
	default_params(&f, &p);
	p.key_package = other.kp.data;
	p.key_package_len = other.kp.len;
	p.init_priv = other.init_priv;
	assert_int_equal(join(&f, &p, &out), MLS_ERR_NOT_FOUND);
	/* right KeyPackage, wrong init key: HPKE cannot open it */
	default_params(&f, &p);
	p.init_priv = other.init_priv;
	assert_int_equal(join(&f, &p, &out), MLS_ERR_AUTH);
	mls_bytes_free(&other.kp);
	mls_wipe(&other, sizeof(other));
	teardown_fixture(&f);
}

static void test_bad_group_info_signature(void **state)
{
	struct mls_welcome_join_params p;
	struct mls_joined_epoch out;
	struct fixture f;

	memset(&f, 0, sizeof(f));
	setup_fixture(&f, 1, TAMPER_SIGNATURE);
	default_params(&f, &p);
	assert_int_equal(join(&f, &p, &out), MLS_ERR_BAD_SIGNATURE);
	teardown_fixture(&f);

	/* a valid signature, checked against somebody else's key */
	setup_fixture(&f, 7, TAMPER_NONE);
	default_params(&f, &p);
	assert_int_equal(mls_sig_generate_keypair(NULL, f.s, f.sig_priv,
						  f.sig_pub), 0);
	assert_int_equal(join(&f, &p, &out), MLS_ERR_BAD_SIGNATURE);
	teardown_fixture(&f);
}

static void test_wrong_confirmation_tag(void **state)
{
	struct mls_welcome_join_params p;
	struct mls_joined_epoch out;
	struct fixture f;

	memset(&f, 0, sizeof(f));
	setup_fixture(&f, 5, TAMPER_CONFIRMATION_TAG);
	default_params(&f, &p);
	assert_int_equal(join(&f, &p, &out), MLS_ERR_AUTH);
	teardown_fixture(&f);
}

static void test_suite_mismatch(void **state)
{
	struct mls_welcome_join_params p;
	struct mls_joined_epoch out;
	struct fixture f;

	memset(&f, 0, sizeof(f));
	setup_fixture(&f, 1, TAMPER_NONE);
	default_params(&f, &p);
	p.suite = mls_suite_get(3);
	assert_int_equal(join(&f, &p, &out), MLS_ERR_VALIDATION);
	teardown_fixture(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_all_suites),
		cmocka_unit_test(test_round_trip_with_psk),
		cmocka_unit_test(test_flipped_encrypted_group_info),
		cmocka_unit_test(test_wrong_key_package),
		cmocka_unit_test(test_bad_group_info_signature),
		cmocka_unit_test(test_wrong_confirmation_tag),
		cmocka_unit_test(test_suite_mismatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
