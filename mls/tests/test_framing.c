// SPDX-License-Identifier: MIT
/*
 * Message protection (RFC 9420 §6): round trips, and every tampered field
 * of a PublicMessage or PrivateMessage rejected with its own error, while
 * the receiver's keys survive the forgery for the genuine message.
 * Sender: leaf 1 of a 2-leaf group, suite 1 unless said otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mls/framing.h"

#define SENDER 1

struct fx {
	const struct mls_suite *s;
	struct mls_group_context gc;
	struct mls_bytes gc_bytes;
	uint8_t sig_priv[MLS_MAX_SIG_PRIV_LEN], sig_pub[MLS_MAX_SIG_PUB_LEN];
	uint8_t other_priv[MLS_MAX_SIG_PRIV_LEN];
	uint8_t other_pub[MLS_MAX_SIG_PUB_LEN];
	bool use_other_key;
	uint8_t membership_key[MLS_MAX_HASH_LEN];
	uint8_t sender_data_secret[MLS_MAX_HASH_LEN];
	uint8_t encryption_secret[MLS_MAX_HASH_LEN];
	struct mls_secret_tree *tx, *rx;
	struct mls_framing_ctx tx_ctx, rx_ctx;
};

static const uint8_t *signer_key(void *arg, const struct mls_framed_content *c,
				 size_t *len)
{
	struct fx *f = arg;

	if ((c->sender.type == MLS_SENDER_MEMBER && c->sender.index == SENDER) ||
	    c->sender.type == MLS_SENDER_EXTERNAL) {
		*len = f->s->sig_pub_len;
		return f->use_other_key ? f->other_pub : f->sig_pub;
	}
	return NULL;
}

static void set_ctx(struct fx *f, struct mls_secret_tree *t,
		    struct mls_framing_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->suite = f->s;
	ctx->group_context = f->gc_bytes.data;
	ctx->group_context_len = f->gc_bytes.len;
	ctx->membership_key = f->membership_key;
	ctx->membership_key_len = f->s->hash_len;
	ctx->sender_data_secret = f->sender_data_secret;
	ctx->sender_data_secret_len = f->s->hash_len;
	ctx->secret_tree = t;
	ctx->signer_key = signer_key;
	ctx->signer_key_arg = f;
}

static struct fx *fx_new(uint16_t suite_id)
{
	static const uint8_t gid[] = "framing test group";
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->s = mls_suite_get(suite_id);
	assert_non_null(f->s);
	f->gc.version = MLS_PROTOCOL_MLS10;
	f->gc.cipher_suite = suite_id;
	f->gc.epoch = 42;
	assert_int_equal(mls_bytes_set(&f->gc.group_id, gid, sizeof(gid)), 0);
	assert_int_equal(mls_bytes_set(&f->gc.tree_hash, gid, 8), 0);
	assert_int_equal(mls_bytes_set(&f->gc.confirmed_transcript_hash,
				       gid + 3, 8), 0);
	assert_int_equal(mls_group_context_to_bytes(&f->gc, &f->gc_bytes), 0);
	assert_int_equal(mls_sig_generate_keypair(NULL, f->s, f->sig_priv,
						  f->sig_pub), 0);
	assert_int_equal(mls_sig_generate_keypair(NULL, f->s, f->other_priv,
						  f->other_pub), 0);
	assert_int_equal(mls_crypto_random(NULL, f->membership_key,
					   f->s->hash_len), 0);
	assert_int_equal(mls_crypto_random(NULL, f->sender_data_secret,
					   f->s->hash_len), 0);
	assert_int_equal(mls_crypto_random(NULL, f->encryption_secret,
					   f->s->hash_len), 0);
	assert_int_equal(mls_secret_tree_new(f->s, f->encryption_secret,
					     f->s->hash_len, 2, NULL, &f->tx),
			 0);
	assert_int_equal(mls_secret_tree_new(f->s, f->encryption_secret,
					     f->s->hash_len, 2, NULL, &f->rx),
			 0);
	set_ctx(f, f->tx, &f->tx_ctx);
	set_ctx(f, f->rx, &f->rx_ctx);
	return f;
}

static int setup(void **state)
{
	*state = fx_new(1);
	return 0;
}

static void fx_free(struct fx *f)
{
	mls_group_context_free(&f->gc);
	mls_bytes_free(&f->gc_bytes);
	mls_secret_tree_free(f->tx);
	mls_secret_tree_free(f->rx);
	free(f);
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static void make_content(struct fx *f, uint8_t type,
			 struct mls_framed_content *c)
{
	static const uint8_t app[] = "hello, group";

	memset(c, 0, sizeof(*c));
	assert_int_equal(mls_bytes_dup(&c->group_id, &f->gc.group_id), 0);
	c->epoch = f->gc.epoch;
	c->sender.type = MLS_SENDER_MEMBER;
	c->sender.index = SENDER;
	assert_int_equal(mls_bytes_set(&c->authenticated_data, "ad", 2), 0);
	c->content.type = type;
	if (type == MLS_CONTENT_PROPOSAL) {
		c->content.proposal.type = MLS_PROPOSAL_REMOVE;
		c->content.proposal.remove.removed = 0;
	} else if (type == MLS_CONTENT_APPLICATION) {
		assert_int_equal(mls_bytes_set(&c->content.application_data,
					       app, sizeof(app)), 0);
	}
}

static struct mls_bytes confirmation_tag(struct fx *f, uint8_t *buf)
{
	struct mls_bytes tag = { buf, f->s->hash_len };

	memset(buf, 0x5c, f->s->hash_len);
	return tag;
}

/* Protect; decode the MLSMessage the receiver would get. */
static void protect(struct fx *f, bool private_msg,
		    const struct mls_framed_content *c, struct mls_message *m)
{
	uint8_t buf[MLS_MAX_HASH_LEN];
	struct mls_bytes tag = confirmation_tag(f, buf), wire = { NULL, 0 };

	if (private_msg)
		assert_int_equal(mls_framing_protect_private(&f->tx_ctx, c,
				f->sig_priv, f->s->sig_priv_len, &tag, &wire),
				0);
	else
		assert_int_equal(mls_framing_protect_public(&f->tx_ctx, c,
				f->sig_priv, f->s->sig_priv_len, &tag, &wire),
				0);
	assert_int_equal(mls_message_from_bytes(wire.data, wire.len, m), 0);
	assert_int_equal(m->wire_format, private_msg ?
			 MLS_WIRE_PRIVATE_MESSAGE : MLS_WIRE_PUBLIC_MESSAGE);
	mls_bytes_free(&wire);
}

