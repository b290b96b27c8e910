#include "http/handlers/system.h"

namespace gatehouse::http {

extern const std::string_view kOpenApiJson;

void AddSystemRoutes(Router& router, std::function<bool()> ready) {
  router.Add({bhttp::verb::get, "/healthz",
              [](Request&) {
                return JsonResponse(bhttp::status::ok, boost::json::object{{"status", "ok"}});
              },
              Lane::kInline});
  // Readiness touches the database, so it runs on the blocking lane.
  router.Add({bhttp::verb::get, "/readyz", [ready = std::move(ready)](Request&) {
                if (ready()) {
                  return JsonResponse(bhttp::status::ok, boost::json::object{{"status", "ready"}});
                }
                return ErrorResponse(Error::Of(ErrorKind::kTemporarilyUnavailable,
                                               "database or configuration snapshot not ready"));
              }});
  router.Add({bhttp::verb::get, "/api/v1/openapi.json",
              [](Request&) { return MakeResponse(bhttp::status::ok, std::string(kOpenApiJson)); },
              Lane::kInline});
}

}  // namespace gatehouse::http
