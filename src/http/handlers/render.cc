#include "http/handlers/render.h"

#include <charconv>
#include <ctime>

#include "common/base64url.h"

namespace gatehouse::http {

std::string FormatTime(TimePoint t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

boost::json::object RenderAccount(const domain::Account& a) {
  return {{"id", a.id}, {"email", a.email}, {"created_at", FormatTime(a.created_at)}};
}

boost::json::value RenderRateLimit(const std::optional<domain::RateLimit>& limit) {
  if (!limit) return nullptr;
  return boost::json::object{{"requests_per_second", limit->requests_per_second},
                             {"burst", limit->burst}};
}

boost::json::object RenderEnvironment(const domain::Environment& e, const std::string& issuer) {
  return {{"id", e.id},
          {"project_id", e.project_id},
          {"name", e.name},
          {"slug", e.slug},
          {"issuer", issuer},
          {"rate_limit", RenderRateLimit(e.rate_limit)},
          {"created_at", FormatTime(e.created_at)}};
}

boost::json::object RenderProject(const domain::Project& p, const std::string& public_url) {
  boost::json::array envs;
  for (const auto& e : p.environments) {
    envs.push_back(RenderEnvironment(e, public_url + "/oauth/" + p.slug + "/" + e.slug));
  }
  return {{"id", p.id},
          {"name", p.name},
          {"slug", p.slug},
          {"description", p.description},
          {"environments", std::move(envs)},
          {"created_at", FormatTime(p.created_at)}};
}

boost::json::object RenderApi(const domain::Api& a) {
  boost::json::array scopes;
  for (const auto& s : a.scopes) {
    scopes.push_back(boost::json::object{{"name", s.name}, {"description", s.description}});
  }
  return {{"id", a.id},
          {"environment_id", a.environment_id},
          {"name", a.name},
          {"identifier", a.identifier},
          {"scopes", std::move(scopes)},
          {"token_lifetime", a.token_lifetime},
          {"signing_alg", a.signing_alg},
          {"credentials", boost::json::object{{"client_id", a.credential_client_id}}},
          {"created_at", FormatTime(a.created_at)}};
}

boost::json::object RenderClient(const domain::Client& c, TimePoint now) {
  boost::json::array grants;
  for (const auto& g : c.grants) {
    boost::json::array scopes;
    for (const auto& s : g.scopes) scopes.push_back(boost::json::string(s));
    grants.push_back(boost::json::object{{"api", g.api_identifier}, {"scopes", std::move(scopes)}});
  }
  boost::json::value previous = nullptr;
  for (const auto& s : c.secrets) {
    if (s.expires_at && *s.expires_at > now) previous = FormatTime(*s.expires_at);
  }
  boost::json::object out{{"id", c.id},
                          {"environment_id", c.environment_id},
                          {"client_id", c.client_id},
                          {"name", c.name},
                          {"description", c.description},
                          {"token_endpoint_auth_method", c.token_endpoint_auth_method},
                          {"grants", std::move(grants)},
                          {"enabled", c.enabled},
                          {"previous_secret_expires_at", previous},
                          {"tokens_revoked_at", nullptr},
                          {"rate_limit", RenderRateLimit(c.rate_limit)},
                          {"created_at", FormatTime(c.created_at)}};
  if (c.tokens_revoked_at) out["tokens_revoked_at"] = FormatTime(*c.tokens_revoked_at);
  return out;
}

std::string EncodeCursor(int64_t after_seq) {
  return Base64UrlEncode("s:" + std::to_string(after_seq));
}

Result<store::PageRequest> ParsePage(const Request& req) {
  store::PageRequest page;
  if (auto limit = req.Query("limit")) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc() || ptr != limit->data() + limit->size() || value < 1 || value > 200) {
      return Fail(Error::InvalidRequest("limit: must be an integer from 1 to 200", "limit"));
    }
    page.limit = value;
  }
  if (auto cursor = req.Query("cursor")) {
    auto decoded = Base64UrlDecode(*cursor);
    int64_t seq = 0;
    bool ok = decoded && decoded->starts_with("s:");
    if (ok) {
      const char* begin = decoded->data() + 2;
      const char* end = decoded->data() + decoded->size();
      auto [ptr, ec] = std::from_chars(begin, end, seq);
      ok = ec == std::errc() && ptr == end && seq > 0;
    }
    if (!ok) return Fail(Error::InvalidRequest("cursor: not a cursor from this API", "cursor"));
    page.after_seq = seq;
  }
  return page;
}

}  // namespace gatehouse::http
