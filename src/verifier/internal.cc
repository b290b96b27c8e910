#include "verifier/internal.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <charconv>

namespace gatehouse::verifier::internal {
namespace {

const boost::json::string* StringMember(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v != nullptr ? v->if_string() : nullptr;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Claims FromAccessTokenClaims(crypto::AccessTokenClaims&& c) {
  Claims out;
  out.issuer = std::move(c.iss);
  out.subject = std::move(c.sub);
  out.client_id = std::move(c.client_id);
  out.jti = std::move(c.jti);
  out.scope = std::move(c.scope);
  out.audience = std::move(c.aud);
  out.issued_at = c.iat;
  out.expires_at = c.exp;
  out.kid = std::move(c.kid);
  out.json = boost::json::serialize(c.raw);
  return out;
}

std::optional<Claims> ClaimsFromJson(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  const auto* iss = StringMember(o, "iss");
  const auto* sub = StringMember(o, "sub");
  const auto* client_id = StringMember(o, "client_id");
  const auto* exp = o.if_contains("exp");
  if (iss == nullptr || sub == nullptr || client_id == nullptr || exp == nullptr ||
      !exp->is_int64()) {
    return std::nullopt;
  }
  Claims c;
  c.issuer = *iss;
  c.subject = *sub;
  c.client_id = *client_id;
  c.expires_at = exp->get_int64();
  if (const auto* jti = StringMember(o, "jti")) c.jti = *jti;
  if (const auto* scope = StringMember(o, "scope")) c.scope = *scope;
  if (const auto* iat = o.if_contains("iat"); iat != nullptr && iat->is_int64()) {
    c.issued_at = iat->get_int64();
  }
  if (const auto* aud = o.if_contains("aud")) {
    if (aud->is_string()) c.audience.emplace_back(aud->get_string());
    if (aud->is_array()) {
      for (const auto& a : aud->get_array()) {
        if (a.is_string()) c.audience.emplace_back(a.get_string());
      }
    }
  }
  c.json = std::string(body);
  return c;
}

bool IsB64Token(std::string_view token) {
  std::size_t i = 0;
  for (; i < token.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(token[i]);
    if (!(std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' ||
          c == '/')) {
      break;
    }
  }
  if (i == 0) return false;
  for (; i < token.size(); ++i) {
    if (token[i] != '=') return false;
  }
  return true;
}

std::string MissingScope(const Claims& claims, std::string_view required) {
  while (!required.empty()) {
    const auto space = required.find(' ');
    const std::string_view scope = required.substr(0, space);
    required = space == std::string_view::npos ? std::string_view() : required.substr(space + 1);
    if (!scope.empty() && !claims.HasScope(scope)) return std::string(scope);
  }
  return {};
}

VerifyResult Refusal(Outcome outcome, std::string reason, std::string description,
                     std::string_view required_scope) {
  VerifyResult r;
  r.outcome = outcome;
  r.reason = std::move(reason);
  r.description = std::move(description);
  r.required_scope = std::string(required_scope);
  return r;
}

std::chrono::seconds CacheLifetime(std::string_view cache_control, std::chrono::seconds fallback,
                                   std::chrono::seconds min_age, std::chrono::seconds max_age) {
  std::chrono::seconds age = fallback;
  std::string_view rest = cache_control;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    const std::string directive = Lower(item.substr(0, item.find('=')));
    if (directive == "no-store" || directive == "no-cache") return min_age;
    if (directive == "max-age" && item.find('=') != std::string_view::npos) {
      std::string_view value = item.substr(item.find('=') + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      long long n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec == std::errc() && end == value.data() + value.size() && n >= 0) {
        age = std::chrono::seconds(n);
      }
    }
  }
  return std::clamp(age, min_age, std::max(min_age, max_age));
}

std::expected<Metadata, std::string> FetchMetadata(HttpFetcher& fetcher,
                                                   const std::string& issuer) {
  const std::string url = issuer + "/.well-known/oauth-authorization-server";
  HttpResponse res = fetcher.Get({url, {}});
  if (res.status == 0) return std::unexpected("metadata " + url + ": " + res.error);
  if (res.status != 200) {
    return std::unexpected("metadata " + url + ": HTTP " + std::to_string(res.status));
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(res.body, ec);
  if (ec || !v.is_object()) return std::unexpected("metadata " + url + ": not a JSON object");
  const auto& o = v.get_object();
  const auto* iss = StringMember(o, "issuer");
  if (iss == nullptr || *iss != issuer) {
    return std::unexpected("metadata " + url + ": issuer does not match");
  }
  Metadata m;
  if (const auto* jwks = StringMember(o, "jwks_uri")) m.jwks_uri = *jwks;
  if (const auto* verify = StringMember(o, "verify_endpoint")) m.verify_endpoint = *verify;
  return m;
}

}  // namespace gatehouse::verifier::internal
