#include "mgmt/client_service.h"

#include <map>
#include <set>

#include "domain/validation.h"
#include "mgmt/security_service.h"

namespace gatehouse::mgmt {

Status ClientService::Apply(const std::string& env_id, const ClientInput& input,
                            domain::Client& client) {
  if (input.rate_limit) {
    if (*input.rate_limit) GH_RETURN_IF_ERROR(ValidateRateLimit(**input.rate_limit, "rate_limit"));
    client.rate_limit = *input.rate_limit;
  }
  if (input.name) {
    GH_ASSIGN_OR_RETURN(client.name, domain::ValidateName(*input.name, "name"));
  }
  if (input.description) {
    GH_ASSIGN_OR_RETURN(client.description,
                        domain::ValidateDescription(*input.description, "description"));
  }
  if (input.token_endpoint_auth_method) {
    GH_RETURN_IF_ERROR(domain::ValidateAuthMethod(*input.token_endpoint_auth_method,
                                                  "token_endpoint_auth_method"));
    client.token_endpoint_auth_method = *input.token_endpoint_auth_method;
  }
  if (input.enabled) client.enabled = *input.enabled;
  if (input.grants) {
    // Grants are checked against the environment's current APIs, read from the store so that
    // an API created a moment ago is there.
    std::map<std::string, domain::Api, std::less<>> apis;
    for (store::PageRequest page{200, 0};;) {
      GH_ASSIGN_OR_RETURN(auto listed, deps_.store.ListApis(env_id, page));
      for (auto& a : listed.items) apis.emplace(a.identifier, std::move(a));
      if (!listed.next_after_seq) break;
      page.after_seq = *listed.next_after_seq;
    }
    std::vector<domain::Grant> grants;
    std::set<std::string> seen;
    for (const auto& g : *input.grants) {
      auto found = apis.find(g.api);
      if (found == apis.end()) {
        return Fail(Error::InvalidRequest(
            "grants: no API with identifier \"" + g.api + "\" in this environment", "grants"));
      }
      const domain::Api* api = &found->second;
      if (!seen.insert(g.api).second) {
        return Fail(Error::InvalidRequest("grants: API \"" + g.api + "\" appears twice", "grants"));
      }
      if (g.scopes.empty()) {
        return Fail(Error::InvalidRequest(
            "grants: the grant of \"" + g.api + "\" must name at least one scope", "grants"));
      }
      std::set<std::string> scopes_seen;
      for (const auto& s : g.scopes) {
        if (!api->HasScope(s)) {
          return Fail(Error::InvalidRequest(
              "grants: API \"" + g.api + "\" has no scope \"" + s + "\"", "grants"));
        }
        if (!scopes_seen.insert(s).second) {
          return Fail(Error::InvalidRequest("grants: scope \"" + s + "\" appears twice", "grants"));
        }
      }
      grants.push_back({api->id, api->identifier, g.scopes});
    }
    client.grants = std::move(grants);
  }
  return {};
}

Result<ClientWithSecret> ClientService::Create(const std::string& owner_id,
                                               const std::string& env_id,
                                               const ClientInput& input) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  if (!input.name) return Fail(Error::InvalidRequest("name: is required", "name"));
  domain::Client client;
  GH_RETURN_IF_ERROR(Apply(env_id, input, client));
  client.id = deps_.NewId("cli_");
  client.environment_id = env_id;
  client.client_id = deps_.NewId("ci_");
  client.created_at = deps_.clock.Now();
  SecretString secret(deps_.NewSecret());
  client.secrets.push_back({0, deps_.hasher.Hash(secret.Reveal()), client.created_at, {}});
  GH_ASSIGN_OR_RETURN(auto created, deps_.store.CreateClient(client));
  GH_RETURN_IF_ERROR(deps_.registry.ReloadClient(env_id, created.id, created.client_id));
  return ClientWithSecret{std::move(created), std::move(secret), {}};
}

Result<domain::Client> ClientService::Get(const std::string& owner_id, const std::string& env_id,
                                          const std::string& id) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  return deps_.store.GetClient(env_id, id);
}

Result<store::Page<domain::Client>> ClientService::List(const std::string& owner_id,
                                                        const std::string& env_id,
                                                        store::PageRequest page) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  return deps_.store.ListClients(env_id, page);
}

Result<domain::Client> ClientService::Update(const std::string& owner_id, const std::string& env_id,
                                             const std::string& id, const ClientInput& input) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  GH_ASSIGN_OR_RETURN(auto client, deps_.store.GetClient(env_id, id));
  GH_RETURN_IF_ERROR(Apply(env_id, input, client));
  GH_ASSIGN_OR_RETURN(auto updated, deps_.store.UpdateClient(client));
  GH_RETURN_IF_ERROR(deps_.registry.ReloadClient(env_id, updated.id, updated.client_id));
  return updated;
}

Status ClientService::Delete(const std::string& owner_id, const std::string& env_id,
                             const std::string& id) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  GH_ASSIGN_OR_RETURN(auto client, deps_.store.GetClient(env_id, id));
  GH_RETURN_IF_ERROR(deps_.store.DeleteClient(env_id, id));
  return deps_.registry.ReloadClient(env_id, id, client.client_id);
}

Result<ClientWithSecret> ClientService::RotateSecret(const std::string& owner_id,
                                                     const std::string& env_id,
                                                     const std::string& id,
                                                     int64_t previous_secret_ttl) {
  if (previous_secret_ttl < 0 || previous_secret_ttl > kMaxPreviousSecretTtl) {
    return Fail(Error::InvalidRequest("previous_secret_ttl: must be 0 to 2592000 seconds (30 days)",
                                      "previous_secret_ttl"));
  }
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  SecretString secret(deps_.NewSecret());
  const TimePoint now = deps_.clock.Now();
  GH_ASSIGN_OR_RETURN(auto client,
                      deps_.store.RotateSecret(env_id, id, deps_.hasher.Hash(secret.Reveal()), now,
                                               std::chrono::seconds(previous_secret_ttl)));
  GH_RETURN_IF_ERROR(deps_.registry.ReloadClient(env_id, client.id, client.client_id));
  std::optional<TimePoint> previous_expires;
  if (previous_secret_ttl > 0) previous_expires = now + std::chrono::seconds(previous_secret_ttl);
  return ClientWithSecret{std::move(client), std::move(secret), previous_expires};
}

Result<domain::Client> ClientService::RevokeTokens(const std::string& owner_id,
                                                   const std::string& env_id,
                                                   const std::string& id) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  GH_ASSIGN_OR_RETURN(auto client, deps_.store.RevokeTokens(env_id, id, deps_.clock.Now()));
  GH_RETURN_IF_ERROR(deps_.registry.ReloadClient(env_id, client.id, client.client_id));
  return client;
}

}  // namespace gatehouse::mgmt
