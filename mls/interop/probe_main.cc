// SPDX-License-Identifier: MIT
// mls-interop-probe HOST:PORT: every RPC of the server with requests that
// must fail (unknown ids, malformed bytes, unsupported suites, empty
// messages) and must fail cleanly: a non-OK status with a message, and the
// server still answering afterwards. Prints "probe: N passed, N failed".
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "mls_client.grpc.pb.h"

namespace pb = mls_client;
using Stub = pb::MLSClient::Stub;

struct Probe {
	const char *what;
	std::function<grpc::Status(Stub &, grpc::ClientContext &)> call;
};

template <typename Resp, typename Req, typename F>
static grpc::Status invoke(F f, Stub &s, grpc::ClientContext &c, const Req &rq)
{
	Resp rs;
	return (s.*f)(&c, rq, &rs);
}

static std::vector<Probe> probes()
{
	const std::string junk("\x00\x01\x00\x02\xff\xff garbage", 14);
	std::vector<Probe> v;
#define P(name, rpc, Req, Resp, fill)                                     \
	v.push_back({ name, [=](Stub &s, grpc::ClientContext &c) {         \
			      pb::Req rq;                                  \
			      fill;                                        \
			      return invoke<pb::Resp>(&Stub::rpc, s, c, rq); \
		      } })
	P("CreateGroup suite 0", CreateGroup, CreateGroupRequest,
	  CreateGroupResponse, rq.set_cipher_suite(0));
	P("CreateGroup suite 70000", CreateGroup, CreateGroupRequest,
	  CreateGroupResponse, rq.set_cipher_suite(70000));
	P("CreateKeyPackage suite 9", CreateKeyPackage,
	  CreateKeyPackageRequest, CreateKeyPackageResponse,
	  rq.set_cipher_suite(9));
	P("JoinGroup unknown transaction", JoinGroup, JoinGroupRequest,
	  JoinGroupResponse, rq.set_transaction_id(123456));
	P("ExternalJoin garbage", ExternalJoin, ExternalJoinRequest,
	  ExternalJoinResponse, rq.set_group_info(junk));
	P("ExternalJoin empty", ExternalJoin, ExternalJoinRequest,
	  ExternalJoinResponse, (void)rq);
	P("GroupInfo unknown state", GroupInfo, GroupInfoRequest,
	  GroupInfoResponse, rq.set_state_id(987654));
	P("StateAuth unknown state", StateAuth, StateAuthRequest,
	  StateAuthResponse, rq.set_state_id(0));
	P("Export unknown state", Export, ExportRequest, ExportResponse,
	  rq.set_state_id(0));
	P("Protect unknown state", Protect, ProtectRequest, ProtectResponse,
	  rq.set_state_id(4242));
	P("Unprotect unknown state", Unprotect, UnprotectRequest,
	  UnprotectResponse, rq.set_ciphertext(junk));
	P("StorePSK unknown id", StorePSK, StorePSKRequest, StorePSKResponse,
	  rq.set_state_or_transaction_id(99999));
	P("AddProposal unknown state", AddProposal, AddProposalRequest,
	  ProposalResponse, rq.set_key_package(junk));
	P("UpdateProposal unknown state", UpdateProposal,
	  UpdateProposalRequest, ProposalResponse, (void)rq);
	P("RemoveProposal unknown state", RemoveProposal,
	  RemoveProposalRequest, ProposalResponse, rq.set_removed_id("x"));
	P("ExternalPSKProposal unknown state", ExternalPSKProposal,
	  ExternalPSKProposalRequest, ProposalResponse, (void)rq);
	P("ResumptionPSKProposal unknown state", ResumptionPSKProposal,
	  ResumptionPSKProposalRequest, ProposalResponse, (void)rq);
	P("GroupContextExtensionsProposal unknown state",
	  GroupContextExtensionsProposal,
	  GroupContextExtensionsProposalRequest, ProposalResponse, (void)rq);
	P("Commit unknown state", Commit, CommitRequest, CommitResponse,
	  rq.add_by_reference(junk));
	P("HandleCommit unknown state", HandleCommit, HandleCommitRequest,
	  HandleCommitResponse, rq.set_commit(junk));
	P("HandlePendingCommit unknown state", HandlePendingCommit,
	  HandlePendingCommitRequest, HandleCommitResponse, (void)rq);
	P("ReInitProposal unknown state", ReInitProposal,
	  ReInitProposalRequest, ProposalResponse, rq.set_cipher_suite(1));
	P("ReInitCommit unknown state", ReInitCommit, CommitRequest,
	  CommitResponse, (void)rq);
	P("HandlePendingReInitCommit unknown state",
	  HandlePendingReInitCommit, HandlePendingCommitRequest,
	  HandleReInitCommitResponse, (void)rq);
	P("HandleReInitCommit unknown state", HandleReInitCommit,
	  HandleCommitRequest, HandleReInitCommitResponse, (void)rq);
	P("ReInitWelcome unknown reinit", ReInitWelcome, ReInitWelcomeRequest,
	  CreateSubgroupResponse, rq.add_key_package(junk));
	P("HandleReInitWelcome unknown reinit", HandleReInitWelcome,
	  HandleReInitWelcomeRequest, JoinGroupResponse,
	  rq.set_welcome(junk));
	P("CreateBranch unknown state", CreateBranch, CreateBranchRequest,
	  CreateSubgroupResponse, (void)rq);
	P("HandleBranch unknown state", HandleBranch, HandleBranchRequest,
	  HandleBranchResponse, (void)rq);
	P("NewMemberAddProposal garbage", NewMemberAddProposal,
	  NewMemberAddProposalRequest, NewMemberAddProposalResponse,
	  rq.set_group_info(junk));
	P("CreateExternalSigner suite 0", CreateExternalSigner,
	  CreateExternalSignerRequest, CreateExternalSignerResponse,
	  (void)rq);
	P("AddExternalSigner unknown state", AddExternalSigner,
	  AddExternalSignerRequest, ProposalResponse, (void)rq);
	P("ExternalSignerProposal unknown signer", ExternalSignerProposal,
	  ExternalSignerProposalRequest, ProposalResponse, (void)rq);
	P("Free unknown state", Free, FreeRequest, FreeResponse,
	  rq.set_state_id(31337));
#undef P
	return v;
}

