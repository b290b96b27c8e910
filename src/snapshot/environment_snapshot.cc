#include "snapshot/environment_snapshot.h"

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
  return FindIn(clients, client_id);
}

std::shared_ptr<const EnvironmentSnapshot> BuildSnapshot(const store::EnvironmentConfig& config,
                                                         const std::string& public_url,
                                                         uint64_t version) {
  auto snap = std::make_shared<EnvironmentSnapshot>();
  snap->environment_id = config.environment.id;
  snap->project_id = config.environment.project_id;
  snap->project_slug = config.project_slug;
  snap->environment_slug = config.environment.slug;
  snap->issuer = public_url + "/oauth/" + config.project_slug + "/" + config.environment.slug;
  snap->version = version;

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
  for (const auto& client : config.clients) {
    auto entry = std::make_shared<ClientEntry>();
    entry->id = client.id;
    entry->client_id = client.client_id;
    entry->auth_method = client.token_endpoint_auth_method;
    entry->enabled = client.enabled;
    for (const auto& s : client.secrets) entry->secrets.push_back({s.hash, s.expires_at});
    for (const auto& g : client.grants) {
      auto api = by_id.find(g.api_id);
      if (api == by_id.end()) continue;
      GrantEntry grant{api->second, g.scopes, {}};
      for (const auto& s : g.scopes) {
        if (!grant.scope_string.empty()) grant.scope_string += ' ';
        grant.scope_string += s;
      }
      entry->grants.push_back(std::move(grant));
    }
    if (client.tokens_revoked_at)
      entry->tokens_revoked_at = ToUnixSeconds(*client.tokens_revoked_at);
    snap->clients.emplace(client.client_id, std::move(entry));
  }
  return snap;
}

}  // namespace gatehouse::snapshot
