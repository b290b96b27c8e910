#include "mgmt/api_service.h"

#include <set>

#include "domain/validation.h"
#include "mgmt/key_service.h"

namespace gatehouse::mgmt {

Status ApiService::Apply(const ApiInput& input, domain::Api& api) {
  if (input.name) {
    GH_ASSIGN_OR_RETURN(api.name, domain::ValidateName(*input.name, "name"));
  }
  if (input.scopes) {
    if (input.scopes->size() > 200) {
      return Fail(Error::InvalidRequest("scopes: at most 200 scopes", "scopes"));
    }
    std::set<std::string> seen;
    for (const auto& scope : *input.scopes) {
      GH_RETURN_IF_ERROR(domain::ValidateScopeName(scope.name, "scopes"));
      GH_RETURN_IF_ERROR(domain::ValidateDescription(scope.description, "scopes"));
      if (!seen.insert(scope.name).second) {
        return Fail(
            Error::InvalidRequest("scopes: \"" + scope.name + "\" appears twice", "scopes"));
      }
    }
    api.scopes = *input.scopes;
  }
  if (input.token_lifetime) {
    if (*input.token_lifetime < 1 || *input.token_lifetime > 86400) {
      return Fail(
          Error::InvalidRequest("token_lifetime: must be 1 to 86400 seconds", "token_lifetime"));
    }
    api.token_lifetime = static_cast<int>(*input.token_lifetime);
  }
  if (input.signing_alg) {
    GH_RETURN_IF_ERROR(domain::ValidateSigningAlg(*input.signing_alg, "signing_alg"));
    api.signing_alg = *input.signing_alg;
  }
  return {};
}

Result<CreatedApi> ApiService::Create(const std::string& owner_id, const std::string& env_id,
                                      const ApiInput& input) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  if (!input.name) return Fail(Error::InvalidRequest("name: is required", "name"));
  if (!input.identifier) {
    return Fail(Error::InvalidRequest("identifier: is required", "identifier"));
  }
  GH_RETURN_IF_ERROR(domain::ValidateApiIdentifier(*input.identifier, "identifier"));
  domain::Api api;
  api.identifier = *input.identifier;
  GH_RETURN_IF_ERROR(Apply(input, api));
  api.id = deps_.NewId("api_");
  api.environment_id = env_id;
  api.credential_client_id = deps_.NewId("rs_");
  SecretString secret(deps_.NewSecret());
  api.credential_secret_hash = deps_.hasher.Hash(secret.Reveal());
  api.created_at = deps_.clock.Now();
  // Keys first: an API must never be visible in a snapshot without a key to sign for it.
  GH_RETURN_IF_ERROR(KeyService(deps_).EnsureKeys(env_id, api.signing_alg));
  GH_ASSIGN_OR_RETURN(auto created, deps_.store.CreateApi(api));
  GH_RETURN_IF_ERROR(deps_.registry.Reload(env_id));
  return CreatedApi{std::move(created), std::move(secret)};
}

Result<domain::Api> ApiService::Get(const std::string& owner_id, const std::string& env_id,
                                    const std::string& id) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  return deps_.store.GetApi(env_id, id);
}

Result<store::Page<domain::Api>> ApiService::List(const std::string& owner_id,
                                                  const std::string& env_id,
                                                  store::PageRequest page) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  return deps_.store.ListApis(env_id, page);
}

Result<domain::Api> ApiService::Update(const std::string& owner_id, const std::string& env_id,
                                       const std::string& id, const ApiInput& input) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  GH_ASSIGN_OR_RETURN(auto api, deps_.store.GetApi(env_id, id));
  if (input.identifier && *input.identifier != api.identifier) {
    return Fail(Error::InvalidRequest(
        "identifier: cannot be changed (it is the audience of tokens already issued); "
        "register a new API instead",
        "identifier"));
  }
  GH_RETURN_IF_ERROR(Apply(input, api));
  GH_RETURN_IF_ERROR(KeyService(deps_).EnsureKeys(env_id, api.signing_alg));
  GH_ASSIGN_OR_RETURN(auto updated, deps_.store.UpdateApi(api));
  GH_RETURN_IF_ERROR(deps_.registry.Reload(env_id));
  return updated;
}

Status ApiService::Delete(const std::string& owner_id, const std::string& env_id,
                          const std::string& id) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  GH_RETURN_IF_ERROR(deps_.store.DeleteApi(env_id, id));
  return deps_.registry.Reload(env_id);
}

}  // namespace gatehouse::mgmt
