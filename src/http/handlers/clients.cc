#include "http/handlers/management_internal.h"

namespace gatehouse::http::internal {
namespace {

Result<mgmt::ClientInput> ReadClient(const Request& req) {
  GH_ASSIGN_OR_RETURN(auto body,
                      ParseJsonObject(req, {"name", "description", "token_endpoint_auth_method",
                                            "enabled", "grants", "rate_limit"}));
  mgmt::ClientInput input;
  GH_ASSIGN_OR_RETURN(input.name, GetString(body, "name"));
  GH_ASSIGN_OR_RETURN(input.description, GetString(body, "description"));
  GH_ASSIGN_OR_RETURN(input.token_endpoint_auth_method,
                      GetString(body, "token_endpoint_auth_method"));
  GH_ASSIGN_OR_RETURN(input.enabled, GetBool(body, "enabled"));
  if (body.contains("rate_limit")) {
    GH_ASSIGN_OR_RETURN(auto limit, ReadRateLimit(body, "rate_limit"));
    input.rate_limit = limit;
  }
  if (auto it = body.find("grants"); it != body.end() && !it->value().is_null()) {
    const Error bad = Error::InvalidRequest(
        "grants: must be an array of {\"api\": \"<identifier>\", \"scopes\": [...]} objects",
        "grants");
    if (!it->value().is_array()) return Fail(bad);
    std::vector<mgmt::GrantInput> grants;
    for (const auto& v : it->value().as_array()) {
      if (!v.is_object()) return Fail(bad);
      const auto& o = v.as_object();
      for (const auto& m : o) {
        if (m.key() != "api" && m.key() != "scopes") return Fail(bad);
      }
      GH_ASSIGN_OR_RETURN(auto api, GetString(o, "api"));
      auto scopes = GetStringArray(o, "scopes");
      if (!api || !scopes || !*scopes) return Fail(bad);
      grants.push_back({std::move(*api), std::move(**scopes)});
    }
    input.grants = std::move(grants);
  }
  return input;
}

}  // namespace

void AddClientRoutes(Router& router, ManagementContext& ctx) {
  router.Add({bhttp::verb::post, "/api/v1/environments/{}/clients",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto input, ReadClient(req));
                GH_ASSIGN_OR_RETURN(auto created, ctx.clients.Create(me.id, req.params[0], input));
                auto body = RenderClient(created.client, ctx.clock.Now());
                body["client_secret"] = created.secret.Reveal();
                return JsonResponse(bhttp::status::created, body);
              })});
  router.Add({bhttp::verb::get, "/api/v1/environments/{}/clients",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto page, ParsePage(req));
                GH_ASSIGN_OR_RETURN(auto clients, ctx.clients.List(me.id, req.params[0], page));
                const TimePoint now = ctx.clock.Now();
                return JsonResponse(bhttp::status::ok,
                                    RenderPage(clients, [&](const domain::Client& c) {
                                      return RenderClient(c, now);
                                    }));
              })});
  router.Add({bhttp::verb::get, "/api/v1/environments/{}/clients/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto client,
                                    ctx.clients.Get(me.id, req.params[0], req.params[1]));
                return JsonResponse(bhttp::status::ok, RenderClient(client, ctx.clock.Now()));
              })});
  router.Add({bhttp::verb::patch, "/api/v1/environments/{}/clients/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto input, ReadClient(req));
                GH_ASSIGN_OR_RETURN(auto client,
                                    ctx.clients.Update(me.id, req.params[0], req.params[1], input));
                return JsonResponse(bhttp::status::ok, RenderClient(client, ctx.clock.Now()));
              })});
  router.Add({bhttp::verb::delete_, "/api/v1/environments/{}/clients/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_RETURN_IF_ERROR(ctx.clients.Delete(me.id, req.params[0], req.params[1]));
                return NoContent();
              })});
  router.Add({bhttp::verb::post, "/api/v1/environments/{}/clients/{}/secrets",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req, {"previous_secret_ttl"}, true));
                GH_ASSIGN_OR_RETURN(auto ttl, GetInt(body, "previous_secret_ttl"));
                GH_ASSIGN_OR_RETURN(auto rotated,
                                    ctx.clients.RotateSecret(me.id, req.params[0], req.params[1],
                                                             ttl.value_or(3600)));
                boost::json::object out{{"client_id", rotated.client.client_id},
                                        {"client_secret", rotated.secret.Reveal()},
                                        {"previous_secret_expires_at", nullptr}};
                if (rotated.previous_secret_expires_at) {
                  out["previous_secret_expires_at"] =
                      FormatTime(*rotated.previous_secret_expires_at);
                }
                return JsonResponse(bhttp::status::created, out);
              })});
  router.Add({bhttp::verb::post, "/api/v1/environments/{}/clients/{}/revoke-tokens",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_RETURN_IF_ERROR(ctx.clients.RevokeTokens(me.id, req.params[0], req.params[1]));
                return NoContent();
              })});
}

}  // namespace gatehouse::http::internal
