#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/secret_string.h"
#include "domain/model.h"
#include "mgmt/deps.h"

namespace gatehouse::mgmt {

struct GrantInput {
  std::string api;  // the API identifier
  std::vector<std::string> scopes;
};

struct ClientInput {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> token_endpoint_auth_method;
  std::optional<bool> enabled;
  std::optional<std::vector<GrantInput>> grants;
  // Outer: present in the request; inner nullopt: clear (the environment's limit applies).
  std::optional<std::optional<domain::RateLimit>> rate_limit = std::nullopt;
};

struct ClientWithSecret {
  domain::Client client;
  SecretString secret;  // shown once
  std::optional<TimePoint> previous_secret_expires_at;
};

// Clients (API consumers) of an environment the caller owns.
class ClientService {
 public:
  static constexpr int64_t kMaxPreviousSecretTtl = 30 * 24 * 3600;

  explicit ClientService(Deps& deps) : deps_(deps) {}

  // Grants must name APIs of the same environment and only their scopes; an empty scope list
  // grants nothing and is refused.
  Result<ClientWithSecret> Create(const std::string& owner_id, const std::string& env_id,
                                  const ClientInput& input);
  Result<domain::Client> Get(const std::string& owner_id, const std::string& env_id,
                             const std::string& id);
  Result<store::Page<domain::Client>> List(const std::string& owner_id, const std::string& env_id,
                                           store::PageRequest page);
  Result<domain::Client> Update(const std::string& owner_id, const std::string& env_id,
                                const std::string& id, const ClientInput& input);
  Status Delete(const std::string& owner_id, const std::string& env_id, const std::string& id);
  // previous_secret_ttl: 0 to 30 days (400 naming the field otherwise).
  Result<ClientWithSecret> RotateSecret(const std::string& owner_id, const std::string& env_id,
                                        const std::string& id, int64_t previous_secret_ttl);
  Result<domain::Client> RevokeTokens(const std::string& owner_id, const std::string& env_id,
                                      const std::string& id);

 private:
  Status Apply(const std::string& env_id, const ClientInput& input, domain::Client& client);
  Deps& deps_;
};

}  // namespace gatehouse::mgmt
