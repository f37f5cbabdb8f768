// SPDX-License-Identifier: MIT
// The steps several RPCs share: KeyPackages, joining from a Welcome,
// sending a proposal, building and following Commits.
#include <cstring>
#include <vector>

#include "mls_raii.h"
#include "rpc_error.h"
#include "service.h"

std::shared_ptr<Transaction>
MlsClientService::make_key_package(const mls_suite *s, const Identity &who)
{
	auto tx = std::make_shared<Transaction>();
	mls_key_package_options o;
	OwnedBytes kp;

	std::memset(&o, 0, sizeof(o));
	o.suite = s;
	o.signer = who.signer();
	check_mls(mls_key_package_create(&o, &kp.b, &tx->secrets),
		  "KeyPackage");
	tx->who = who;
	tx->key_package = kp.str();
	return tx;
}

std::shared_ptr<GroupState>
MlsClientService::join(Transaction &tx, const std::string &welcome,
		       const std::string &ratchet_tree,
		       const mls_group *resumption)
{
	auto st = std::make_shared<GroupState>();
	OwnedMessage m;
	OwnedTree tree;
	mls_group_join_options o;
	mls_group_policy policy = interop_policy();

	decode_message(welcome, m.m, "welcome");
	if (m.m.wire_format != MLS_WIRE_WELCOME)
		check_mls(MLS_ERR_INVALID_ARG, "welcome: not a Welcome");
	if (!ratchet_tree.empty())
		decode_tree(ratchet_tree, tree.t);
	st->who = tx.who;
	st->psks.secrets = tx.psks.secrets;

	std::memset(&o, 0, sizeof(o));
	o.suite = tx.who.suite;
	o.key_package = bytes_of(tx.key_package);
	o.key_package_len = tx.key_package.size();
	o.init_priv = tx.secrets.init_priv;
	o.init_priv_len = tx.secrets.priv_len;
	o.encryption_priv = tx.secrets.encryption_priv;
	o.encryption_priv_len = tx.secrets.priv_len;
	o.ratchet_tree = ratchet_tree.empty() ? nullptr : &tree.t;
	o.psk_lookup = PskStore::lookup;
	o.psk_ctx = &st->psks;
	o.sig_priv = bytes_of(st->who.sig_priv);
	o.sig_priv_len = st->who.sig_priv.size();
	o.policy = &policy;
	o.resumption_group = resumption;
	check_mls(mls_group_join(&st->g, &o, &m.m.welcome), "join");
	return st;
}

void MlsClientService::propose(GroupState &st, const mls_proposal &p,
			       pb::ProposalResponse &out)
{
	OwnedBytes msg;

	check_mls(mls_group_propose(&st.g, &p, st.wire, &msg.b, nullptr),
		  "propose");
	st.note_sent(msg.str());
	out.set_proposal(msg.str());
}

// Proposals the runner hands over by reference: cache those we did not send.
static void cache_proposals(GroupState &st,
			    const google::protobuf::RepeatedPtrField<std::string>
				    &proposals)
{
	for (const std::string &bytes : proposals) {
		if (st.was_sent(bytes))
			continue;
		OwnedMessage m;
		decode_message(bytes, m.m, "proposal");
		check_mls(mls_group_cache_proposal(&st.g, &m.m, nullptr),
			  "proposal");
	}
}

// Owns the by-value proposals of a Commit, contiguous as libmls wants them.
struct ProposalList {
	std::vector<mls_proposal> items;
	~ProposalList()
	{
		for (auto &p : items)
			mls_proposal_free(&p);
	}
	mls_proposal &next()
	{
		items.emplace_back();
		std::memset(&items.back(), 0, sizeof(mls_proposal));
		return items.back();
	}
};

void make_described_proposal(GroupState &st, const pb::ProposalDescription &d,
			     mls_proposal &out)
{
	const std::string &type = d.proposal_type();
	mls_group *g = &st.g;

	if (type == "add") {
		std::string kp = bare_key_package(d.key_package());
		check_mls(mls_group_make_add(g, bytes_of(kp), kp.size(), &out),
			  "add proposal");
	} else if (type == "remove") {
		check_mls(mls_group_make_remove(g, leaf_of(*g, d.removed_id()),
						&out),
			  "remove proposal");
	} else if (type == "externalPSK") {
		check_mls(mls_group_make_external_psk(g, bytes_of(d.psk_id()),
						      d.psk_id().size(), &out),
			  "external PSK proposal");
	} else if (type == "resumptionPSK") {
		check_mls(mls_group_make_resumption_psk(g, d.epoch_id(), &out),
			  "resumption PSK proposal");
	} else if (type == "groupContextExtensions") {
		ExtensionList exts(d.extensions());
		check_mls(mls_group_make_extensions(&exts.list, &out),
			  "group context extensions proposal");
	} else if (type == "reinit") {
		ExtensionList exts(d.extensions());
		if (d.cipher_suite() > 0xffff)
			suite_of(d.cipher_suite());
		check_mls(mls_group_make_reinit(g, bytes_of(d.group_id()),
						d.group_id().size(),
						MLS_PROTOCOL_MLS10,
						uint16_t(d.cipher_suite()),
						&exts.list, &out),
			  "reinit proposal");
	} else {
		fail(grpc::StatusCode::INVALID_ARGUMENT,
		     "unknown proposal type '" + type + "'");
	}
}

void MlsClientService::commit(GroupState &st, const pb::CommitRequest &req,
			      pb::CommitResponse &out)
{
	ProposalList by_value;
	mls_commit_options o;
	OwnedBytes commit, welcome;

	cache_proposals(st, req.by_reference());
	for (const auto &d : req.by_value())
		make_described_proposal(st, d, by_value.next());

	std::memset(&o, 0, sizeof(o));
	o.proposals = by_value.items.empty() ? nullptr : by_value.items.data();
	o.n_proposals = by_value.items.size();
	o.force_path = req.force_path();
	o.wire = st.wire;
	o.external_tree = req.external_tree();
	check_mls(mls_group_commit(&st.g, &o, &commit.b, &welcome.b), "commit");
	if (req.external_tree()) {
		OwnedBytes tree;
		int err = mls_group_pending_tree(&st.g, &tree.b);
		if (err)
			mls_group_discard_commit(&st.g);
		check_mls(err, "commit: ratchet tree");
		out.set_ratchet_tree(tree.str());
	}
	out.set_commit(commit.str());
	out.set_welcome(welcome.str());
}

void MlsClientService::handle_commit(GroupState &st,
				     const pb::HandleCommitRequest &req)
{
	OwnedMessage m;

	cache_proposals(st, req.proposal());
	decode_message(req.commit(), m.m, "commit");
	check_mls(mls_group_process_commit(&st.g, &m.m), "commit");
}
