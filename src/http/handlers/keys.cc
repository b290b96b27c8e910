#include "http/handlers/management_internal.h"
#include "mgmt/key_service.h"

namespace gatehouse::http::internal {
namespace {

boost::json::object RenderKey(const domain::SigningKey& k) {
  auto optional_time = [](const std::optional<TimePoint>& t) -> boost::json::value {
    if (!t) return nullptr;
    return boost::json::string(FormatTime(*t));
  };
  return {{"kid", k.kid},
          {"alg", k.alg},
          {"state", k.state},
          {"created_at", FormatTime(k.created_at)},
          {"activated_at", optional_time(k.activated_at)},
          {"retired_at", optional_time(k.retired_at)},
          {"expires_at", optional_time(k.expires_at)}};
}

Response KeyList(const std::vector<domain::SigningKey>& keys) {
  boost::json::array items;
  for (const auto& k : keys) items.push_back(RenderKey(k));
  return JsonResponse(bhttp::status::ok,
                      boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

}  // namespace

void AddKeyRoutes(Router& router, ManagementContext& ctx) {
  router.Add({bhttp::verb::get, "/api/v1/environments/{}/keys",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto keys, ctx.keys.List(me.id, req.params[0]));
                return KeyList(keys);
              })});
  router.Add({bhttp::verb::post, "/api/v1/environments/{}/keys/rotate",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req, {"alg"}, true));
                GH_ASSIGN_OR_RETURN(auto alg, GetString(body, "alg"));
                GH_ASSIGN_OR_RETURN(auto keys, ctx.keys.Rotate(me.id, req.params[0], alg));
                return KeyList(keys);
              })});
}

}  // namespace gatehouse::http::internal
