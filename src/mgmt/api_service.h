#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/secret_string.h"
#include "domain/model.h"
#include "mgmt/deps.h"

namespace gatehouse::mgmt {

struct ApiInput {
  std::optional<std::string> name;
  std::optional<std::string> identifier;
  std::optional<std::vector<domain::Scope>> scopes;
  std::optional<int64_t> token_lifetime;
  std::optional<std::string> signing_alg;
};

struct CreatedApi {
  domain::Api api;
  SecretString credential_secret;  // shown once
};

// APIs (resource servers) of an environment the caller owns.
class ApiService {
 public:
  explicit ApiService(Deps& deps) : deps_(deps) {}

  Result<CreatedApi> Create(const std::string& owner_id, const std::string& env_id,
                            const ApiInput& input);
  Result<domain::Api> Get(const std::string& owner_id, const std::string& env_id,
                          const std::string& id);
  Result<store::Page<domain::Api>> List(const std::string& owner_id, const std::string& env_id,
                                        store::PageRequest page);
  // The identifier is the audience of tokens in flight: it cannot change.
  Result<domain::Api> Update(const std::string& owner_id, const std::string& env_id,
                             const std::string& id, const ApiInput& input);
  Status Delete(const std::string& owner_id, const std::string& env_id, const std::string& id);

 private:
  Status Apply(const ApiInput& input, domain::Api& api);
  Deps& deps_;
};

}  // namespace gatehouse::mgmt