static int unprotect(struct fx *f, const struct mls_message *m,
		     struct mls_authenticated_content *ac)
{
	if (m->wire_format == MLS_WIRE_PUBLIC_MESSAGE)
		return mls_framing_unprotect_public(&f->rx_ctx,
						    &m->public_message, ac);
	return mls_framing_unprotect_private(&f->rx_ctx, &m->private_message,
					     ac);
}

/* The content that came out equals the content that went in. */
static void assert_same_content(const struct mls_framed_content *want,
				const struct mls_authenticated_content *got)
{
	struct mls_bytes a = { NULL, 0 }, b = { NULL, 0 };
	struct mls_writer w;

	mls_writer_init(&w);
	mls_framed_content_encode(&w, want);
	assert_int_equal(mls_writer_finish(&w, &a), 0);
	mls_writer_init(&w);
	mls_framed_content_encode(&w, &got->content);
	assert_int_equal(mls_writer_finish(&w, &b), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	mls_bytes_free(&a);
	mls_bytes_free(&b);
}

static void expect_ok(struct fx *f, const struct mls_message *m,
		      const struct mls_framed_content *c)
{
	struct mls_authenticated_content ac;

	assert_int_equal(unprotect(f, m, &ac), 0);
	assert_same_content(c, &ac);
	assert_int_equal(ac.wire_format, m->wire_format);
	mls_authenticated_content_free(&ac);
}

static void expect_err(struct fx *f, const struct mls_message *m, int err)
{
	struct mls_authenticated_content ac;

	assert_int_equal(unprotect(f, m, &ac), err);
	/* nothing is handed out on failure */
	assert_null(ac.content.group_id.data);
	assert_null(ac.auth.signature.data);
}

/* ---- PublicMessage ---- */

static void test_public_round_trip_all_suites(void **state)
{
	struct mls_framed_content c;
	struct mls_message m;
	uint16_t id;

	for (id = 1; id <= 7; id++) {
		struct fx *f = fx_new(id);

		make_content(f, MLS_CONTENT_PROPOSAL, &c);
		protect(f, false, &c, &m);
		assert_int_equal(m.public_message.membership_tag.len,
				 f->s->hash_len);
		expect_ok(f, &m, &c);
		mls_message_free(&m);
		mls_framed_content_free(&c);
		fx_free(f);
	}
}

static void test_public_commit_carries_confirmation_tag(void **state)
{
	struct fx *f = *state;
	struct mls_authenticated_content ac;
	struct mls_bytes wire = { NULL, 0 };
	struct mls_framed_content c;
	uint8_t buf[MLS_MAX_HASH_LEN];
	struct mls_bytes tag = confirmation_tag(f, buf);
	struct mls_message m;

	make_content(f, MLS_CONTENT_COMMIT, &c);
	assert_int_equal(mls_framing_protect_public(&f->tx_ctx, &c, f->sig_priv,
						    f->s->sig_priv_len, NULL,
						    &wire),
			 MLS_ERR_INVALID_ARG);
	protect(f, false, &c, &m);
	assert_int_equal(unprotect(f, &m, &ac), 0);
	assert_int_equal(ac.auth.confirmation_tag.len, tag.len);
	assert_memory_equal(ac.auth.confirmation_tag.data, buf, tag.len);
	mls_authenticated_content_free(&ac);
	mls_message_free(&m);
	mls_framed_content_free(&c);
}

static void test_public_application_refused(void **state)
{
	struct fx *f = *state;
	struct mls_bytes wire = { NULL, 0 };
	struct mls_framed_content c;
	struct mls_message m;

	make_content(f, MLS_CONTENT_APPLICATION, &c);
	assert_int_equal(mls_framing_protect_public(&f->tx_ctx, &c, f->sig_priv,
						    f->s->sig_priv_len, NULL,
						    &wire),
			 MLS_ERR_VALIDATION);
	assert_null(wire.data);
	mls_framed_content_free(&c);
	/* and a received one is refused before any crypto (§6.2) */
	make_content(f, MLS_CONTENT_PROPOSAL, &c);
	protect(f, false, &c, &m);
	mls_proposal_free(&m.public_message.content.content.proposal);
	m.public_message.content.content.type = MLS_CONTENT_APPLICATION;
	assert_int_equal(mls_bytes_set(
		&m.public_message.content.content.application_data, "x", 1), 0);
	expect_err(f, &m, MLS_ERR_VALIDATION);
	mls_message_free(&m);
	mls_framed_content_free(&c);
}

static void test_public_tampering(void **state)
{
	struct fx *f = *state;
	struct mls_framed_content c;
	struct mls_message m;

	make_content(f, MLS_CONTENT_PROPOSAL, &c);
	protect(f, false, &c, &m);

	m.public_message.membership_tag.data[0] ^= 1;
	expect_err(f, &m, MLS_ERR_AUTH);
	m.public_message.membership_tag.data[0] ^= 1;

	m.public_message.content.content.proposal.remove.removed = 1;
	expect_err(f, &m, MLS_ERR_AUTH);
	m.public_message.content.content.proposal.remove.removed = 0;

	m.public_message.auth.signature.data[3] ^= 0x10;
	expect_err(f, &m, MLS_ERR_AUTH);	/* the tag covers it */
	m.public_message.auth.signature.data[3] ^= 0x10;

	m.public_message.content.epoch++;
	expect_err(f, &m, MLS_ERR_FUTURE_EPOCH);
	m.public_message.content.epoch--;

	m.public_message.content.group_id.data[0] ^= 1;
	expect_err(f, &m, MLS_ERR_VALIDATION);
	m.public_message.content.group_id.data[0] ^= 1;

	/* a valid tag from a member whose signature is not the sender's */
	f->use_other_key = true;
	expect_err(f, &m, MLS_ERR_BAD_SIGNATURE);
	f->use_other_key = false;

	f->rx_ctx.membership_key = f->sender_data_secret;
	expect_err(f, &m, MLS_ERR_AUTH);
	f->rx_ctx.membership_key = f->membership_key;

	m.public_message.content.sender.index = 0;	/* tag covers the sender */
	expect_err(f, &m, MLS_ERR_AUTH);
	m.public_message.content.sender.index = SENDER;

	expect_ok(f, &m, &c);
	mls_message_free(&m);
	mls_framed_content_free(&c);
}

/* External senders carry no membership tag: the signature alone counts. */
static void test_public_external_sender_signature(void **state)
{
	struct fx *f = *state;
	struct mls_framed_content c;
	struct mls_message m;

	make_content(f, MLS_CONTENT_PROPOSAL, &c);
	c.sender.type = MLS_SENDER_EXTERNAL;
	c.sender.index = 0;
	protect(f, false, &c, &m);
	assert_null(m.public_message.membership_tag.data);
	expect_ok(f, &m, &c);
	m.public_message.auth.signature.data[5] ^= 0x01;
	expect_err(f, &m, MLS_ERR_BAD_SIGNATURE);
	m.public_message.auth.signature.data[5] ^= 0x01;
	m.public_message.content.content.proposal.remove.removed = 1;
	expect_err(f, &m, MLS_ERR_BAD_SIGNATURE);
	mls_message_free(&m);
	mls_framed_content_free(&c);
}

/* ---- PrivateMessage ---- */

static void test_private_round_trip_all_suites(void **state)
{
	static const uint8_t types[] = { MLS_CONTENT_APPLICATION,
					 MLS_CONTENT_PROPOSAL,
					 MLS_CONTENT_COMMIT };
	struct mls_framed_content c;
	struct mls_message m;
	uint16_t id;
	size_t i;

	for (id = 1; id <= 7; id++) {
		struct fx *f = fx_new(id);

		f->tx_ctx.padding_block = 64;
		for (i = 0; i < sizeof(types); i++) {
			make_content(f, types[i], &c);
			protect(f, true, &c, &m);
			/* padded plaintext, plus the AEAD tag */
			assert_int_equal((m.private_message.ciphertext.len -
					  f->s->aead_tag_len) % 64, 0);
			expect_ok(f, &m, &c);
			mls_message_free(&m);
			mls_framed_content_free(&c);
		}
		fx_free(f);
	}
}

static void test_private_replay_rejected(void **state)
{
	struct fx *f = *state;
	struct mls_framed_content c;
	struct mls_message m;

	make_content(f, MLS_CONTENT_APPLICATION, &c);
	protect(f, true, &c, &m);
	expect_ok(f, &m, &c);
	expect_err(f, &m, MLS_ERR_GENERATION);
	mls_message_free(&m);
	mls_framed_content_free(&c);
}

static void test_private_out_of_order(void **state)
{
	struct fx *f = *state;
	struct mls_framed_content c;
	struct mls_message m[3];
	size_t i;

	make_content(f, MLS_CONTENT_APPLICATION, &c);
	for (i = 0; i < 3; i++)
		protect(f, true, &c, &m[i]);
	expect_ok(f, &m[2], &c);
	expect_ok(f, &m[0], &c);
	expect_ok(f, &m[1], &c);
	for (i = 0; i < 3; i++) {
		expect_err(f, &m[i], MLS_ERR_GENERATION);
		mls_message_free(&m[i]);
	}
	mls_framed_content_free(&c);
}

/*
 * Each forgery is rejected with its own error, and afterwards the genuine
 * message still decrypts: a forgery consumes no key.
 */
static void test_private_tampering(void **state)
{
	struct fx *f = *state;
	struct mls_private_message *p;
	struct mls_framed_content c;
	struct mls_message m;

	make_content(f, MLS_CONTENT_APPLICATION, &c);
	protect(f, true, &c, &m);
	p = &m.private_message;

	p->ciphertext.data[p->ciphertext.len - 1] ^= 1;	/* in the tag */
	expect_err(f, &m, MLS_ERR_AUTH);
	p->ciphertext.data[p->ciphertext.len - 1] ^= 1;

	p->encrypted_sender_data.data[0] ^= 1;
	expect_err(f, &m, MLS_ERR_AUTH);
	p->encrypted_sender_data.data[0] ^= 1;

	p->authenticated_data.data[0] ^= 1;		/* content AAD */
	expect_err(f, &m, MLS_ERR_AUTH);
	p->authenticated_data.data[0] ^= 1;

	p->content_type = MLS_CONTENT_PROPOSAL;		/* sender-data AAD */
	expect_err(f, &m, MLS_ERR_AUTH);
	p->content_type = MLS_CONTENT_APPLICATION;

	p->epoch++;
	expect_err(f, &m, MLS_ERR_FUTURE_EPOCH);
	p->epoch--;

	f->rx_ctx.sender_data_secret = f->membership_key;
	expect_err(f, &m, MLS_ERR_AUTH);
	f->rx_ctx.sender_data_secret = f->sender_data_secret;

	f->use_other_key = true;
	expect_err(f, &m, MLS_ERR_BAD_SIGNATURE);
	f->use_other_key = false;

	expect_ok(f, &m, &c);
	mls_message_free(&m);
	mls_framed_content_free(&c);
}

/* Sign and encode a PrivateMessageContent by hand, with chosen padding. */
static void hand_made_plaintext(struct fx *f, const struct mls_framed_content *c,
				size_t padding, struct mls_bytes *pt)
{
	struct mls_private_message_content pmc;
	uint8_t sig[MLS_MAX_SIGNATURE_LEN];
	struct mls_bytes tbs = { NULL, 0 };
	struct mls_writer w;
	size_t sig_len = 0;

	mls_writer_init(&w);
	mls_framed_content_encode_tbs(&w, MLS_WIRE_PRIVATE_MESSAGE, c, &f->gc);
	assert_int_equal(mls_writer_finish(&w, &tbs), 0);
	assert_int_equal(mls_sign_with_label(NULL, f->s, f->sig_priv,
					     f->s->sig_priv_len,
					     "FramedContentTBS", tbs.data,
					     tbs.len, sig, &sig_len), 0);
	memset(&pmc, 0, sizeof(pmc));
	pmc.content = c->content;
	pmc.auth.signature.data = sig;
	pmc.auth.signature.len = sig_len;
	pmc.padding_len = padding;
	mls_writer_init(&w);
	mls_private_message_content_encode(&w, &pmc);
	assert_int_equal(mls_writer_finish(&w, pt), 0);
	mls_bytes_free(&tbs);
}

static void encrypt_by_hand(struct fx *f, const struct mls_framed_content *c,
			    const struct mls_bytes *pt, struct mls_message *m)
{
	memset(m, 0, sizeof(*m));
	m->version = MLS_PROTOCOL_MLS10;
	m->wire_format = MLS_WIRE_PRIVATE_MESSAGE;
	assert_int_equal(mls_bytes_dup(&m->private_message.group_id,
				       &c->group_id), 0);
	m->private_message.epoch = c->epoch;
	m->private_message.content_type = c->content.type;
	assert_int_equal(mls_bytes_dup(&m->private_message.authenticated_data,
				       &c->authenticated_data), 0);
	assert_int_equal(mls_framing_encrypt_content(&f->tx_ctx, SENDER,
						     pt->data, pt->len,
						     &m->private_message), 0);
}

static void test_private_padding_must_be_zero(void **state)
{
	struct fx *f = *state;
	struct mls_framed_content c;
	struct mls_bytes pt = { NULL, 0 };
	struct mls_message good, bad;

	make_content(f, MLS_CONTENT_PROPOSAL, &c);
	hand_made_plaintext(f, &c, 16, &pt);
	encrypt_by_hand(f, &c, &pt, &good);
	pt.data[pt.len - 5] = 0x01;
	encrypt_by_hand(f, &c, &pt, &bad);
	expect_err(f, &bad, MLS_ERR_DECODE);
	/* the hand-made path itself is sound: zero padding is accepted */
	expect_ok(f, &good, &c);
	mls_message_free(&good);
	mls_message_free(&bad);
	mls_bytes_free(&pt);
	mls_framed_content_free(&c);
}

static void test_private_sender_outside_tree(void **state)
{
	struct fx *f = *state;
	struct mls_framed_content c;
	struct mls_bytes wire = { NULL, 0 };
	struct mls_message m;

	make_content(f, MLS_CONTENT_APPLICATION, &c);
	c.sender.index = 2;
	assert_int_equal(mls_framing_protect_private(&f->tx_ctx, &c,
				f->sig_priv, f->s->sig_priv_len, NULL, &wire),
			 MLS_ERR_NOT_FOUND);
	c.sender.type = MLS_SENDER_EXTERNAL;
	c.sender.index = 0;
	assert_int_equal(mls_framing_protect_private(&f->tx_ctx, &c,
				f->sig_priv, f->s->sig_priv_len, NULL, &wire),
			 MLS_ERR_INVALID_ARG);
	mls_framed_content_free(&c);
	/* the receiver has no key for leaf 0's signature */
	make_content(f, MLS_CONTENT_APPLICATION, &c);
	c.sender.index = 0;
	protect(f, true, &c, &m);
	expect_err(f, &m, MLS_ERR_NOT_FOUND);
	mls_message_free(&m);
	mls_framed_content_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_public_round_trip_all_suites),
		cmocka_unit_test_setup_teardown(
			test_public_commit_carries_confirmation_tag, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_public_application_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_public_tampering, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_public_external_sender_signature, setup,
			teardown),
		cmocka_unit_test(test_private_round_trip_all_suites),
		cmocka_unit_test_setup_teardown(test_private_replay_rejected,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_private_out_of_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_private_tampering, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_private_padding_must_be_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_private_sender_outside_tree, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
