#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace gatehouse::domain {

// One audit trail entry: who did what, when, from where. Never a secret or a whole token:
// tokens appear by jti, secrets not at all. `detail` is a JSON object (reason, jti, target...).
struct AuditEvent {
  int64_t seq = 0;
  TimePoint at;
  std::string type;  // "token.issued", "token.refused", "client.created", ...
  std::string project_id;
  std::string environment_id;
  std::string actor;  // account id or client_id; empty when unknown
  std::string client_id;
  std::string ip;
  std::string request_id;
  std::string detail = "{}";
};

struct AuditFilter {
  std::string project_id;  // one of project_id / environment_id / actor is set
  std::string actor;       // an account's own trail (logins, its management changes)
  std::string environment_id;
  std::string type;  // exact, or a prefix ending in '.' ("token.")
  std::string client_id;
  std::optional<TimePoint> since;
  std::optional<TimePoint> until;
};

// A security alert (a block, a burst of invalid tokens); delivered to the project's webhooks.
struct Alert {
  int64_t seq = 0;
  std::string id;
  std::string project_id;
  std::string environment_id;
  std::string type;  // "block.created", "verify.invalid_burst"
  std::string message;
  std::string detail = "{}";  // JSON object
  TimePoint created_at;
};

struct Webhook {
  int64_t seq = 0;
  std::string id;
  std::string project_id;
  std::string url;
  std::vector<std::string> events;  // alert types, or "*"
  std::string sealed_secret;        // under the master key
  TimePoint created_at;

  bool Wants(const std::string& type) const;
};

struct WebhookDelivery {
  int64_t seq = 0;
  std::string id;
  std::string webhook_id;
  std::string event;
  std::string payload;  // the JSON body sent
  int attempts = 0;
  std::string state = "pending";  // "pending", "delivered", "failed"
  TimePoint next_attempt_at;
  std::optional<int> last_status;
  std::string last_error;
  TimePoint created_at;
};

}  // namespace gatehouse::domain
