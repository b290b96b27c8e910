#include "app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <charconv>

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

constexpr std::string_view kSettingNames[] = {
    "listen",     "data_dir",     "public_url",          "io_threads",     "blocking_threads",
    "body_limit", "idle_timeout", "request_timeout",     "shutdown_grace", "secret_pepper",
    "master_key", "token_leeway", "key_rotation_period", "web_dir",        "log_level"};

}  // namespace

std::span<const std::string_view> SettingNames() { return kSettingNames; }

bool IsSecretSetting(std::string_view name) {
  return name == "secret_pepper" || name == "master_key";
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
  std::string url = public_url.empty() ? "http://" + listen : public_url;
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
  if (c.key_rotation_period != 0 && c.key_rotation_period < 3600) {
    return Fail(Bad("key_rotation_period", "config", "must be 0 (off) or at least 3600 seconds"));
  }
  return {};
}

}  // namespace gatehouse::app
