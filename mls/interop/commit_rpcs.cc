// SPDX-License-Identifier: MIT
// Commits (§12.4): creating one, confirming our pending one, following
// another member's. The state id stays the same across epochs.
#include "mls_raii.h"
#include "rpc_error.h"
#include "service.h"

RPC_BODY(Commit, CommitRequest, CommitResponse)
{
	auto st = table.group(req.state_id());

	commit(*st, req, resp);
}

RPC_BODY(HandleCommit, HandleCommitRequest, HandleCommitResponse)
{
	auto st = table.group(req.state_id());

	handle_commit(*st, req);
	resp.set_state_id(req.state_id());
	resp.set_epoch_authenticator(epoch_authenticator(st->g));
}

RPC_BODY(HandlePendingCommit, HandlePendingCommitRequest,
	 HandleCommitResponse)
{
	auto st = table.group(req.state_id());

	check_mls(mls_group_confirm_commit(&st->g), "pending commit");
	resp.set_state_id(req.state_id());
	resp.set_epoch_authenticator(epoch_authenticator(st->g));
}
