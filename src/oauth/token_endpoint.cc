#include "oauth/token_endpoint.h"

#include <algorithm>

#include "common/json_text.h"
#include "crypto/jws.h"
#include "oauth/client_auth.h"
#include "oauth/scope.h"
#include "oauth/token_id.h"

namespace gatehouse::oauth {
namespace {

Status CheckGrantType(const Form& form) {
  const auto grant_type = form.Get("grant_type");
  if (!grant_type) return Fail(Error::Of(ErrorKind::kInvalidRequest, "grant_type is required"));
  if (*grant_type != "client_credentials") {
    return Fail(Error::Of(ErrorKind::kUnsupportedGrantType,
                          "only grant_type=client_credentials is supported"));
  }
  return {};
}

// RFC 8707: `resource` names the API; `audience` is the Auth0-style synonym. One API per token.
Result<const snapshot::GrantEntry*> ResolveAudience(const Form& form,
                                                    const snapshot::EnvironmentSnapshot& env,
                                                    const snapshot::ClientEntry& client) {
  if (form.Count("resource") > 1) {
    return Fail(
        Error::Of(ErrorKind::kInvalidTarget, "a token is issued for one resource at a time"));
  }
  const auto audience = form.Get("audience");
  const auto resource = form.Get("resource");
  if (audience && resource && *audience != *resource) {
    return Fail(Error::Of(ErrorKind::kInvalidRequest, "audience and resource name different APIs"));
  }
  const auto wanted = audience ? audience : resource;
  if (!wanted) {
    if (client.grants.size() == 1) return &client.grants.front();
    if (client.grants.empty()) {
      return Fail(Error::Of(ErrorKind::kInvalidTarget, "the client is not granted any API"));
    }
    return Fail(
        Error::Of(ErrorKind::kInvalidRequest,
                  "audience (or resource) is required: the client is granted several APIs"));
  }
  if (env.FindApi(*wanted) == nullptr) {
    return Fail(Error::Of(ErrorKind::kInvalidTarget, "unknown API: " + std::string(*wanted)));
  }
  const auto* grant = client.FindGrant(*wanted);
  if (grant == nullptr) {
    return Fail(Error::Of(ErrorKind::kInvalidTarget,
                          "the client is not granted API " + std::string(*wanted)));
  }
  return grant;
}

// Absent scope means every scope granted for the API; asking for more is invalid_scope.
Result<std::string> CheckScopes(const Form& form, const snapshot::GrantEntry& grant) {
  const auto requested = form.Get("scope");
  if (!requested) {
    if (grant.scopes->joined.empty()) {
      return Fail(Error::Of(ErrorKind::kInvalidScope, "no scopes are granted for this API"));
    }
    return grant.scopes->joined;
  }
  std::vector<std::string_view> scopes;
  for (std::string_view scope : ScopeTokens(*requested)) {
    const auto& granted = grant.scopes->names;
    if (std::find(granted.begin(), granted.end(), scope) == granted.end()) {
      return Fail(Error::Of(ErrorKind::kInvalidScope,
                            "scope " + std::string(scope) + " is not granted to this client"));
    }
    if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) scopes.push_back(scope);
  }
  if (scopes.empty()) return grant.scopes->joined;
  std::string out;
  for (auto s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

}  // namespace

Result<IssuedToken> IssueToken(const snapshot::EnvironmentSnapshot& env,
                               const snapshot::ClientEntry& client,
                               const snapshot::GrantEntry& grant, std::string scope,
                               const TokenEndpointDeps& deps) {
  const auto* key = env.SigningKey(grant.api->signing_alg);
  if (key == nullptr) {
    return Fail(Error::Server("environment " + env.environment_id + " has no current " +
                              grant.api->signing_alg + " key"));
  }
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(deps.clock.Now().time_since_epoch())
          .count();
  const int64_t now = now_ms / 1000;
  IssuedToken token;
  token.jti = NewTokenId(now_ms, deps.random);
  token.expires_in = grant.api->token_lifetime;
  token.client_id = client.client_id;
  token.audience = grant.api->identifier;
  // RFC 9068 claims, written straight into their JSON (member order as before).
  std::string claims;
  claims.reserve(160 + env.issuer.size() + 2 * client.client_id.size() + token.audience.size() +
                 token.jti.size() + scope.size());
  claims += '{';
  AppendJsonMember(claims, "iss", env.issuer);
  claims += ',';
  AppendJsonMember(claims, "sub", client.client_id);
  claims += ',';
  AppendJsonMember(claims, "aud", grant.api->identifier);
  claims += ',';
  AppendJsonMember(claims, "iat", now);
  claims += ',';
  AppendJsonMember(claims, "exp", now + token.expires_in);
  claims += ',';
  AppendJsonMember(claims, "jti", token.jti);
  claims += ',';
  AppendJsonMember(claims, "client_id", client.client_id);
  claims += ',';
  AppendJsonMember(claims, "scope", scope);
  claims += '}';
  GH_ASSIGN_OR_RETURN(token.access_token, crypto::SignJwtJson(*key, "at+jwt", claims));
  token.scope = std::move(scope);
  return token;
}

Result<IssuedToken> HandleTokenRequest(const Form& form, std::string_view authorization,
                                       const snapshot::EnvironmentSnapshot& env,
                                       const TokenEndpointDeps& deps) {
  GH_RETURN_IF_ERROR(form.RejectDuplicates({"grant_type", "scope", "audience"}));
  GH_ASSIGN_OR_RETURN(auto credentials, ExtractCredentials(authorization, form));
  GH_ASSIGN_OR_RETURN(auto caller,
                      AuthenticateCaller(credentials, env, deps.hasher, deps.clock.Now(), false));
  GH_RETURN_IF_ERROR(CheckGrantType(form));
  GH_ASSIGN_OR_RETURN(const auto* grant, ResolveAudience(form, env, *caller.client));
  GH_ASSIGN_OR_RETURN(auto scope, CheckScopes(form, *grant));
  return IssueToken(env, *caller.client, *grant, std::move(scope), deps);
}

}  // namespace gatehouse::oauth