// Requests against a real group: malformed bytes where a message goes.
static int group_probes(Stub &s, int *failed)
{
	grpc::ClientContext c1;
	pb::CreateGroupRequest cg;
	pb::CreateGroupResponse cgr;
	cg.set_cipher_suite(1);
	cg.set_group_id("probe");
	cg.set_identity("probe");
	if (!s.CreateGroup(&c1, cg, &cgr).ok()) {
		std::printf("not ok - CreateGroup suite 1\n");
		++*failed;
		return 1;
	}
	const std::string junk("\x00\x01\x00\x01\x00", 5);
	int n = 0;
	auto expect_error = [&](const char *what, grpc::Status st) {
		n++;
		bool ok = !st.ok() && !st.error_message().empty();
		std::printf("%s - %s: %s\n", ok ? "ok" : "not ok", what,
			    st.ok() ? "(succeeded)" : st.error_message().c_str());
		if (!ok)
			++*failed;
	};
	{
		grpc::ClientContext c;
		pb::UnprotectRequest rq;
		pb::UnprotectResponse rs;
		rq.set_state_id(cgr.state_id());
		rq.set_ciphertext(junk);
		expect_error("Unprotect truncated", s.Unprotect(&c, rq, &rs));
	}
	{
		grpc::ClientContext c;
		pb::HandleCommitRequest rq;
		pb::HandleCommitResponse rs;
		rq.set_state_id(cgr.state_id());
		rq.add_proposal(junk);
		rq.set_commit(junk);
		expect_error("HandleCommit malformed", s.HandleCommit(&c, rq, &rs));
	}
	{
		grpc::ClientContext c;
		pb::AddProposalRequest rq;
		pb::ProposalResponse rs;
		rq.set_state_id(cgr.state_id());
		rq.set_key_package(junk);
		expect_error("AddProposal malformed", s.AddProposal(&c, rq, &rs));
	}
	{
		grpc::ClientContext c;
		pb::CommitRequest rq;
		pb::CommitResponse rs;
		rq.set_state_id(cgr.state_id());
		rq.add_by_value()->set_proposal_type("nonsense");
		expect_error("Commit unknown proposal type", s.Commit(&c, rq, &rs));
	}
	{
		grpc::ClientContext c;
		pb::ExportRequest rq;
		pb::ExportResponse rs;
		rq.set_state_id(cgr.state_id());
		rq.set_key_length(0xffffffffu);
		expect_error("Export huge length", s.Export(&c, rq, &rs));
	}
	{
		grpc::ClientContext c;
		pb::HandlePendingCommitRequest rq;
		pb::HandleCommitResponse rs;
		rq.set_state_id(cgr.state_id());
		expect_error("HandlePendingCommit without commit",
			     s.HandlePendingCommit(&c, rq, &rs));
	}
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: %s HOST:PORT\n", argv[0]);
		return 2;
	}
	auto chan = grpc::CreateChannel(argv[1],
					grpc::InsecureChannelCredentials());
	auto stub = pb::MLSClient::NewStub(chan);
	int passed = 0, failed = 0;

	for (const Probe &p : probes()) {
		grpc::ClientContext c;
		grpc::Status st = p.call(*stub, c);
		bool ok = !st.ok() && !st.error_message().empty() &&
			  st.error_code() != grpc::StatusCode::UNAVAILABLE;
		std::printf("%s - %s: %s\n", ok ? "ok" : "not ok", p.what,
			    st.ok() ? "(succeeded)" : st.error_message().c_str());
		ok ? passed++ : failed++;
	}
	int before = failed;
	int n = group_probes(*stub, &failed);
	passed += n - (failed - before);
	{
		// still alive?
		grpc::ClientContext c;
		pb::NameRequest rq;
		pb::NameResponse rs;
		bool ok = stub->Name(&c, rq, &rs).ok();
		std::printf("%s - server still answers\n", ok ? "ok" : "not ok");
		ok ? passed++ : failed++;
	}
	std::printf("probe: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
