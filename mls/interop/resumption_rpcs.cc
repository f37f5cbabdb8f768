// SPDX-License-Identifier: MIT
// ReInit (§11.2) and branch (§11.3): a successor group linked to the old
// one by a resumption PSK, created and joined through libmls.
#include <cstring>
#include <vector>

#include "mls_raii.h"
#include "rpc_error.h"
#include "service.h"

RPC_BODY(ReInitCommit, CommitRequest, CommitResponse)
{
	auto st = table.group(req.state_id());

	commit(*st, req, resp);
}

// Once the ReInit Commit is in, a KeyPackage for the successor group, in
// its suite, under the same identity.
static void prepare_successor(StateTable &table,
			      std::shared_ptr<GroupState> st,
			      std::shared_ptr<Transaction> next,
			      pb::HandleReInitCommitResponse &resp)
{
	auto r = std::make_shared<ReInitState>();
	r->old = st;
	r->next = next;
	resp.set_key_package(wrap_key_package(next->key_package));
	resp.set_epoch_authenticator(epoch_authenticator(st->g));
	resp.set_reinit_id(table.add(r));
}

static const mls_suite *successor_suite(const GroupState &st)
{
	const mls_reinit *ri = mls_group_reinit_pending(&st.g);

	if (!ri)
		check_mls(MLS_ERR_NOT_REINITIALIZED, "reinit");
	return suite_of(ri->cipher_suite);
}

RPC_BODY(HandlePendingReInitCommit, HandlePendingCommitRequest,
	 HandleReInitCommitResponse)
{
	auto st = table.group(req.state_id());

	check_mls(mls_group_confirm_commit(&st->g), "pending reinit commit");
	const mls_suite *s = successor_suite(*st);
	prepare_successor(table, st,
			  make_key_package(s, Identity::generate(
						      s, st->who.identity)),
			  resp);
}

RPC_BODY(HandleReInitCommit, HandleCommitRequest, HandleReInitCommitResponse)
{
	auto st = table.group(req.state_id());

	handle_commit(*st, req);
	const mls_suite *s = successor_suite(*st);
	prepare_successor(table, st,
			  make_key_package(s, Identity::generate(
						      s, st->who.identity)),
			  resp);
}

// KeyPackages as libmls takes them: bare, viewed in place.
struct KeyPackageList {
	std::vector<std::string> bare;
	std::vector<mls_bytes> views;
	explicit KeyPackageList(
		const google::protobuf::RepeatedPtrField<std::string> &in)
	{
		for (const auto &kp : in)
			bare.push_back(bare_key_package(kp));
		for (auto &b : bare)
			views.push_back({ reinterpret_cast<uint8_t *>(&b[0]),
					  b.size() });
	}
};

static void subgroup_reply(StateTable &table, std::shared_ptr<GroupState> st,
			   const OwnedBytes &welcome, bool external_tree,
			   pb::CreateSubgroupResponse &resp)
{
	resp.set_welcome(welcome.str());
	if (external_tree)
		resp.set_ratchet_tree(tree_bytes(st->g.tree));
	resp.set_epoch_authenticator(epoch_authenticator(st->g));
	resp.set_state_id(table.add(st));
}

RPC_BODY(ReInitWelcome, ReInitWelcomeRequest, CreateSubgroupResponse)
{
	auto r = table.reinit(req.reinit_id());
	auto st = std::make_shared<GroupState>();
	KeyPackageList kps(req.key_package());
	mls_group_resume_options o;
	mls_group_policy policy = interop_policy();
	OwnedBytes welcome;

	st->who = r->next->who;
	st->wire = r->old->wire;
	std::memset(&o, 0, sizeof(o));
	o.create.suite = st->who.suite;
	o.create.signer = st->who.signer();
	o.create.psk_lookup = PskStore::lookup;
	o.create.psk_ctx = &st->psks;
	o.create.policy = &policy;
	o.key_packages = kps.views.empty() ? nullptr : kps.views.data();
	o.n_key_packages = kps.views.size();
	check_mls(mls_group_reinit_create(&st->g, &r->old->g, &o, &welcome.b),
		  "reinit welcome");
	subgroup_reply(table, st, welcome, req.external_tree(), resp);
}

RPC_BODY(HandleReInitWelcome, HandleReInitWelcomeRequest, JoinGroupResponse)
{
	auto r = table.reinit(req.reinit_id());
	auto st = join(*r->next, req.welcome(), req.ratchet_tree(),
		       &r->old->g);

	st->wire = r->old->wire;
	resp.set_epoch_authenticator(epoch_authenticator(st->g));
	resp.set_state_id(table.add(st));
}

RPC_BODY(CreateBranch, CreateBranchRequest, CreateSubgroupResponse)
{
	auto old = table.group(req.state_id());
	auto st = std::make_shared<GroupState>();
	KeyPackageList kps(req.key_packages());
	ExtensionList exts(req.extensions());
	mls_group_resume_options o;
	mls_group_policy policy = interop_policy();
	OwnedBytes welcome;

	st->who = old->who;
	st->wire = old->wire;
	std::memset(&o, 0, sizeof(o));
	o.create.suite = old->who.suite;
	o.create.group_id = bytes_of(req.group_id());
	o.create.group_id_len = req.group_id().size();
	o.create.extensions = &exts.list;
	o.create.signer = st->who.signer();
	o.create.psk_lookup = PskStore::lookup;
	o.create.psk_ctx = &st->psks;
	o.create.policy = &policy;
	o.key_packages = kps.views.empty() ? nullptr : kps.views.data();
	o.n_key_packages = kps.views.size();
	check_mls(mls_group_branch(&st->g, &old->g, &o, &welcome.b), "branch");
	subgroup_reply(table, st, welcome, req.external_tree(), resp);
}

RPC_BODY(HandleBranch, HandleBranchRequest, HandleBranchResponse)
{
	auto old = table.group(req.state_id());
	auto tx = table.transaction(req.transaction_id());
	auto st = join(*tx, req.welcome(), req.ratchet_tree(), &old->g);

	st->wire = old->wire;
	resp.set_epoch_authenticator(epoch_authenticator(st->g));
	resp.set_state_id(table.add(st));
	table.free(req.transaction_id());
}
