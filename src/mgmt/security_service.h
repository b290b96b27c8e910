#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/secret_string.h"
#include "domain/security.h"
#include "mgmt/deps.h"
#include "ratelimit/lockout.h"

namespace gatehouse::mgmt {

struct WebhookInput {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
};

struct WebhookWithSecret {
  domain::Webhook webhook;
  SecretString secret;  // shown once
};

// The security side of the management API: the audit trail, alerts, blocks, per-environment
// rate limits and webhooks, each behind the same ownership check as everything else (other
// developers' objects are NotFound).
class SecurityService {
 public:
  // Alert types a webhook may subscribe to ("*" for all).
  static const std::vector<std::string>& AlertTypes();

  SecurityService(Deps& deps, ratelimit::Lockout& lockout) : deps_(deps), lockout_(lockout) {}

  // By filter.environment_id, else filter.project_id, else the caller's own trail (actor).
  Result<store::Page<domain::AuditEvent>> Audit(const std::string& owner_id,
                                                const domain::AuditFilter& filter,
                                                store::PageRequest page);
  Result<store::Page<domain::Alert>> Alerts(const std::string& owner_id, const std::string& env_id,
                                            store::PageRequest page);
  Result<std::vector<ratelimit::Block>> Blocks(const std::string& owner_id,
                                               const std::string& env_id, int64_t now_ns);
  Status LiftBlock(const std::string& owner_id, const std::string& env_id,
                   const std::string& block_id);

  // Sets (or, with nullopt, clears) the environment's rate limit; reloads its snapshot.
  Result<domain::Environment> SetRateLimit(const std::string& owner_id, const std::string& env_id,
                                           const std::optional<domain::RateLimit>& limit);

  // url: absolute http(s); events: non-empty, each an alert type or "*".
  Result<WebhookWithSecret> CreateWebhook(const std::string& owner_id,
                                          const std::string& project_id, const WebhookInput& in);
  Result<std::vector<domain::Webhook>> Webhooks(const std::string& owner_id,
                                                const std::string& project_id);
  Status DeleteWebhook(const std::string& owner_id, const std::string& project_id,
                       const std::string& id);
  Result<store::Page<domain::WebhookDelivery>> Deliveries(const std::string& owner_id,
                                                          const std::string& project_id,
                                                          const std::string& webhook_id,
                                                          store::PageRequest page);

 private:
  Status OwnsEnvironment(const std::string& owner_id, const std::string& env_id);
  Status OwnsProject(const std::string& owner_id, const std::string& project_id);
  Deps& deps_;
  ratelimit::Lockout& lockout_;
};

// Validates a rate limit from the API: requests_per_second in (0, 100000], burst in [1, 1e6].
Status ValidateRateLimit(const domain::RateLimit& limit, const std::string& field);

// AAD binding a sealed webhook secret to its webhook.
std::string WebhookSealAad(const std::string& webhook_id);

}  // namespace gatehouse::mgmt
