#include "cli/client_requests.h"

#include <algorithm>
#include <boost/json.hpp>

namespace gatehouse::cli {
namespace {

namespace json = boost::json;

bool HasSpace(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsUnreserved(char c) {  // RFC 3986 §2.3
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

}  // namespace

Result<GrantSpec> ParseGrant(std::string_view text) {
  auto bad = [&](std::string why) {
    return Fail(Error::InvalidRequest(
        "invalid --grant \"" + std::string(text) + "\": " + why + " (want API=scope1,scope2)",
        "grant"));
  };
  std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) return bad("no '='");
  GrantSpec grant;
  grant.api = std::string(Trim(text.substr(0, eq)));
  if (grant.api.empty()) return bad("empty API identifier");
  std::string_view rest = text.substr(eq + 1);
  if (Trim(rest).empty()) return bad("no scope");
  while (true) {
    std::size_t comma = rest.find(',');
    std::string_view scope = Trim(rest.substr(0, comma));
    if (scope.empty()) return bad("empty scope");
    if (HasSpace(scope)) return bad("scope with whitespace");
    if (std::find(grant.scopes.begin(), grant.scopes.end(), scope) == grant.scopes.end()) {
      grant.scopes.emplace_back(scope);
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return grant;
}

Result<std::vector<GrantSpec>> ParseGrants(const std::vector<std::string>& texts) {
  std::vector<GrantSpec> grants;
  for (const std::string& text : texts) {
    auto grant = ParseGrant(text);
    if (!grant) return Fail(std::move(grant.error()));
    auto same = std::find_if(grants.begin(), grants.end(),
                             [&](const GrantSpec& g) { return g.api == grant->api; });
    if (same == grants.end()) {
      grants.push_back(std::move(*grant));
      continue;
    }
    for (std::string& scope : grant->scopes) {
      if (std::find(same->scopes.begin(), same->scopes.end(), scope) == same->scopes.end()) {
        same->scopes.push_back(std::move(scope));
      }
    }
  }
  return grants;
}

Result<ScopeSpec> ParseScope(std::string_view text) {
  std::size_t eq = text.find('=');
  ScopeSpec scope;
  scope.name = std::string(Trim(text.substr(0, eq)));
  if (eq != std::string_view::npos) scope.description = std::string(Trim(text.substr(eq + 1)));
  if (scope.name.empty() || HasSpace(scope.name)) {
    return Fail(Error::InvalidRequest("invalid --scope \"" + std::string(text) +
                                          "\": want a name without spaces, then optionally "
                                          "=description",
                                      "scope"));
  }
  return scope;
}

json::object BuildCredentialsBody(std::string_view email, const SecretString& password) {
  return json::object{{"email", email}, {"password", password.Reveal()}};
}

json::object BuildProjectCreate(const ProjectCreateArgs& args) {
  json::object body{{"name", args.name}};
  if (args.description) body["description"] = *args.description;
  if (!args.environments.empty()) {
    json::array envs;
    for (const std::string& env : args.environments) envs.emplace_back(env);
    body["environments"] = std::move(envs);
  }
  return body;
}

Result<json::object> BuildProjectUpdate(const ProjectUpdateArgs& args) {
  json::object body;
  if (args.name) body["name"] = *args.name;
  if (args.description) body["description"] = *args.description;
  if (body.empty()) {
    return Fail(Error::InvalidRequest("nothing to update: give --name or --description"));
  }
  return body;
}

json::object BuildEnvironmentCreate(std::string_view name) { return json::object{{"name", name}}; }

Result<json::object> BuildApiCreate(const ApiCreateArgs& args) {
  json::object body{{"name", args.name}, {"identifier", args.identifier}};
  json::array scopes;
  for (const std::string& text : args.scopes) {
    auto scope = ParseScope(text);
    if (!scope) return Fail(std::move(scope.error()));
    scopes.push_back(json::object{{"name", scope->name}, {"description", scope->description}});
  }
  body["scopes"] = std::move(scopes);
  if (args.token_lifetime) body["token_lifetime"] = *args.token_lifetime;
  if (args.signing_alg) body["signing_alg"] = *args.signing_alg;
  return body;
}

Result<json::object> BuildClientCreate(const ClientCreateArgs& args) {
  auto grants = ParseGrants(args.grants);
  if (!grants) return Fail(std::move(grants.error()));
  json::object body{{"name", args.name}};
  if (args.description) body["description"] = *args.description;
  if (args.auth_method) body["token_endpoint_auth_method"] = *args.auth_method;
  json::array grant_array;
  for (const GrantSpec& grant : *grants) {
    json::array scopes;
    for (const std::string& scope : grant.scopes) scopes.emplace_back(scope);
    grant_array.push_back(json::object{{"api", grant.api}, {"scopes", std::move(scopes)}});
  }
  body["grants"] = std::move(grant_array);
  return body;
}

json::object BuildRotateSecret(std::optional<long long> previous_secret_ttl) {
  json::object body;
  if (previous_secret_ttl) body["previous_secret_ttl"] = *previous_secret_ttl;
  return body;
}

std::string PathSegment(std::string_view id) {
  // "." and ".." are unreserved, yet a server or proxy would resolve them as dot-segments.
  if (id == ".") return "%2E";
  if (id == "..") return "%2E%2E";
  return PercentEncode(id);
}

std::string PageTarget(std::string_view path, std::string_view cursor) {
  std::string target(path);
  target += "?limit=200";
  if (!cursor.empty()) target += "&cursor=" + PercentEncode(cursor);
  return target;
}

}  // namespace gatehouse::cli
