// SPDX-License-Identifier: MIT
// A member's proposals (§12.1), sent as the group's handshake wire format.
#include "mls_raii.h"
#include "rpc_error.h"
#include "service.h"

RPC_BODY(AddProposal, AddProposalRequest, ProposalResponse)
{
	auto st = table.group(req.state_id());
	std::string kp = bare_key_package(req.key_package());
	OwnedProposal p;

	check_mls(mls_group_make_add(&st->g, bytes_of(kp), kp.size(), &p.p),
		  "add proposal");
	propose(*st, p.p, resp);
}

RPC_BODY(UpdateProposal, UpdateProposalRequest, ProposalResponse)
{
	auto st = table.group(req.state_id());
	OwnedProposal p;

	check_mls(mls_group_make_update(&st->g, &p.p), "update proposal");
	propose(*st, p.p, resp);
}

RPC_BODY(RemoveProposal, RemoveProposalRequest, ProposalResponse)
{
	auto st = table.group(req.state_id());
	OwnedProposal p;

	check_mls(mls_group_make_remove(&st->g, leaf_of(st->g, req.removed_id()),
					&p.p),
		  "remove proposal");
	propose(*st, p.p, resp);
}

RPC_BODY(ExternalPSKProposal, ExternalPSKProposalRequest, ProposalResponse)
{
	auto st = table.group(req.state_id());
	OwnedProposal p;

	check_mls(mls_group_make_external_psk(&st->g, bytes_of(req.psk_id()),
					      req.psk_id().size(), &p.p),
		  "external PSK proposal");
	propose(*st, p.p, resp);
}

RPC_BODY(ResumptionPSKProposal, ResumptionPSKProposalRequest,
	 ProposalResponse)
{
	auto st = table.group(req.state_id());
	OwnedProposal p;

	check_mls(mls_group_make_resumption_psk(&st->g, req.epoch_id(), &p.p),
		  "resumption PSK proposal");
	propose(*st, p.p, resp);
}

RPC_BODY(GroupContextExtensionsProposal,
	 GroupContextExtensionsProposalRequest, ProposalResponse)
{
	auto st = table.group(req.state_id());
	ExtensionList exts(req.extensions());
	OwnedProposal p;

	check_mls(mls_group_make_extensions(&exts.list, &p.p),
		  "group context extensions proposal");
	propose(*st, p.p, resp);
}

RPC_BODY(ReInitProposal, ReInitProposalRequest, ProposalResponse)
{
	auto st = table.group(req.state_id());
	ExtensionList exts(req.extensions());
	OwnedProposal p;

	if (req.cipher_suite() > 0xffff)
		suite_of(req.cipher_suite());
	check_mls(mls_group_make_reinit(&st->g, bytes_of(req.group_id()),
					req.group_id().size(),
					MLS_PROTOCOL_MLS10,
					uint16_t(req.cipher_suite()),
					&exts.list, &p.p),
		  "reinit proposal");
	propose(*st, p.p, resp);
}
