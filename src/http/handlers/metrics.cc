#include "http/handlers/metrics.h"

#include <openssl/crypto.h>

namespace gatehouse::http {

void AddMetricsRoute(Router& router, metrics::Metrics& metrics, std::string token) {
  router.Add({bhttp::verb::get, "/metrics",
              [&metrics, token = std::move(token)](Request& req) -> Response {
                if (!token.empty()) {
                  const std::string want = "Bearer " + token;
                  std::string_view got = req.Header(bhttp::field::authorization);
                  if (got.size() != want.size() ||
                      CRYPTO_memcmp(got.data(), want.data(), want.size()) != 0) {
                    return ErrorResponse(Error::Of(ErrorKind::kUnauthorized,
                                                   "a bearer token is required for /metrics"));
                  }
                }
                Response res = MakeResponse(bhttp::status::ok, metrics.Render(),
                                            "text/plain; version=0.0.4; charset=utf-8");
                res.set(bhttp::field::cache_control, "no-store");
                return res;
              },
              Lane::kInline});
}

}  // namespace gatehouse::http
