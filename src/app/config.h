#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace gatehouse::app {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./data";
  std::string public_url;  // default: http://{listen}
  int io_threads = 0;      // 0: one per core
  int blocking_threads = 4;
  int64_t body_limit = 1024 * 1024;
  int64_t idle_timeout = 60;
  int64_t request_timeout = 30;
  int64_t shutdown_grace = 10;
  std::string secret_pepper;        // base64url, >= 32 bytes; default: generated in the data dir
  std::string master_key;           // base64url, 32 bytes; default: generated in the data dir
  int64_t token_leeway = 0;         // seconds of clock skew accepted on exp/iat when verifying
  int64_t key_rotation_period = 0;  // seconds; 0: signing keys rotate only on request
  std::string web_dir;              // the dashboard's built assets; empty: next to the binary
  std::string log_level = "info";
  // Protection and observability (docs/security.md).
  int64_t audit_retention_days = 90;   // 0: keep forever
  int64_t audit_queue_size = 65536;    // events waiting for the writer; beyond: dropped, counted
  bool metrics_client_labels = false;  // per-client label on tokens issued (bounded to 64)
  std::string metrics_token;           // when set, /metrics wants "Authorization: Bearer <it>"
  std::string trusted_proxies;         // IPs/CIDRs whose X-Forwarded-For is believed
  std::string rate_limit_accounts = "0.5:20";     // per IP: requests/second:burst, "0": off
  std::string rate_limit_login = "2:30";          // per IP
  std::string rate_limit_management = "100:500";  // per IP, the rest of /api/v1
  std::string lockout_client = "10/60";  // failed client auths per client_id+IP: count/seconds
  std::string lockout_ip = "100/60";     // failed client auths per IP (any client_id)
  std::string lockout_login = "5/300";   // failed developer logins per account+IP
  std::string lockout_verify = "20/60";  // invalid tokens per forwarded source (verify)
  int64_t block_duration = 900;          // seconds; doubles on each repeat
  int64_t login_block_duration = 60;     // seconds; doubles on each repeat
  int64_t verify_burst_alert = 100;      // invalid tokens per API in 60 s that raise an alert
  std::string tls_cert;                  // PEM certificate chain; with tls_key: HTTPS only
  std::string tls_key;                   // PEM private key

  std::string host() const;
  uint16_t port() const;
  std::string EffectivePublicUrl() const;
};

// Settings by precedence: defaults < TOML file < GATEHOUSE_* environment < command-line flags.
// Keys (file), variables (environment, upper-case with GATEHOUSE_ prefix) and flags share names:
// listen, data_dir, public_url, io_threads, blocking_threads, body_limit, idle_timeout,
// request_timeout, shutdown_grace, secret_pepper, master_key, token_leeway, key_rotation_period,
// web_dir, log_level.
// Errors name the setting and its source.
// Every setting's name, in documentation order: the one list that file keys, environment
// variables and command-line flags are derived from.
std::span<const std::string_view> SettingNames();
// Secrets are refused as command-line flags (other local users can read command lines).
bool IsSecretSetting(std::string_view name);

Status ApplyConfigFile(const std::string& path, Config& config);
Status ApplyEnvironment(const std::map<std::string, std::string>& env, Config& config);
Status ApplySetting(std::string_view key, std::string_view value, std::string_view source,
                    Config& config);
Status Validate(const Config& config);

// "2:30" (requests per second : burst), or "0" for off.
struct RateSetting {
  double requests_per_second = 0;
  double burst = 0;
};
Result<RateSetting> ParseRateSetting(std::string_view key, std::string_view value);
// "10/60" (failures / window seconds), or "0" for off.
struct LockoutSetting {
  int count = 0;
  int64_t window_seconds = 60;
};
Result<LockoutSetting> ParseLockoutSetting(std::string_view key, std::string_view value);

}  // namespace gatehouse::app
