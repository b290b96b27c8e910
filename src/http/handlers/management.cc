#include "http/handlers/management.h"

#include <spdlog/spdlog.h>

#include <boost/url/parse.hpp>

#include "http/handlers/management_internal.h"

namespace gatehouse::http {
namespace {

std::string OriginOf(const std::string& url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return url;
  std::string origin(parsed->scheme());
  origin.append("://").append(parsed->encoded_host());
  if (parsed->has_port()) origin.append(":").append(parsed->port());
  return origin;
}

bool IsSafeMethod(bhttp::verb v) {
  return v == bhttp::verb::get || v == bhttp::verb::head || v == bhttp::verb::options;
}

}  // namespace

Result<domain::Account> Authenticate(const Request& req, ManagementContext& ctx) {
  std::string_view auth = req.Header(bhttp::field::authorization);
  if (!auth.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (auth.size() <= kBearer.size() ||
        !std::equal(kBearer.begin(), kBearer.end(), auth.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return Fail(
          Error::Of(ErrorKind::kUnauthorized, "Authorization must be \"Bearer <session token>\""));
    }
    return ctx.accounts.Authenticate(auth.substr(kBearer.size()));
  }
  std::string_view cookie = req.Cookie("gh_session");
  if (cookie.empty()) return Fail(Error::Of(ErrorKind::kUnauthorized, "authentication required"));
  if (!IsSafeMethod(req.method()) && req.Header(bhttp::field::origin) != OriginOf(ctx.public_url)) {
    return Fail(
        Error::Of(ErrorKind::kUnauthorized,
                  "cross-origin request refused: Origin must be " + OriginOf(ctx.public_url)));
  }
  return ctx.accounts.Authenticate(cookie);
}

namespace internal {

Response Finish(Result<Response> result) {
  Response res;
  if (result) {
    res = std::move(*result);
  } else {
    const Error& e = result.error();
    if (e.kind == ErrorKind::kServerError || e.kind == ErrorKind::kTemporarilyUnavailable) {
      spdlog::error("\"msg\":\"management error\",\"detail\":{}}}",
                    boost::json::serialize(boost::json::value(e.detail)));
    }
    res = ErrorResponse(e);
  }
  res.set(bhttp::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  return res;
}

Handler Authed(ManagementContext& ctx, AuthedFn fn) {
  return [&ctx, fn = std::move(fn)](Request& req) -> Response {
    auto account = Authenticate(req, ctx);
    if (!account) return Finish(Fail(std::move(account.error())));
    return Finish(fn(req, *account));
  };
}

Handler Public(PublicFn fn) {
  return [fn = std::move(fn)](Request& req) -> Response { return Finish(fn(req)); };
}

}  // namespace internal

void AddManagementRoutes(Router& router, ManagementContext& ctx) {
  internal::AddAccountRoutes(router, ctx);
  internal::AddProjectRoutes(router, ctx);
  internal::AddApiRoutes(router, ctx);
  internal::AddClientRoutes(router, ctx);
  internal::AddKeyRoutes(router, ctx);
}

}  // namespace gatehouse::http
