#include "snapshot/environment_snapshot.h"

#include "crypto/alg.h"
#include "snapshot/documents.h"

namespace gatehouse::snapshot {
namespace {

template <typename V>
const typename V::element_type* FindIn(const StringMap<V>& map, std::string_view key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : it->second.get();
}

// The snapshot entry of one client. Grants of APIs that `snap` does not know are left out
// (an API deleted in the same moment); `shared` pools equal scope lists when given.
std::shared_ptr<ClientEntry> MakeClientEntry(domain::Client client, const EnvironmentSnapshot& snap,
                                             ScopeLists* shared) {
  auto entry = std::make_shared<ClientEntry>();
  entry->id = std::move(client.id);
  entry->client_id = std::move(client.client_id);
  // Two valid values, so the snapshot points at the constants; anything else never matches.
  entry->auth_method = client.token_endpoint_auth_method == domain::kAuthBasic  ? domain::kAuthBasic
                       : client.token_endpoint_auth_method == domain::kAuthPost ? domain::kAuthPost
                                                                                : "unknown";
  entry->enabled = client.enabled;
  entry->secrets.reserve(client.secrets.size());
  for (auto& s : client.secrets) entry->secrets.push_back({std::move(s.hash), s.expires_at});
  entry->grants.reserve(client.grants.size());
  for (auto& g : client.grants) {
    auto api = snap.apis_by_id.find(g.api_id);
    if (api == snap.apis_by_id.end()) continue;
    std::string joined;
    for (const auto& s : g.scopes) {
      if (!joined.empty()) joined += ' ';
      joined += s;
    }
    // A list whose names hold spaces (validation forbids them) would only lose the sharing:
    // the names are compared too.
    std::shared_ptr<const GrantedScopes> own;
    auto& scopes = shared != nullptr ? (*shared)[joined] : own;
    if (!scopes || scopes->names != g.scopes) {
      scopes = std::make_shared<const GrantedScopes>(
          GrantedScopes{std::move(g.scopes), std::move(joined)});
    }
    entry->grants.push_back({api->second, scopes});
  }
  entry->rate_limit = client.rate_limit;
  if (client.tokens_revoked_at) {
    entry->tokens_revoked_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                      client.tokens_revoked_at->time_since_epoch())
                                      .count();
  }
  return entry;
}

}  // namespace

const GrantEntry* ClientEntry::FindGrant(std::string_view api_identifier) const {
  for (const auto& g : grants) {
    if (g.api->identifier == api_identifier) return &g;
  }
  return nullptr;
}

const ApiEntry* EnvironmentSnapshot::FindApi(std::string_view identifier) const {
  return FindIn(apis_by_identifier, identifier);
}
const ApiEntry* EnvironmentSnapshot::FindApiByCredential(std::string_view client_id) const {
  return FindIn(apis_by_credential, client_id);
}
const ClientEntry* EnvironmentSnapshot::FindClient(std::string_view client_id) const {
  auto it = clients.find(client_id);
  return it == clients.end() ? nullptr : it->second.get();
}

const crypto::PublicKey* PublishedKeys::Find(std::string_view kid) const {
  return FindIn(by_kid, kid);
}

const crypto::PrivateKey* EnvironmentSnapshot::SigningKey(std::string_view alg) const {
  return FindIn(signing_keys, alg);
}

std::string KeySealAad(std::string_view env_id, std::string_view kid) {
  std::string aad = "gatehouse-signing-key:";
  aad.append(env_id).append(":").append(kid);
  return aad;
}

SnapshotBuilder::SnapshotBuilder(const std::string& public_url, uint64_t version,
                                 const crypto::KeySealer& sealer)
    : public_url_(public_url), version_(version), sealer_(sealer) {}

Status SnapshotBuilder::Config(store::EnvironmentConfig config) {
  auto snap = std::make_shared<EnvironmentSnapshot>();
  snap->environment_id = config.environment.id;
  snap->project_id = config.environment.project_id;
  snap->project_slug = config.project_slug;
  snap->environment_slug = config.environment.slug;
  snap->issuer = public_url_ + "/oauth/" + config.project_slug + "/" + config.environment.slug;
  snap->version = version_;
  snap->rate_limit = config.environment.rate_limit;
  snap->clients.reserve(config.client_count);
  for (auto& api : config.apis) {
    auto entry = std::make_shared<ApiEntry>();
    entry->id = api.id;
    entry->identifier = api.identifier;
    entry->signing_alg = api.signing_alg;
    entry->token_lifetime = api.token_lifetime;
    for (auto& s : api.scopes) entry->scopes.push_back(std::move(s.name));
    entry->credential_client_id = api.credential_client_id;
    entry->credential_secret_hash = std::move(api.credential_secret_hash);
    snap->apis_by_identifier.emplace(api.identifier, entry);
    snap->apis_by_credential.emplace(api.credential_client_id, entry);
    snap->apis_by_id.emplace(api.id, std::move(entry));
  }
  for (const auto& key : config.keys) {
    auto alg = crypto::ParseAlg(key.alg);
    if (!alg) return Fail(Error::Server("signing key " + key.kid + " has unknown alg " + key.alg));
    GH_ASSIGN_OR_RETURN(
        auto der, sealer_.Open(key.sealed_private_key, KeySealAad(config.environment.id, key.kid)));
    GH_ASSIGN_OR_RETURN(auto private_key, crypto::PrivateKey::FromPkcs8Der(der, *alg));
    if (private_key.kid() != key.kid) {
      return Fail(Error::Server("signing key " + key.kid + " does not match its thumbprint"));
    }
    snap->published_keys.by_kid.emplace(key.kid,
                                        std::make_shared<crypto::PublicKey>(private_key.Public()));
    if (key.state == domain::kKeyCurrent) {
      snap->signing_keys.emplace(key.alg,
                                 std::make_shared<crypto::PrivateKey>(std::move(private_key)));
    }
  }
  snap->jwks_json = RenderJwks(*snap);
  snap->metadata_json = RenderMetadata(*snap);
  snap_ = std::move(snap);
  return {};
}

Status SnapshotBuilder::Client(domain::Client client) {
  auto entry = MakeClientEntry(std::move(client), *snap_, &scope_lists_);
  const std::string_view key = entry->client_id;  // lives as long as the entry
  snap_->clients.emplace(key, std::move(entry));
  return {};
}

std::shared_ptr<const EnvironmentSnapshot> SnapshotBuilder::Finish() { return std::move(snap_); }

std::shared_ptr<const EnvironmentSnapshot> WithClient(const EnvironmentSnapshot& base,
                                                      uint64_t version, std::string_view client_id,
                                                      const domain::Client* client) {
  if (client != nullptr) {
    for (const auto& g : client->grants) {
      if (!base.apis_by_id.contains(g.api_id)) return nullptr;
    }
  }
  auto snap = std::make_shared<EnvironmentSnapshot>(base);
  snap->version = version;
  snap->clients.erase(client_id);
  if (client != nullptr) {
    auto entry = MakeClientEntry(*client, *snap, nullptr);
    const std::string_view key = entry->client_id;
    snap->clients.emplace(key, std::move(entry));
  }
  return snap;
}

}  // namespace gatehouse::snapshot
