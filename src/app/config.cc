#include "app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <charconv>
#include <cstdlib>

namespace gatehouse::app {
namespace {

Error Bad(std::string_view key, std::string_view source, std::string_view why) {
  return Error::InvalidRequest(
      std::string(source) + ": " + std::string(key) + ": " + std::string(why), std::string(key));
}

template <typename T>
Status ParseInt(std::string_view key, std::string_view value, std::string_view source, T min, T max,
                T& out) {
  T v{};
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr != value.data() + value.size() || v < min || v > max) {
    return Fail(
        Bad(key, source,
            "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)));
  }
  out = v;
  return {};
}

constexpr std::string_view kSettingNames[] = {"listen",
                                              "data_dir",
                                              "public_url",
                                              "io_threads",
                                              "blocking_threads",
                                              "body_limit",
                                              "idle_timeout",
                                              "request_timeout",
                                              "shutdown_grace",
                                              "secret_pepper",
                                              "master_key",
                                              "token_leeway",
                                              "key_rotation_period",
                                              "web_dir",
                                              "log_level",
                                              "audit_retention_days",
                                              "audit_queue_size",
                                              "metrics_token",
                                              "metrics_client_labels",
                                              "trusted_proxies",
                                              "rate_limit_accounts",
                                              "rate_limit_login",
                                              "rate_limit_management",
                                              "lockout_client",
                                              "lockout_ip",
                                              "lockout_login",
                                              "lockout_verify",
                                              "block_duration",
                                              "login_block_duration",
                                              "verify_burst_alert",
                                              "tls_cert",
                                              "tls_key"};

}  // namespace

std::span<const std::string_view> SettingNames() { return kSettingNames; }

bool IsSecretSetting(std::string_view name) {
  return name == "secret_pepper" || name == "master_key" || name == "metrics_token";
}

std::string Config::host() const {
  auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return host;
}

uint16_t Config::port() const {
  auto colon = listen.rfind(':');
  int port = 0;
  std::string_view p = std::string_view(listen).substr(colon + 1);
  std::from_chars(p.data(), p.data() + p.size(), port);
  return static_cast<uint16_t>(port);
}

std::string Config::EffectivePublicUrl() const {
  std::string url =
      public_url.empty() ? (tls_cert.empty() ? "http://" : "https://") + listen : public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

Status ApplySetting(std::string_view key, std::string_view value, std::string_view source,
                    Config& c) {
  if (key == "listen") {
    c.listen = value;
  } else if (key == "data_dir") {
    c.data_dir = value;
  } else if (key == "public_url") {
    c.public_url = value;
  } else if (key == "io_threads") {
    return ParseInt(key, value, source, 0, 256, c.io_threads);
  } else if (key == "blocking_threads") {
    return ParseInt(key, value, source, 1, 256, c.blocking_threads);
  } else if (key == "body_limit") {
    return ParseInt<int64_t>(key, value, source, 1024, int64_t{1} << 30, c.body_limit);
  } else if (key == "idle_timeout") {
    return ParseInt<int64_t>(key, value, source, 1, 3600, c.idle_timeout);
  } else if (key == "request_timeout") {
    return ParseInt<int64_t>(key, value, source, 1, 3600, c.request_timeout);
  } else if (key == "shutdown_grace") {
    return ParseInt<int64_t>(key, value, source, 0, 3600, c.shutdown_grace);
  } else if (key == "secret_pepper") {
    c.secret_pepper = value;
  } else if (key == "master_key") {
    c.master_key = value;
  } else if (key == "token_leeway") {
    return ParseInt<int64_t>(key, value, source, 0, 300, c.token_leeway);
  } else if (key == "key_rotation_period") {
    return ParseInt<int64_t>(key, value, source, 0, int64_t{3650} * 86400, c.key_rotation_period);
  } else if (key == "web_dir") {
    c.web_dir = value;
  } else if (key == "log_level") {
    c.log_level = value;
  } else if (key == "audit_retention_days") {
    return ParseInt<int64_t>(key, value, source, 0, 36500, c.audit_retention_days);
  } else if (key == "audit_queue_size") {
    return ParseInt<int64_t>(key, value, source, 1, 16 * 1024 * 1024, c.audit_queue_size);
  } else if (key == "metrics_client_labels") {
    if (value != "true" && value != "false") {
      return Fail(Bad(key, source, "must be true or false"));
    }
    c.metrics_client_labels = value == "true";
  } else if (key == "metrics_token") {
    c.metrics_token = value;
  } else if (key == "trusted_proxies") {
    c.trusted_proxies = value;
  } else if (key == "rate_limit_accounts" || key == "rate_limit_login" ||
             key == "rate_limit_management") {
    auto parsed = ParseRateSetting(key, value);
    if (!parsed) return Fail(Bad(key, source, parsed.error().description));
    (key == "rate_limit_accounts" ? c.rate_limit_accounts
     : key == "rate_limit_login"  ? c.rate_limit_login
                                  : c.rate_limit_management) = value;
  } else if (key == "lockout_client" || key == "lockout_ip" || key == "lockout_login" ||
             key == "lockout_verify") {
    auto parsed = ParseLockoutSetting(key, value);
    if (!parsed) return Fail(Bad(key, source, parsed.error().description));
    (key == "lockout_client"  ? c.lockout_client
     : key == "lockout_ip"    ? c.lockout_ip
     : key == "lockout_login" ? c.lockout_login
                              : c.lockout_verify) = value;
  } else if (key == "block_duration") {
    return ParseInt<int64_t>(key, value, source, 1, 30 * 86400, c.block_duration);
  } else if (key == "login_block_duration") {
    return ParseInt<int64_t>(key, value, source, 1, 86400, c.login_block_duration);
  } else if (key == "verify_burst_alert") {
    return ParseInt<int64_t>(key, value, source, 0, 1000000000, c.verify_burst_alert);
  } else if (key == "tls_cert") {
    c.tls_cert = value;
  } else if (key == "tls_key") {
    c.tls_key = value;
  } else {
    return Fail(Bad(key, source, "unknown setting"));
  }
  return {};
}

Status ApplyConfigFile(const std::string& path, Config& config) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Fail(Error::InvalidRequest(path + ": " + std::string(e.description()) + " (line " +
                                      std::to_string(e.source().begin.line) + ")"));
  }
  for (const auto& [key, node] : table) {
    std::string value;
    if (auto s = node.value<std::string>()) {
      value = *s;
    } else if (node.is_boolean()) {
      value = node.value<bool>().value_or(false) ? "true" : "false";
    } else if (auto i = node.value<int64_t>()) {
      value = std::to_string(*i);
    } else {
      return Fail(Bad(key.str(), path, "must be a string or an integer"));
    }
    GH_RETURN_IF_ERROR(ApplySetting(key.str(), value, path, config));
  }
  return {};
}

Status ApplyEnvironment(const std::map<std::string, std::string>& env, Config& config) {
  for (const auto& [name, value] : env) {
    if (!name.starts_with("GATEHOUSE_")) continue;
    std::string key = name.substr(10);
    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    // Variables that are not settings (e.g. GATEHOUSE_BIN of the test harness, the CLI's
    // GATEHOUSE_SERVER) are not ours to refuse.
    const auto names = SettingNames();
    if (std::find(names.begin(), names.end(), key) == names.end()) continue;
    GH_RETURN_IF_ERROR(ApplySetting(key, value, name, config));
  }
  return {};
}

Result<RateSetting> ParseRateSetting(std::string_view, std::string_view value) {
  if (value == "0" || value == "off") return RateSetting{};
  const auto colon = value.find(':');
  const Error bad =
      Error::InvalidRequest("must be REQUESTS_PER_SECOND:BURST (e.g. 2:30), or 0 for off");
  if (colon == std::string_view::npos) return Fail(bad);
  RateSetting out;
  const std::string rps(value.substr(0, colon));
  char* end = nullptr;
  out.requests_per_second = std::strtod(rps.c_str(), &end);
  if (rps.empty() || end != rps.c_str() + rps.size() || !(out.requests_per_second > 0) ||
      out.requests_per_second > 1e6) {
    return Fail(bad);
  }
  int64_t burst = 0;
  std::string_view b = value.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(b.data(), b.data() + b.size(), burst);
  if (ec != std::errc() || ptr != b.data() + b.size() || burst < 1 || burst > 10000000) {
    return Fail(bad);
  }
  out.burst = static_cast<double>(burst);
  return out;
}

Result<LockoutSetting> ParseLockoutSetting(std::string_view, std::string_view value) {
  if (value == "0" || value == "off") return LockoutSetting{0, 60};
  const Error bad = Error::InvalidRequest("must be COUNT/SECONDS (e.g. 10/60), or 0 for off");
  const auto slash = value.find('/');
  if (slash == std::string_view::npos) return Fail(bad);
  LockoutSetting out;
  std::string_view c = value.substr(0, slash), w = value.substr(slash + 1);
  auto [p1, e1] = std::from_chars(c.data(), c.data() + c.size(), out.count);
  auto [p2, e2] = std::from_chars(w.data(), w.data() + w.size(), out.window_seconds);
  if (e1 != std::errc() || p1 != c.data() + c.size() || e2 != std::errc() ||
      p2 != w.data() + w.size() || out.count < 1 || out.count > 1000000 || out.window_seconds < 1 ||
      out.window_seconds > 86400) {
    return Fail(bad);
  }
  return out;
}

Status Validate(const Config& c) {
  auto colon = c.listen.rfind(':');
  if (colon == std::string::npos || (c.port() == 0 && c.listen.substr(colon + 1) != "0")) {
    return Fail(Bad("listen", "config", "must be HOST:PORT, e.g. 127.0.0.1:8080"));
  }
  const std::string public_url = c.EffectivePublicUrl();  // url_view below refers into it
  auto url = boost::urls::parse_absolute_uri(public_url);
  if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->has_query() ||
      url->has_fragment()) {
    return Fail(Bad("public_url", "config", "must be an absolute http(s) URL without query"));
  }
  constexpr std::string_view kLevels[] = {"trace", "debug",    "info", "warn",
                                          "error", "critical", "off"};
  if (std::find(std::begin(kLevels), std::end(kLevels), c.log_level) == std::end(kLevels)) {
    return Fail(Bad("log_level", "config",
                    "must be one of trace, debug, info, warn, error, critical, off"));
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    return Fail(Bad(c.tls_cert.empty() ? "tls_cert" : "tls_key", "config",
                    "tls_cert and tls_key go together"));
  }
  if (c.key_rotation_period != 0 && c.key_rotation_period < 3600) {
    return Fail(Bad("key_rotation_period", "config", "must be 0 (off) or at least 3600 seconds"));
  }
  return {};
}

}  // namespace gatehouse::app
