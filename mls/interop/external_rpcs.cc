// SPDX-License-Identifier: MIT
// Proposals from outside the group (§12.1.8): a joiner's own Add, and an
// external sender listed in the group's external_senders extension.
#include <cstring>

#include "mls_raii.h"
#include "rpc_error.h"
#include "service.h"

static void decode_group_info(const std::string &in, OwnedMessage &m)
{
	decode_message(in, m.m, "group info");
	if (m.m.wire_format != MLS_WIRE_GROUP_INFO)
		check_mls(MLS_ERR_INVALID_ARG, "group info: not a GroupInfo");
}

RPC_BODY(NewMemberAddProposal, NewMemberAddProposalRequest,
	 NewMemberAddProposalResponse)
{
	OwnedMessage m;
	OwnedBytes msg;

	decode_group_info(req.group_info(), m);
	const mls_group_context &ctx = m.m.group_info.group_context;
	const mls_suite *s = suite_of(ctx.cipher_suite);
	auto tx = make_key_package(s, Identity::generate(s, req.identity()));
	check_mls(mls_new_member_propose(nullptr, s, &ctx,
					 bytes_of(tx->who.sig_priv),
					 tx->who.sig_priv.size(),
					 bytes_of(tx->key_package),
					 tx->key_package.size(), &msg.b),
		  "new member add proposal");
	resp.set_proposal(msg.str());
	resp.set_init_priv(std::string(
		reinterpret_cast<const char *>(tx->secrets.init_priv),
		tx->secrets.priv_len));
	resp.set_encryption_priv(std::string(
		reinterpret_cast<const char *>(tx->secrets.encryption_priv),
		tx->secrets.priv_len));
	resp.set_signature_priv(tx->who.sig_priv);
	resp.set_transaction_id(table.add(tx));
}

// The contents of an ExternalSender list (the bytes inside its length).
static std::string sender_list_body(const mls_extension &e)
{
	mls_reader r, sub;

	mls_reader_init(&r, e.data.data, e.data.len);
	mls_read_vector(&r, &sub);
	check_mls(mls_reader_error(&r), "external_senders extension");
	return std::string(reinterpret_cast<const char *>(sub.buf + sub.pos),
			   mls_reader_remaining(&sub));
}

RPC_BODY(CreateExternalSigner, CreateExternalSignerRequest,
	 CreateExternalSignerResponse)
{
	const mls_suite *s = suite_of(req.cipher_suite());
	auto es = std::make_shared<ExternalSigner>();
	OwnedExtension ext;
	mls_bytes id;

	es->who = Identity::generate(s, req.identity());
	const uint8_t *pub = bytes_of(es->who.sig_pub);
	size_t pub_len = es->who.sig_pub.size();
	id.data = const_cast<uint8_t *>(bytes_of(es->who.identity));
	id.len = es->who.identity.size();
	check_mls(mls_external_senders_extension(&pub, &pub_len, &id, 1,
						 &ext.e),
		  "external sender");
	es->external_sender = sender_list_body(ext.e);
	resp.set_external_sender(es->external_sender);
	resp.set_signer_id(table.add(es));
}

// A GroupContextExtensions proposal: the group's extensions with the
// sender appended to external_senders.
RPC_BODY(AddExternalSigner, AddExternalSignerRequest, ProposalResponse)
{
	auto st = table.group(req.state_id());
	const mls_extension_list &cur = st->g.context.extensions;
	std::vector<mls_extension> items;
	std::string senders;
	OwnedBytes body;
	mls_writer w;

	for (size_t i = 0; i < cur.count; i++) {
		if (cur.items[i].type == MLS_EXT_EXTERNAL_SENDERS)
			senders = sender_list_body(cur.items[i]);
		else
			items.push_back(cur.items[i]);	/* views */
	}
	senders += req.external_sender();
	mls_writer_init(&w);
	mls_write_opaque(&w, senders.data(), senders.size());
	check_mls(mls_writer_finish(&w, &body.b), "external_senders");
	mls_extension e;
	e.type = MLS_EXT_EXTERNAL_SENDERS;
	e.data = body.b;	/* a view */
	items.push_back(e);

	mls_extension_list list = { items.data(), items.size() };
	OwnedProposal p;
	check_mls(mls_group_make_extensions(&list, &p.p),
		  "group context extensions proposal");
	propose(*st, p.p, resp);
}

// Our index in the group's external_senders, by signature key.
static uint32_t sender_index(const mls_group_context &ctx,
			     const std::string &sig_pub)
{
	const mls_extension *e = mls_extension_list_find(
		&ctx.extensions, MLS_EXT_EXTERNAL_SENDERS);
	if (!e)
		check_mls(MLS_ERR_NOT_FOUND, "group has no external_senders");
	std::string body = sender_list_body(*e);
	mls_reader r;
	mls_reader_init(&r, body.data(), body.size());
	for (uint32_t i = 0; mls_reader_more(&r); i++) {
		OwnedBytes key;
		mls_credential cred;
		std::memset(&cred, 0, sizeof(cred));
		mls_read_opaque(&r, &key.b);
		mls_credential_decode(&r, &cred);
		mls_credential_free(&cred);
		if (!mls_reader_error(&r) && key.str() == sig_pub)
			return i;
	}
	check_mls(mls_reader_error(&r), "external_senders extension");
	check_mls(MLS_ERR_NOT_FOUND, "external sender not in the group");
	return 0;
}

