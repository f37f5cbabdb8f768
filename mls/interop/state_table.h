// SPDX-License-Identifier: MIT
// What the server remembers between RPCs, under the ids the test-runner
// passes back: group states, pending joins (KeyPackage transactions),
// reinitialized groups waiting for their successor, and external signers.
// One id space for all of them, so StorePSK can name either a state or a
// transaction. Every RPC holds the table's lock for its whole run: libmls
// groups are not to be used from two threads at once.
#ifndef MLS_INTEROP_STATE_TABLE_H
#define MLS_INTEROP_STATE_TABLE_H

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "mls_c.h"

// External PSKs by id, looked up by libmls through psk_lookup.
struct PskStore {
	std::map<std::string, std::string> secrets;
	~PskStore();
	static int lookup(void *ctx, const mls_psk_id *id,
			  const uint8_t **secret, size_t *secret_len);
};

// Who we are in one suite: a signature key pair and a basic credential.
struct Identity {
	const mls_suite *suite = nullptr;
	std::string identity;
	std::string sig_priv;
	std::string sig_pub;
	~Identity();
	static Identity generate(const mls_suite *s, const std::string &id);
	mls_signer signer() const;
};

// A KeyPackage we handed out and the private keys to join with it.
struct Transaction {
	Identity who;
	std::string key_package;	// encoded, not MLSMessage-wrapped
	mls_key_package_secrets secrets{};
	PskStore psks;
	~Transaction() { mls_key_package_secrets_wipe(&secrets); }
};

struct GroupState {
	mls_group g{};
	Identity who;
	PskStore psks;
	mls_group_wire wire = MLS_GROUP_WIRE_PUBLIC;
	// The proposal messages we sent in this epoch: they are in our cache
	// already, and a PrivateMessage of ours cannot be opened again.
	std::set<std::string> sent_proposals;
	uint64_t sent_epoch = 0;
	GroupState() = default;
	GroupState(const GroupState &) = delete;
	GroupState &operator=(const GroupState &) = delete;
	~GroupState() { mls_group_free(&g); }
	void note_sent(const std::string &msg);
	bool was_sent(const std::string &msg);
};

// A reinitialized group and our KeyPackage for its successor.
struct ReInitState {
	std::shared_ptr<GroupState> old;
	std::shared_ptr<Transaction> next;
};

struct ExternalSigner {
	Identity who;
	std::string external_sender;	// encoded ExternalSender
};

class StateTable {
public:
	std::mutex mu;

	uint32_t add(std::shared_ptr<GroupState> s);
	uint32_t add(std::shared_ptr<Transaction> t);
	uint32_t add(std::shared_ptr<ReInitState> r);
	uint32_t add(std::shared_ptr<ExternalSigner> e);

	// Each throws NOT_FOUND (RpcError) for an unknown id.
	std::shared_ptr<GroupState> group(uint32_t id);
	std::shared_ptr<Transaction> transaction(uint32_t id);
	std::shared_ptr<ReInitState> reinit(uint32_t id);
	std::shared_ptr<ExternalSigner> signer(uint32_t id);
	// The PSK store of a state or transaction id.
	PskStore &psk_store(uint32_t id);

	// Forget id, whatever it names; false if it names nothing.
	bool free(uint32_t id);

private:
	uint32_t next_id = 1;
	std::map<uint32_t, std::shared_ptr<GroupState>> groups;
	std::map<uint32_t, std::shared_ptr<Transaction>> transactions;
	std::map<uint32_t, std::shared_ptr<ReInitState>> reinits;
	std::map<uint32_t, std::shared_ptr<ExternalSigner>> signers;
};

#endif
