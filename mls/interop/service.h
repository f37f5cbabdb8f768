// SPDX-License-Identifier: MIT
// The MLSClient gRPC service (../shared/interop/proto/mls_client.proto) over
// libmls. Each RPC is a thin translation: decode the request, call libmls,
// encode the reply; the MLS logic is libmls's. The handlers live in one
// file per concern (client_rpcs.cc, join_rpcs.cc, proposal_rpcs.cc,
// commit_rpcs.cc, message_rpcs.cc, resumption_rpcs.cc, external_rpcs.cc).
#ifndef MLS_INTEROP_SERVICE_H
#define MLS_INTEROP_SERVICE_H

#include "mls_client.grpc.pb.h"
#include "state_table.h"

using grpc::ServerContext;
using grpc::Status;
namespace pb = mls_client;

class MlsClientService final : public pb::MLSClient::Service {
public:
#define RPC(name, req, resp)                                              \
	Status name(ServerContext *, const pb::req *, pb::resp *) override; \
	void do_##name(const pb::req &, pb::resp &)
	RPC(Name, NameRequest, NameResponse);
	RPC(SupportedCiphersuites, SupportedCiphersuitesRequest,
	    SupportedCiphersuitesResponse);
	RPC(CreateGroup, CreateGroupRequest, CreateGroupResponse);
	RPC(CreateKeyPackage, CreateKeyPackageRequest,
	    CreateKeyPackageResponse);
	RPC(JoinGroup, JoinGroupRequest, JoinGroupResponse);
	RPC(ExternalJoin, ExternalJoinRequest, ExternalJoinResponse);
	RPC(GroupInfo, GroupInfoRequest, GroupInfoResponse);
	RPC(StateAuth, StateAuthRequest, StateAuthResponse);
	RPC(Export, ExportRequest, ExportResponse);
	RPC(Protect, ProtectRequest, ProtectResponse);
	RPC(Unprotect, UnprotectRequest, UnprotectResponse);
	RPC(StorePSK, StorePSKRequest, StorePSKResponse);
	RPC(AddProposal, AddProposalRequest, ProposalResponse);
	RPC(UpdateProposal, UpdateProposalRequest, ProposalResponse);
	RPC(RemoveProposal, RemoveProposalRequest, ProposalResponse);
	RPC(ExternalPSKProposal, ExternalPSKProposalRequest,
	    ProposalResponse);
	RPC(ResumptionPSKProposal, ResumptionPSKProposalRequest,
	    ProposalResponse);
	RPC(GroupContextExtensionsProposal,
	    GroupContextExtensionsProposalRequest, ProposalResponse);
	RPC(Commit, CommitRequest, CommitResponse);
	RPC(HandleCommit, HandleCommitRequest, HandleCommitResponse);
	RPC(HandlePendingCommit, HandlePendingCommitRequest,
	    HandleCommitResponse);
	RPC(ReInitProposal, ReInitProposalRequest, ProposalResponse);
	RPC(ReInitCommit, CommitRequest, CommitResponse);
	RPC(HandlePendingReInitCommit, HandlePendingCommitRequest,
	    HandleReInitCommitResponse);
	RPC(HandleReInitCommit, HandleCommitRequest,
	    HandleReInitCommitResponse);
	RPC(ReInitWelcome, ReInitWelcomeRequest, CreateSubgroupResponse);
	RPC(HandleReInitWelcome, HandleReInitWelcomeRequest,
	    JoinGroupResponse);
	RPC(CreateBranch, CreateBranchRequest, CreateSubgroupResponse);
	RPC(HandleBranch, HandleBranchRequest, HandleBranchResponse);
	RPC(NewMemberAddProposal, NewMemberAddProposalRequest,
	    NewMemberAddProposalResponse);
	RPC(CreateExternalSigner, CreateExternalSignerRequest,
	    CreateExternalSignerResponse);
	RPC(AddExternalSigner, AddExternalSignerRequest, ProposalResponse);
	RPC(ExternalSignerProposal, ExternalSignerProposalRequest,
	    ProposalResponse);
	RPC(Free, FreeRequest, FreeResponse);
#undef RPC

private:
	StateTable table;

	// Shared by several handlers (group_helpers.cc).
	void propose(GroupState &st, const mls_proposal &p,
		     pb::ProposalResponse &out);
	void commit(GroupState &st, const pb::CommitRequest &req,
		    pb::CommitResponse &out);
	void handle_commit(GroupState &st, const pb::HandleCommitRequest &req);
	std::shared_ptr<Transaction>
	make_key_package(const mls_suite *s, const Identity &who);
	std::shared_ptr<GroupState>
	join(Transaction &tx, const std::string &welcome,
	     const std::string &ratchet_tree, const mls_group *resumption);
};

// Request field helpers (codec_helpers.cc).
const mls_suite *suite_of(uint32_t cipher_suite);
// A KeyPackage as the runner passes it (MLSMessage or bare), bare.
std::string bare_key_package(const std::string &in);
std::string wrap_key_package(const std::string &bare);
void decode_message(const std::string &in, mls_message &out,
		    const char *what);
void decode_tree(const std::string &in, mls_ratchet_tree &out);
std::string epoch_authenticator(const mls_group &g);
std::string tree_bytes(const mls_tree &t);
mls_group_policy interop_policy();
// The leaf of the member whose basic credential is identity.
uint32_t leaf_of(const mls_group &g, const std::string &identity);
// Build an extension list; the vector owns the copies.
struct ExtensionList {
	std::vector<mls_extension> items;
	mls_extension_list list{};
	explicit ExtensionList(
		const google::protobuf::RepeatedPtrField<pb::Extension> &exts);
	ExtensionList(const ExtensionList &) = delete;
};

// One proposal of a Commit's by-value list (group_helpers.cc).
void make_described_proposal(GroupState &st, const pb::ProposalDescription &d,
			     mls_proposal &out);

// Wraps a handler: the table lock, and errors turned into statuses.
#define RPC_BODY(name, Req, Resp)                                          \
	Status MlsClientService::name(ServerContext *, const pb::Req *rq,  \
				      pb::Resp *rs)                        \
	{                                                                  \
		return guarded([&] {                                       \
			std::lock_guard<std::mutex> lock(table.mu);        \
			do_##name(*rq, *rs);                               \
		});                                                        \
	}                                                                  \
	void MlsClientService::do_##name(const pb::Req &req, pb::Resp &resp)

#endif
