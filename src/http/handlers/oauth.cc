#include "http/handlers/oauth.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "common/json_text.h"
#include "oauth/client_auth.h"
#include "oauth/form.h"
#include "oauth/scope.h"
#include "oauth/token_check.h"
#include "oauth/token_endpoint.h"

namespace gatehouse::http {
namespace {

using Snapshot = std::shared_ptr<const snapshot::EnvironmentSnapshot>;

Response OAuthError(const Error& e) { return ErrorResponse(e, ErrorStyle::kOAuth); }

Response UnknownIssuer() {
  return ErrorResponse(Error::NotFound("no authorization server at this issuer"));
}

Result<oauth::Form> ReadForm(const Request& req) {
  std::string_view type = req.Header(bhttp::field::content_type);
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (!boost::beast::iequals(type, "application/x-www-form-urlencoded")) {
    return Fail(Error::Of(ErrorKind::kInvalidRequest,
                          "the body must be application/x-www-form-urlencoded"));
  }
  return oauth::Form::Parse(req.raw.body());
}

Response Document(const std::string& json, int max_age) {
  Response res = MakeResponse(bhttp::status::ok, json);
  res.set(bhttp::field::cache_control, "public, max-age=" + std::to_string(max_age));
  res.set(bhttp::field::access_control_allow_origin, "*");
  return res;
}

void LogRefusal(const Request& req, std::string_view endpoint, std::string_view reason) {
  spdlog::info(R"("msg":"token refused","request_id":"{}","endpoint":"{}","reason":"{}"}})",
               req.request_id, endpoint, reason);
}

// The client_id a request claims (Basic header or form), for blocking and audit; empty when
// none can be read. Never the secret.
std::string ClaimedClientId(const Request& req, const oauth::Form& form) {
  auto credentials = oauth::ExtractCredentials(req.Header(bhttp::field::authorization), form);
  if (!credentials) return {};
  return std::move(credentials->client_id);
}

// A bounded label for metrics: the error code, never free text.
std::string RefusalLabel(std::string_view endpoint, std::string_view reason) {
  std::string out(endpoint);
  out.push_back(':');
  out.append(reason);
  return out;
}

// Per client on the token endpoint and per caller on introspection, when the environment or
// the client sets a rate limit (off by default: a busy service behind one address is never
// throttled by surprise).
std::optional<Response> AdmitClient(OAuthContext& ctx, const snapshot::EnvironmentSnapshot& env,
                                    const snapshot::ClientEntry* client, std::string_view name,
                                    std::string_view caller_id) {
  const std::optional<domain::RateLimit>& limit =
      client != nullptr && client->rate_limit ? client->rate_limit : env.rate_limit;
  if (!limit) return std::nullopt;
  std::string key(name);
  key.append("|").append(env.environment_id).append("|").append(caller_id);
  return ctx.protection->Admit(name, key,
                               {limit->requests_per_second, static_cast<double>(limit->burst)},
                               ErrorStyle::kOAuth);
}

// RFC 6750 §2.1: "Authorization: Bearer <token>", scheme case-insensitive.
std::string_view BearerToken(const Request& req) {
  std::string_view auth = req.Header(bhttp::field::authorization);
  if (auth.size() < 8 || !boost::beast::iequals(auth.substr(0, 7), "Bearer ")) return {};
  auth.remove_prefix(7);
  while (!auth.empty() && auth.front() == ' ') auth.remove_prefix(1);
  return auth;
}

Response HandleToken(Request& req, OAuthContext& ctx, const snapshot::EnvironmentSnapshot& env) {
  Protection& guard = *ctx.protection;
  req.log_environment = env.environment_id;
  auto form = ReadForm(req);
  if (!form) return OAuthError(form.error());
  if (guard.lockout().AnyBlocked()) {
    // A blocked source is refused before its secret is even looked at.
    req.log_client_id = ClaimedClientId(req, *form);
    if (auto refused = guard.CheckClientBlocked(env, req.log_client_id, req, "token")) {
      guard.metrics().tokens_refused.Inc("token:blocked");
      guard.Audit(audit::kTokenRefused, req, &env, req.log_client_id, {{"reason", "blocked"}});
      return std::move(*refused);
    }
  }
  auto issued = oauth::HandleTokenRequest(*form, req.Header(bhttp::field::authorization), env,
                                          {ctx.hasher, ctx.clock, ctx.random});
  if (!issued) {
    const Error& e = issued.error();
    LogRefusal(req, "token", e.detail.empty() ? e.description : e.detail);
    if (req.log_client_id.empty()) req.log_client_id = ClaimedClientId(req, *form);
    guard.metrics().tokens_refused.Inc(RefusalLabel("token", ErrorCode(e.kind)));
    guard.Audit(audit::kTokenRefused, req, &env, req.log_client_id,
                {{"reason", ErrorCode(e.kind)}, {"detail", e.detail}});
    if (e.kind == ErrorKind::kInvalidClient) guard.ClientAuthFailed(env, req.log_client_id, req);
    return OAuthError(e);
  }
  req.log_client_id = issued->client_id;
  if (auto limited =
          AdmitClient(ctx, env, env.FindClient(issued->client_id), "token", issued->client_id)) {
    guard.metrics().tokens_refused.Inc("token:rate_limited");
    guard.Audit(audit::kTokenRefused, req, &env, issued->client_id, {{"reason", "rate_limited"}});
    return std::move(*limited);
  }
  guard.metrics().tokens_issued.Inc("client_credentials");
  if (guard.metrics().client_labels) guard.metrics().tokens_issued_by_client.Inc(issued->client_id);
  guard.Audit(audit::kTokenIssued, req, &env, issued->client_id,
              {{"jti", issued->jti}, {"audience", issued->audience}, {"scope", issued->scope}});
  // A fixed shape: written directly, no JSON DOM (same bytes as boost::json::serialize).
  std::string body;
  body.reserve(issued->access_token.size() + issued->scope.size() + 96);
  body += '{';
  AppendJsonMember(body, "access_token", issued->access_token);
  body += ',';
  AppendJsonMember(body, "token_type", "Bearer");
  body += ',';
  AppendJsonMember(body, "expires_in", issued->expires_in);
  body += ',';
  AppendJsonMember(body, "scope", issued->scope);
  body += '}';
  Response res = MakeResponse(bhttp::status::ok, std::move(body));
  res.set(bhttp::field::cache_control, "no-store");
  res.set(bhttp::field::pragma, "no-cache");
  return res;
}

Response HandleVerify(Request& req, OAuthContext& ctx, const snapshot::EnvironmentSnapshot& env) {
  Protection& guard = *ctx.protection;
  req.log_environment = env.environment_id;
  if (auto refused = guard.CheckVerifySourceBlocked(env, req)) {
    guard.metrics().tokens_refused.Inc("verify:blocked");
    return std::move(*refused);
  }
  if (auto limited = AdmitClient(ctx, env, nullptr, "verify", req.peer_ip))
    return std::move(*limited);
  const std::string_view token = BearerToken(req);
  if (token.empty()) {
    // RFC 6750 §3.1: no error code when the request carries no authentication at all.
    Response res =
        JsonResponse(bhttp::status::unauthorized,
                     boost::json::object{{"error", "invalid_token"},
                                         {"error_description", "a bearer token is required"}});
    res.set(bhttp::field::www_authenticate, "Bearer realm=\"" + env.issuer + "\"");
    return res;
  }
  const auto audience = req.Query("audience");
  if (!audience || audience->empty() || req.QueryCount("audience") > 1) {
    return OAuthError(
        Error::Of(ErrorKind::kInvalidRequest, "the audience query parameter is required (once)"));
  }
  auto checked = oauth::CheckAccessToken(token, *audience, env, ctx.revocations,
                                         ctx.clock.NowSeconds(), ctx.leeway);
  if (!checked) {
    LogRefusal(req, "verify", checked.error().Name());
    guard.metrics().tokens_refused.Inc(RefusalLabel("verify", checked.error().Name()));
    guard.Audit(audit::kVerifyRefused, req, &env, {},
                {{"reason", checked.error().Name()}, {"audience", *audience}});
    guard.VerifyFailed(env, req, *audience);
    return OAuthError(Error::Of(ErrorKind::kInvalidToken, checked.error().Description()));
  }
  req.log_client_id = checked->claims.client_id;
  if (auto required = req.Query("scope")) {
    for (std::string_view scope : oauth::ScopeTokens(*required)) {
      if (!checked->claims.HasScope(scope)) {
        LogRefusal(req, "verify", "insufficient_scope");
        guard.metrics().tokens_refused.Inc("verify:insufficient_scope");
        guard.Audit(audit::kVerifyRefused, req, &env, checked->claims.client_id,
                    {{"reason", "insufficient_scope"}, {"jti", checked->claims.jti}});
        Response res = OAuthError(Error::Of(ErrorKind::kInsufficientScope,
                                            "the token lacks scope " + std::string(scope)));
        res.set(bhttp::field::www_authenticate,
                "Bearer error=\"insufficient_scope\", scope=\"" + *required + "\"");
        return res;
      }
    }
  }
  Response res = JsonResponse(bhttp::status::ok, checked->claims.raw);
  res.set("X-Gatehouse-Client-Id", checked->claims.client_id);
  res.set("X-Gatehouse-Scope", checked->claims.scope);
  res.set("X-Gatehouse-Subject", checked->claims.sub);
  res.set(bhttp::field::cache_control, "no-store");
  return res;
}

Response Inactive() {
  Response res = JsonResponse(bhttp::status::ok, boost::json::object{{"active", false}});
  res.set(bhttp::field::cache_control, "no-store");
  return res;
}

// The shared start of introspection and revocation: the form, the caller's credentials (a
// blocked source is refused before they are checked), authentication, and exactly one `token`.
// Every refusal is counted, audited as `refused_event` and, for bad credentials, fed to the
// blocking logic. Returns the response to send when the call cannot go on.
struct TokenCall {
  oauth::Form form;
  std::string client_id;
  oauth::Caller caller;
  std::string_view token;
};

std::optional<Response> StartTokenCall(Request& req, OAuthContext& ctx,
                                       const snapshot::EnvironmentSnapshot& env,
                                       std::string_view endpoint, const char* refused_event,
                                       bool allow_api_credentials, TokenCall& call) {
  Protection& guard = *ctx.protection;
  req.log_environment = env.environment_id;
  auto form = ReadForm(req);
  if (!form) return OAuthError(form.error());
  call.form = std::move(*form);
  auto credentials = oauth::ExtractCredentials(req.Header(bhttp::field::authorization), call.form);
  if (!credentials) return OAuthError(credentials.error());
  call.client_id = credentials->client_id;
  req.log_client_id = call.client_id;
  if (auto refused = guard.CheckClientBlocked(env, call.client_id, req, endpoint)) {
    guard.metrics().tokens_refused.Inc(std::string(endpoint) + ":blocked");
    guard.Audit(refused_event, req, &env, call.client_id, {{"reason", "blocked"}});
    return std::move(*refused);
  }
  auto caller = oauth::AuthenticateCaller(*credentials, env, ctx.hasher, ctx.clock.Now(),
                                          allow_api_credentials);
  if (!caller) {
    LogRefusal(req, endpoint, caller.error().detail);
    guard.metrics().tokens_refused.Inc(std::string(endpoint) + ":invalid_client");
    guard.Audit(refused_event, req, &env, call.client_id,
                {{"reason", "invalid_client"}, {"detail", caller.error().detail}});
    guard.ClientAuthFailed(env, call.client_id, req);
    return OAuthError(caller.error());
  }
  call.caller = *caller;
  if (call.form.Count("token") != 1) {
    return OAuthError(Error::Of(ErrorKind::kInvalidRequest, "token is required (once)"));
  }
  call.token = *call.form.Get("token");
  return std::nullopt;
}

// RFC 7662: the API's own credentials see tokens for that API; a client sees its own tokens.
Response HandleIntrospect(Request& req, OAuthContext& ctx,
                          const snapshot::EnvironmentSnapshot& env) {
  Protection& guard = *ctx.protection;
  TokenCall call;
  if (auto done =
          StartTokenCall(req, ctx, env, "introspect", audit::kIntrospectRefused, true, call)) {
    return std::move(*done);
  }
  const oauth::Caller* caller = &call.caller;
  const std::string_view token = call.token;
  if (auto limited = AdmitClient(ctx, env, caller->client, "introspect", call.client_id)) {
    return std::move(*limited);
  }
  const std::string audience =
      caller->api != nullptr ? caller->api->identifier : oauth::PeekAudience(token);
  auto checked = oauth::CheckAccessToken(token, audience, env, ctx.revocations,
                                         ctx.clock.NowSeconds(), ctx.leeway);
  if (!checked) {
    LogRefusal(req, "introspect", checked.error().Name());
    guard.metrics().tokens_refused.Inc(RefusalLabel("introspect", checked.error().Name()));
    guard.Audit(audit::kIntrospectRefused, req, &env, call.client_id,
                {{"reason", checked.error().Name()}});
    return Inactive();
  }
  if (caller->client != nullptr && caller->client != checked->client) return Inactive();
  const auto& c = checked->claims;
  std::string body = R"({"active":true,)";
  body.reserve(256 + c.scope.size() + c.iss.size() + audience.size());
  AppendJsonMember(body, "scope", c.scope);
  body += ',';
  AppendJsonMember(body, "client_id", c.client_id);
  body += ',';
  AppendJsonMember(body, "token_type", "Bearer");
  body += ',';
  AppendJsonMember(body, "exp", c.exp);
  body += ',';
  AppendJsonMember(body, "iat", c.iat);
  body += ',';
  AppendJsonMember(body, "sub", c.sub);
  body += ',';
  AppendJsonMember(body, "aud", audience);
  body += ',';
  AppendJsonMember(body, "iss", c.iss);
  body += ',';
  AppendJsonMember(body, "jti", c.jti);
  body += '}';
  Response res = MakeResponse(bhttp::status::ok, std::move(body));
  res.set(bhttp::field::cache_control, "no-store");
  return res;
}

// RFC 7009: a client revokes its own tokens; 200 whatever the token was (§2.2), so that the
// answer tells an attacker nothing.
Response HandleRevoke(Request& req, OAuthContext& ctx, const snapshot::EnvironmentSnapshot& env) {
  Protection& guard = *ctx.protection;
  TokenCall call;
  if (auto done = StartTokenCall(req, ctx, env, "revoke", audit::kRevokeRefused, false, call)) {
    return std::move(*done);
  }
  const oauth::Caller* caller = &call.caller;
  const std::string_view token = call.token;
  auto checked = oauth::CheckAccessToken(token, oauth::PeekAudience(token), env, ctx.revocations,
                                         ctx.clock.NowSeconds(), ctx.leeway);
  Response ok = MakeResponse(bhttp::status::ok, "");
  ok.set(bhttp::field::cache_control, "no-store");
  if (!checked || checked->client != caller->client) return ok;
  // Persist first: once we answer, the revocation must survive a restart.
  auto stored = ctx.store.RevokeToken(
      {env.environment_id, checked->claims.jti, FromUnixSeconds(checked->claims.exp)});
  if (!stored) {
    spdlog::error(R"("msg":"revocation not stored","request_id":"{}","detail":{}}})",
                  req.request_id,
                  boost::json::serialize(boost::json::value(stored.error().detail)));
    return OAuthError(Error::Of(ErrorKind::kTemporarilyUnavailable, "try again"));
  }
  ctx.revocations.Add(env.environment_id, checked->claims.jti, checked->claims.exp);
  guard.Audit(audit::kTokenRevoked, req, &env, checked->claims.client_id,
              {{"jti", checked->claims.jti}});
  spdlog::info(R"("msg":"token revoked","request_id":"{}","jti":"{}","client_id":"{}"}})",
               req.request_id, checked->claims.jti, checked->claims.client_id);
  return ok;
}

using EnvHandler = Response (*)(Request&, OAuthContext&, const snapshot::EnvironmentSnapshot&);

// Binds an environment handler to /oauth/{project}/{env}/...: params[0], params[1].
Handler ForEnvironment(OAuthContext& ctx, EnvHandler handler) {
  return [&ctx, handler](Request& req) -> Response {
    Snapshot env = ctx.registry.FindByPath(req.params[0], req.params[1]);
    if (!env) return UnknownIssuer();
    return handler(req, ctx, *env);
  };
}

}  // namespace

void AddOAuthRoutes(Router& router, OAuthContext& ctx) {
  auto metadata = [&ctx](Request& req) -> Response {
    Snapshot env = ctx.registry.FindByPath(req.params[0], req.params[1]);
    return env ? Document(env->metadata_json, 60) : UnknownIssuer();
  };
  router.Add({bhttp::verb::get, "/.well-known/oauth-authorization-server/oauth/{}/{}", metadata,
              Lane::kInline});
  router.Add({bhttp::verb::get, "/oauth/{}/{}/.well-known/oauth-authorization-server", metadata,
              Lane::kInline});
  router.Add({bhttp::verb::get, "/oauth/{}/{}/jwks.json",
              [&ctx](Request& req) -> Response {
                Snapshot env = ctx.registry.FindByPath(req.params[0], req.params[1]);
                return env ? Document(env->jwks_json, 300) : UnknownIssuer();
              },
              Lane::kInline});
  router.Add(
      {bhttp::verb::post, "/oauth/{}/{}/token", ForEnvironment(ctx, HandleToken), Lane::kInline});
  router.Add(
      {bhttp::verb::get, "/oauth/{}/{}/verify", ForEnvironment(ctx, HandleVerify), Lane::kInline});
  router.Add(
      {bhttp::verb::post, "/oauth/{}/{}/verify", ForEnvironment(ctx, HandleVerify), Lane::kInline});
  router.Add({bhttp::verb::post, "/oauth/{}/{}/introspect", ForEnvironment(ctx, HandleIntrospect),
              Lane::kInline});
  router.Add({bhttp::verb::post, "/oauth/{}/{}/revoke", ForEnvironment(ctx, HandleRevoke),
              Lane::kBlocking});
}

}  // namespace gatehouse::http