// The leaf whose basic credential is identity in a wire-form tree.
static uint32_t leaf_in_tree(const std::string &tree_bytes_in,
			     const std::string &identity)
{
	OwnedTree t;

	decode_tree(tree_bytes_in, t.t);
	for (size_t i = 0; i < t.t.count; i += 2) {
		const mls_node &n = t.t.nodes[i];
		const mls_bytes &id = n.leaf.credential.identity;
		if (n.type == MLS_NODE_LEAF && id.len == identity.size() &&
		    std::memcmp(id.data, identity.data(), id.len) == 0)
			return uint32_t(i / 2);
	}
	fail(grpc::StatusCode::NOT_FOUND,
	     "no member with identity '" + identity + "'");
}

// A fresh psk_nonce of Nh bytes (§8.4) into id.
static void set_nonce(const mls_suite *s, mls_psk_id &id,
		      std::string &storage)
{
	storage.assign(s->hash_len, '\0');
	check_mls(mls_crypto_random(nullptr, &storage[0], storage.size()),
		  "psk nonce");
	id.psk_nonce.data = reinterpret_cast<uint8_t *>(&storage[0]);
	id.psk_nonce.len = storage.size();
}

static uint8_t *view(const std::string &s)
{
	return reinterpret_cast<uint8_t *>(const_cast<char *>(s.data()));
}

RPC_BODY(ExternalSignerProposal, ExternalSignerProposalRequest,
	 ProposalResponse)
{
	auto es = table.signer(req.signer_id());
	const pb::ProposalDescription &d = req.description();
	const std::string &type = d.proposal_type();
	OwnedMessage m;
	OwnedBytes msg;
	mls_key_package kp;
	std::string nonce, kp_bare;
	ExtensionList exts(d.extensions());
	mls_proposal p;	/* views only, except kp below */

	decode_group_info(req.group_info(), m);
	const mls_group_context &ctx = m.m.group_info.group_context;
	const mls_suite *s = suite_of(ctx.cipher_suite);
	if (s != es->who.suite)
		check_mls(MLS_ERR_VALIDATION, "external signer of another suite");
	uint32_t index = sender_index(ctx, es->who.sig_pub);
	std::memset(&p, 0, sizeof(p));
	std::memset(&kp, 0, sizeof(kp));
	if (type == "add") {
		p.type = MLS_PROPOSAL_ADD;
		kp_bare = bare_key_package(d.key_package());
		check_mls(mls_key_package_from_bytes(bytes_of(kp_bare),
						     kp_bare.size(), &kp),
			  "key package");
		p.add.key_package = kp;
	} else if (type == "remove") {
		p.type = MLS_PROPOSAL_REMOVE;
		p.remove.removed = leaf_in_tree(req.ratchet_tree(),
						d.removed_id());
	} else if (type == "externalPSK") {
		p.type = MLS_PROPOSAL_PSK;
		p.psk.psk.psktype = MLS_PSK_EXTERNAL;
		p.psk.psk.psk_id = { view(d.psk_id()), d.psk_id().size() };
		set_nonce(s, p.psk.psk, nonce);
	} else if (type == "resumptionPSK") {
		p.type = MLS_PROPOSAL_PSK;
		p.psk.psk.psktype = MLS_PSK_RESUMPTION;
		p.psk.psk.usage = MLS_PSK_USAGE_APPLICATION;
		p.psk.psk.psk_group_id = ctx.group_id;
		p.psk.psk.psk_epoch = d.epoch_id();
		set_nonce(s, p.psk.psk, nonce);
	} else if (type == "groupContextExtensions") {
		p.type = MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS;
		p.group_context_extensions.extensions = exts.list;
	} else if (type == "reinit") {
		p.type = MLS_PROPOSAL_REINIT;
		suite_of(d.cipher_suite());
		p.reinit.group_id = { view(d.group_id()), d.group_id().size() };
		p.reinit.version = MLS_PROTOCOL_MLS10;
		p.reinit.cipher_suite = uint16_t(d.cipher_suite());
		p.reinit.extensions = exts.list;
	} else {
		fail(grpc::StatusCode::INVALID_ARGUMENT,
		     "unknown proposal type '" + type + "'");
	}
	for (auto &b : { &p.psk.psk.psk_id, &p.reinit.group_id })
		if (!b->len)
			b->data = nullptr;
	int err = mls_external_sender_propose(
		nullptr, s, &ctx, index, bytes_of(es->who.sig_priv), es->who.sig_priv.size(), &p,
		&msg.b);
	mls_key_package_free(&kp);
	check_mls(err, "external sender proposal");
	resp.set_proposal(msg.str());
}
