// SPDX-License-Identifier: MIT
#include "state_table.h"

#include <cstring>

#include "mls_raii.h"
#include "rpc_error.h"

static void wipe_string(std::string &s)
{
	if (!s.empty())
		mls_wipe(&s[0], s.size());
	s.clear();
}

PskStore::~PskStore()
{
	for (auto &kv : secrets)
		wipe_string(kv.second);
}

int PskStore::lookup(void *ctx, const mls_psk_id *id, const uint8_t **secret,
		     size_t *secret_len)
{
	auto *store = static_cast<PskStore *>(ctx);

	if (!store || id->psktype != MLS_PSK_EXTERNAL)
		return MLS_ERR_NOT_FOUND;
	std::string key(reinterpret_cast<const char *>(id->psk_id.data),
			id->psk_id.len);
	auto it = store->secrets.find(key);
	if (it == store->secrets.end())
		return MLS_ERR_NOT_FOUND;
	*secret = bytes_of(it->second);
	*secret_len = it->second.size();
	return 0;
}

Identity::~Identity()
{
	wipe_string(sig_priv);
}

Identity Identity::generate(const mls_suite *s, const std::string &id)
{
	uint8_t priv[MLS_MAX_SIG_PRIV_LEN], pub[MLS_MAX_SIG_PUB_LEN];
	Identity who;

	int err = mls_sig_generate_keypair(nullptr, s, priv, pub);
	if (err) {
		mls_wipe(priv, sizeof(priv));
		check_mls(err, "signature key");
	}
	who.suite = s;
	who.identity = id;
	who.sig_priv.assign(reinterpret_cast<char *>(priv), s->sig_priv_len);
	who.sig_pub.assign(reinterpret_cast<char *>(pub), s->sig_pub_len);
	mls_wipe(priv, sizeof(priv));
	return who;
}

mls_signer Identity::signer() const
{
	mls_signer sg;

	std::memset(&sg, 0, sizeof(sg));
	sg.sig_priv = bytes_of(sig_priv);
	sg.sig_priv_len = sig_priv.size();
	sg.identity = bytes_of(identity);
	sg.identity_len = identity.size();
	return sg;
}

void GroupState::note_sent(const std::string &msg)
{
	if (sent_epoch != mls_group_epoch(&g)) {
		sent_proposals.clear();
		sent_epoch = mls_group_epoch(&g);
	}
	sent_proposals.insert(msg);
}

bool GroupState::was_sent(const std::string &msg)
{
	return sent_epoch == mls_group_epoch(&g) && sent_proposals.count(msg);
}

uint32_t StateTable::add(std::shared_ptr<GroupState> s)
{
	groups[next_id] = std::move(s);
	return next_id++;
}

uint32_t StateTable::add(std::shared_ptr<Transaction> t)
{
	transactions[next_id] = std::move(t);
	return next_id++;
}

uint32_t StateTable::add(std::shared_ptr<ReInitState> r)
{
	reinits[next_id] = std::move(r);
	return next_id++;
}

uint32_t StateTable::add(std::shared_ptr<ExternalSigner> e)
{
	signers[next_id] = std::move(e);
	return next_id++;
}

template <typename M>
static typename M::mapped_type find_or_fail(M &m, uint32_t id,
					    const char *what)
{
	auto it = m.find(id);
	if (it == m.end())
		fail(grpc::StatusCode::NOT_FOUND,
		     std::string("no ") + what + " with id " +
			     std::to_string(id));
	return it->second;
}

std::shared_ptr<GroupState> StateTable::group(uint32_t id)
{
	return find_or_fail(groups, id, "group state");
}

std::shared_ptr<Transaction> StateTable::transaction(uint32_t id)
{
	return find_or_fail(transactions, id, "transaction");
}

std::shared_ptr<ReInitState> StateTable::reinit(uint32_t id)
{
	return find_or_fail(reinits, id, "reinit state");
}

std::shared_ptr<ExternalSigner> StateTable::signer(uint32_t id)
{
	return find_or_fail(signers, id, "external signer");
}

PskStore &StateTable::psk_store(uint32_t id)
{
	auto g = groups.find(id);
	if (g != groups.end())
		return g->second->psks;
	auto t = transactions.find(id);
	if (t != transactions.end())
		return t->second->psks;
	fail(grpc::StatusCode::NOT_FOUND,
	     "no group state or transaction with id " + std::to_string(id));
}

bool StateTable::free(uint32_t id)
{
	return groups.erase(id) + transactions.erase(id) + reinits.erase(id) +
		       signers.erase(id) >
	       0;
}
