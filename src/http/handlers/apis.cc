#include "http/handlers/management_internal.h"

namespace gatehouse::http::internal {
namespace {

Result<mgmt::ApiInput> ReadApi(const Request& req) {
  GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req, {"name", "identifier", "scopes",
                                                       "token_lifetime", "signing_alg"}));
  mgmt::ApiInput input;
  GH_ASSIGN_OR_RETURN(input.name, GetString(body, "name"));
  GH_ASSIGN_OR_RETURN(input.identifier, GetString(body, "identifier"));
  GH_ASSIGN_OR_RETURN(input.token_lifetime, GetInt(body, "token_lifetime"));
  GH_ASSIGN_OR_RETURN(input.signing_alg, GetString(body, "signing_alg"));
  if (auto it = body.find("scopes"); it != body.end() && !it->value().is_null()) {
    const Error bad = Error::InvalidRequest(
        "scopes: must be an array of {\"name\", \"description\"} objects (or of names)", "scopes");
    if (!it->value().is_array()) return Fail(bad);
    std::vector<domain::Scope> scopes;
    for (const auto& v : it->value().as_array()) {
      if (v.is_string()) {  // shorthand: "read:orders"
        scopes.push_back({std::string(v.as_string()), ""});
        continue;
      }
      if (!v.is_object()) return Fail(bad);
      const auto& o = v.as_object();
      for (const auto& m : o) {
        if (m.key() != "name" && m.key() != "description") {
          return Fail(Error::InvalidRequest(
              "scopes: unknown member \"" + std::string(m.key()) + "\" in a scope", "scopes"));
        }
      }
      auto name = o.if_contains("name");
      auto description = o.if_contains("description");
      if (!name || !name->is_string()) {
        return Fail(Error::InvalidRequest("scopes: every scope needs a string \"name\"", "scopes"));
      }
      if (description && !description->is_string() && !description->is_null()) {
        return Fail(Error::InvalidRequest("scopes: \"description\" must be a string", "scopes"));
      }
      scopes.push_back({std::string(name->as_string()), description && description->is_string()
                                                            ? std::string(description->as_string())
                                                            : std::string()});
    }
    input.scopes = std::move(scopes);
  }
  return input;
}

}  // namespace

void AddApiRoutes(Router& router, ManagementContext& ctx) {
  router.Add({bhttp::verb::post, "/api/v1/environments/{}/apis",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto input, ReadApi(req));
                GH_ASSIGN_OR_RETURN(auto created, ctx.apis.Create(me.id, req.params[0], input));
                auto body = RenderApi(created.api);
                body["credentials"].as_object()["client_secret"] =
                    created.credential_secret.Reveal();
                return JsonResponse(bhttp::status::created, body);
              })});
  router.Add({bhttp::verb::get, "/api/v1/environments/{}/apis",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto page, ParsePage(req));
                GH_ASSIGN_OR_RETURN(auto apis, ctx.apis.List(me.id, req.params[0], page));
                return JsonResponse(bhttp::status::ok, RenderPage(apis, RenderApi));
              })});
  router.Add({bhttp::verb::get, "/api/v1/environments/{}/apis/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto api, ctx.apis.Get(me.id, req.params[0], req.params[1]));
                return JsonResponse(bhttp::status::ok, RenderApi(api));
              })});
  router.Add({bhttp::verb::patch, "/api/v1/environments/{}/apis/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto input, ReadApi(req));
                GH_ASSIGN_OR_RETURN(auto api,
                                    ctx.apis.Update(me.id, req.params[0], req.params[1], input));
                return JsonResponse(bhttp::status::ok, RenderApi(api));
              })});
  router.Add({bhttp::verb::delete_, "/api/v1/environments/{}/apis/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_RETURN_IF_ERROR(ctx.apis.Delete(me.id, req.params[0], req.params[1]));
                return NoContent();
              })});
}

}  // namespace gatehouse::http::internal
