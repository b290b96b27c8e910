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

Result<std::shared_ptr<const EnvironmentSnapshot>> BuildSnapshot(
    const store::EnvironmentConfig& config, const std::string& public_url, uint64_t version,
    const crypto::KeySealer& sealer) {
  auto snap = std::make_shared<EnvironmentSnapshot>();
  snap->environment_id = config.environment.id;
  snap->project_id = config.environment.project_id;
  snap->project_slug = config.project_slug;
  snap->environment_slug = config.environment.slug;
  snap->issuer = public_url + "/oauth/" + config.project_slug + "/" + config.environment.slug;
  snap->version = version;
  snap->rate_limit = config.environment.rate_limit;

  StringMap<std::shared_ptr<const ApiEntry>> by_id;
  for (const auto& api : config.apis) {
    auto entry = std::make_shared<ApiEntry>();
    entry->id = api.id;
    entry->identifier = api.identifier;
    entry->signing_alg = api.signing_alg;
    entry->token_lifetime = api.token_lifetime;
    for (const auto& s : api.scopes) entry->scopes.push_back(s.name);
    entry->credential_client_id = api.credential_client_id;
    entry->credential_secret_hash = api.credential_secret_hash;
    snap->apis_by_identifier.emplace(api.identifier, entry);
    snap->apis_by_credential.emplace(api.credential_client_id, entry);
    by_id.emplace(api.id, std::move(entry));
  }
  snap->clients.reserve(config.clients.size());
  // Scope lists by their joined form (a list whose names hold spaces, which validation
  // forbids, would only lose the sharing: the check above compares the names).
  std::unordered_map<std::string, std::shared_ptr<const GrantedScopes>> scope_lists;
  for (const auto& client : config.clients) {
    auto entry = std::make_shared<ClientEntry>();
    entry->id = client.id;
    entry->client_id = client.client_id;
    // Two valid values, so the snapshot points at the constants; anything else never matches.
    entry->auth_method =
        client.token_endpoint_auth_method == domain::kAuthBasic  ? domain::kAuthBasic
        : client.token_endpoint_auth_method == domain::kAuthPost ? domain::kAuthPost
                                                                 : "unknown";
    entry->enabled = client.enabled;
    for (const auto& s : client.secrets) entry->secrets.push_back({s.hash, s.expires_at});
    for (const auto& g : client.grants) {
      auto api = by_id.find(g.api_id);
      if (api == by_id.end()) continue;
      std::string joined;
      for (const auto& s : g.scopes) {
        if (!joined.empty()) joined += ' ';
        joined += s;
      }
      auto& shared = scope_lists[joined];
      if (!shared || shared->names != g.scopes) {
        shared = std::make_shared<const GrantedScopes>(GrantedScopes{g.scopes, joined});
      }
      entry->grants.push_back({api->second, shared});
    }
    entry->rate_limit = client.rate_limit;
    if (client.tokens_revoked_at) {
      entry->tokens_revoked_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                        client.tokens_revoked_at->time_since_epoch())
                                        .count();
    }
    const std::string_view key = entry->client_id;  // lives as long as the entry
    snap->clients.emplace(key, std::move(entry));
  }
  for (const auto& key : config.keys) {
    auto alg = crypto::ParseAlg(key.alg);
    if (!alg) return Fail(Error::Server("signing key " + key.kid + " has unknown alg " + key.alg));
    GH_ASSIGN_OR_RETURN(
        auto der, sealer.Open(key.sealed_private_key, KeySealAad(config.environment.id, key.kid)));
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
  return std::shared_ptr<const EnvironmentSnapshot>(std::move(snap));
}

}  // namespace gatehouse::snapshot
