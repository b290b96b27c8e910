#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "alerts/alert_sink.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "domain/security.h"
#include "http/message.h"
#include "metrics/metrics.h"
#include "ratelimit/limiter.h"
#include "ratelimit/lockout.h"

namespace gatehouse::snapshot {
struct EnvironmentSnapshot;
}

namespace gatehouse::http {

struct ProtectionOptions {
  // Per source IP, on by default (management traffic is light; these only stop abuse).
  ratelimit::Limit accounts{0.5, 20};
  ratelimit::Limit login{2, 30};
  ratelimit::Limit management{100, 500};
  // Failed client authentications (token, introspection, revocation).
  ratelimit::BlockPolicy client_ip{10, 60'000'000'000, 15 * 60'000'000'000LL,
                                   24 * 3600'000'000'000LL};
  ratelimit::BlockPolicy ip{100, 60'000'000'000, 15 * 60'000'000'000LL, 24 * 3600'000'000'000LL};
  // Developer logins per account+IP: short blocks that double (backoff).
  ratelimit::BlockPolicy login_fail{5, 300'000'000'000, 60'000'000'000, 3600'000'000'000LL};
  // Invalid tokens presented through the verify endpoint, per forwarded source.
  ratelimit::BlockPolicy verify_source{20, 60'000'000'000, 15 * 60'000'000'000LL,
                                       24 * 3600'000'000'000LL};
  // Invalid tokens per environment and audience before a burst alert (no block).
  int verify_burst = 100;
};

using alerts::AlertSink;

// Rate limits, blocking and the audit/metrics side of both, in one place that handlers ask.
// Every check is in memory; refusals are answered here (429 + Retry-After) so that handlers
// stay free of policy. Thread-safe.
class Protection {
 public:
  Protection(ProtectionOptions options, audit::AuditLog& audit, metrics::Metrics& metrics,
             const Clock& clock);

  void SetAlertSink(AlertSink* sink) { alerts_ = sink; }
  const ProtectionOptions& options() const { return options_; }
  audit::AuditLog& audit() { return audit_; }
  metrics::Metrics& metrics() { return metrics_; }
  ratelimit::Lockout& lockout() { return lockout_; }

  // A 429 when `key` under `limit` is over its rate, counted as `name`.
  std::optional<Response> Admit(std::string_view name, std::string_view key,
                                const ratelimit::Limit& limit, ErrorStyle style);

  // OAuth client authentication (token, introspection, revocation).
  std::optional<Response> CheckClientBlocked(const snapshot::EnvironmentSnapshot& env,
                                             std::string_view client_id, const Request& req,
                                             std::string_view endpoint);
  void ClientAuthFailed(const snapshot::EnvironmentSnapshot& env, const std::string& client_id,
                        const Request& req);

  // Developer logins.
  std::optional<Response> CheckLoginBlocked(std::string_view email, const Request& req);
  void LoginFailed(const std::string& email, const Request& req);

  // Verify endpoint: only forwarded sources are counted or blocked (the peer is the API).
  std::optional<Response> CheckVerifySourceBlocked(const snapshot::EnvironmentSnapshot& env,
                                                   const Request& req);
  void VerifyFailed(const snapshot::EnvironmentSnapshot& env, const Request& req,
                    std::string_view audience);

  // Queues an audit event stamped with the request's id and source.
  void Audit(std::string_view type, const Request& req, const snapshot::EnvironmentSnapshot* env,
             std::string_view client_id, boost::json::object detail = {},
             std::string_view actor = {});

  int64_t Now() const;  // monotonic ns
  // Forgets expired blocks and idle counters; called from the housekeeping thread.
  void Sweep();

 private:
  void Blocked(const ratelimit::Block& block, const Request& req);

  ProtectionOptions options_;
  audit::AuditLog& audit_;
  metrics::Metrics& metrics_;
  const Clock& clock_;
  AlertSink* alerts_ = nullptr;
  ratelimit::Limiter limiter_;
  ratelimit::Lockout lockout_;
  ratelimit::Lockout bursts_;  // verify bursts: "blocks" here only rate the alert
};

// 429 with Retry-After.
Response TooManyRequests(int64_t wait_ns, std::string description, ErrorStyle style);

}  // namespace gatehouse::http
