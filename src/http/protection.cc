#include "http/protection.h"

#include <spdlog/spdlog.h>

#include "common/random.h"
#include "snapshot/environment_snapshot.h"

namespace gatehouse::http {

Response TooManyRequests(int64_t wait_ns, std::string description, ErrorStyle style) {
  Response res = ErrorResponse(Error::Of(ErrorKind::kRateLimited, std::move(description)), style);
  res.set(bhttp::field::retry_after, std::to_string(ratelimit::RetryAfterSeconds(wait_ns)));
  return res;
}

Protection::Protection(ProtectionOptions options, audit::AuditLog& audit, metrics::Metrics& metrics,
                       const Clock& clock)
    : options_(options), audit_(audit), metrics_(metrics), clock_(clock) {}

int64_t Protection::Now() const { return ratelimit::MonotonicNanos(); }

void Protection::Sweep() {
  const int64_t now = Now();
  lockout_.Sweep(now);
  bursts_.Sweep(now);
}

std::optional<Response> Protection::Admit(std::string_view name, std::string_view key,
                                          const ratelimit::Limit& limit, ErrorStyle style) {
  if (!limit.enabled()) return std::nullopt;
  const int64_t wait = limiter_.Admit(key, limit, Now());
  if (wait == 0) return std::nullopt;
  metrics_.rate_limited.Inc(name);
  return TooManyRequests(wait, "rate limit exceeded; retry later", style);
}

namespace {

std::string Key(std::string_view a, std::string_view b, std::string_view c = {}) {
  std::string key;
  key.reserve(a.size() + b.size() + c.size() + 2);
  key.append(a).append("|").append(b).append("|").append(c);
  return key;
}

}  // namespace

std::optional<Response> Protection::CheckClientBlocked(const snapshot::EnvironmentSnapshot& env,
                                                       std::string_view client_id,
                                                       const Request& req,
                                                       std::string_view endpoint) {
  if (!lockout_.AnyBlocked()) return std::nullopt;
  const int64_t now = Now();
  auto wait = lockout_.Blocked(Key(env.environment_id, "ip", req.source_ip), now);
  if (!wait && !client_id.empty()) {
    wait = lockout_.Blocked(Key(env.environment_id, client_id, req.source_ip), now);
  }
  if (!wait) return std::nullopt;
  metrics_.blocked.Inc(endpoint);
  return TooManyRequests(*wait, "too many failed attempts from this address; retry later",
                         ErrorStyle::kOAuth);
}

void Protection::ClientAuthFailed(const snapshot::EnvironmentSnapshot& env,
                                  const std::string& client_id, const Request& req) {
  const int64_t now = Now();
  const TimePoint wall = clock_.Now();
  ratelimit::Block info{
      {}, env.environment_id, env.project_id, "client_ip", client_id, req.source_ip, {}, {}, 1};
  if (!client_id.empty()) {
    if (auto b = lockout_.Fail(Key(env.environment_id, client_id, req.source_ip),
                               options_.client_ip, now, wall, info)) {
      Blocked(*b, req);
    }
  }
  info.kind = "ip";
  info.client_id.clear();
  if (auto b = lockout_.Fail(Key(env.environment_id, "ip", req.source_ip), options_.ip, now, wall,
                             info)) {
    Blocked(*b, req);
  }
}

std::optional<Response> Protection::CheckLoginBlocked(std::string_view email, const Request& req) {
  auto wait = lockout_.Blocked(Key("login", email, req.source_ip), Now());
  if (!wait) return std::nullopt;
  metrics_.blocked.Inc("login");
  return TooManyRequests(*wait, "too many failed logins; retry later", ErrorStyle::kManagement);
}

void Protection::LoginFailed(const std::string& email, const Request& req) {
  ratelimit::Block info{{}, {}, {}, "login", {}, req.source_ip, {}, {}, 1};
  if (auto b = lockout_.Fail(Key("login", email, req.source_ip), options_.login_fail, Now(),
                             clock_.Now(), info)) {
    metrics_.blocks_created.Inc("login");
    spdlog::warn(R"("msg":"login blocked","ip":"{}","until_s":{}}})", req.source_ip,
                 ToUnixSeconds(b->until));
    boost::json::object detail{{"kind", "login"},
                               {"block_id", b->id},
                               {"until", ToUnixSeconds(b->until)},
                               {"strikes", b->strikes}};
    Audit(audit::kBlockCreated, req, nullptr, {}, std::move(detail));
  }
}

std::optional<Response> Protection::CheckVerifySourceBlocked(
    const snapshot::EnvironmentSnapshot& env, const Request& req) {
  if (!req.forwarded || !lockout_.AnyBlocked()) return std::nullopt;
  auto wait = lockout_.Blocked(Key(env.environment_id, "verify", req.source_ip), Now());
  if (!wait) return std::nullopt;
  metrics_.blocked.Inc("verify");
  Response res =
      TooManyRequests(*wait, "too many invalid tokens from this address", ErrorStyle::kOAuth);
  return res;
}

void Protection::VerifyFailed(const snapshot::EnvironmentSnapshot& env, const Request& req,
                              std::string_view audience) {
  const int64_t now = Now();
  const TimePoint wall = clock_.Now();
  if (req.forwarded) {
    ratelimit::Block info{
        {}, env.environment_id, env.project_id, "verify_source", {}, req.source_ip, {}, {}, 1};
    if (auto b = lockout_.Fail(Key(env.environment_id, "verify", req.source_ip),
                               options_.verify_source, now, wall, info)) {
      Blocked(*b, req);
    }
  }
  if (options_.verify_burst <= 0) return;
  // Counted per registered API; made-up audiences share one key, so that the caller cannot
  // grow our state by inventing names.
  const snapshot::ApiEntry* api = env.FindApi(audience);
  audience = api != nullptr ? std::string_view(api->identifier) : std::string_view("(unknown)");
  ratelimit::BlockPolicy burst{options_.verify_burst, 60'000'000'000, 15 * 60'000'000'000LL,
                               15 * 60'000'000'000LL};
  ratelimit::Block info{{}, env.environment_id, env.project_id, "verify_burst", {}, {}, {}, {}, 1};
  if (bursts_.Fail(Key(env.environment_id, "burst", audience), burst, now, wall, info)) {
    metrics_.alerts.Inc("verify.invalid_burst");
    if (alerts_ != nullptr) {
      boost::json::object detail{{"audience", std::string(audience)},
                                 {"threshold", options_.verify_burst},
                                 {"window_seconds", 60}};
      alerts_->Raise({0, "alr_" + DefaultRandom().Hex(10), env.project_id, env.environment_id,
                      "verify.invalid_burst",
                      "burst of invalid tokens presented for " + std::string(audience),
                      boost::json::serialize(detail), wall});
    }
  }
}

void Protection::Blocked(const ratelimit::Block& b, const Request& req) {
  metrics_.blocks_created.Inc(b.kind);
  metrics_.alerts.Inc("block.created");
  boost::json::object detail{{"block_id", b.id},
                             {"kind", b.kind},
                             {"ip", b.ip},
                             {"until", ToUnixSeconds(b.until)},
                             {"strikes", b.strikes}};
  if (!b.client_id.empty()) detail["client_id"] = b.client_id;
  spdlog::warn(R"("msg":"source blocked","kind":"{}","environment":"{}","ip":"{}","until_s":{}}})",
               b.kind, b.environment_id, b.ip, ToUnixSeconds(b.until));
  domain::AuditEvent e;
  e.type = audit::kBlockCreated;
  e.project_id = b.project_id;
  e.environment_id = b.environment_id;
  e.client_id = b.client_id;
  e.ip = b.ip;
  e.request_id = req.request_id;
  e.detail = boost::json::serialize(detail);
  audit_.Record(std::move(e));
  if (alerts_ != nullptr) {
    std::string message = "blocked " + b.ip;
    if (!b.client_id.empty()) message += " for client " + b.client_id;
    message += " after repeated failures (" + b.kind + ")";
    alerts_->Raise({0, "alr_" + DefaultRandom().Hex(10), b.project_id, b.environment_id,
                    "block.created", std::move(message), boost::json::serialize(detail),
                    b.created_at});
  }
}

void Protection::Audit(std::string_view type, const Request& req,
                       const snapshot::EnvironmentSnapshot* env, std::string_view client_id,
                       boost::json::object detail, std::string_view actor) {
  domain::AuditEvent e;
  e.type = std::string(type);
  if (env != nullptr) {
    e.project_id = env->project_id;
    e.environment_id = env->environment_id;
  }
  e.client_id = std::string(client_id);
  // An OAuth client's own events store no actor (the API shows their client_id as the actor):
  // the actor index serves the accounts' trails, and a million clients' events would otherwise
  // land all over it (one index page written per client per batch).
  e.actor = std::string(actor);
  e.ip = req.source_ip;
  e.request_id = req.request_id;
  if (!detail.empty()) e.detail = boost::json::serialize(detail);
  audit_.Record(std::move(e));
}

}  // namespace gatehouse::http
