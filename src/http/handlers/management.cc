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

namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::string Singular(std::string_view collection) {
  std::string s(collection);
  if (s == "blocks") return "block";
  if (!s.empty() && s.back() == 's') s.pop_back();
  return s;
}

// "client.created", "client.secret_rotated", ... from a successful management write: every
// change lands in the audit trail with who (the account), what (type, target id, path) and
// when, and never a request body (which may hold secrets).
void AuditChange(ManagementContext& ctx, const Request& req, const domain::Account& me,
                 const Response& res) {
  auto seg = Segments(req.path);  // api, v1, collection, id, ...
  if (seg.size() < 3 || seg[0] != "api" || seg[1] != "v1") return;
  seg.erase(seg.begin(), seg.begin() + 2);
  std::string type;
  std::string target;
  const auto method = req.method();
  const std::string_view last = seg.back();
  const bool action = last == "secrets" || last == "revoke-tokens" || last == "rotate";
  if (seg.size() % 2 == 1 || action) {
    // A collection or an action: POST creates (or acts).
    if (last == "secrets") {
      type = "client.secret_rotated";
    } else if (last == "revoke-tokens") {
      type = "client.tokens_revoked";
    } else if (last == "rotate") {
      type = "key.rotated";
    } else {
      type = Singular(last) + ".created";
    }
    boost::system::error_code ec;
    auto body = boost::json::parse(res.body(), ec);
    if (!ec && body.is_object()) {
      if (auto id = body.as_object().if_contains("id"); id && id->is_string()) {
        target = std::string(id->as_string());
      }
    }
    if (target.empty() && seg.size() >= 3) target = std::string(seg[seg.size() - 2]);
  } else {
    type =
        Singular(seg[seg.size() - 2]) + (method == bhttp::verb::delete_ ? ".deleted" : ".updated");
    if (type == "block.deleted") type = "block.lifted";
    target = std::string(last);
  }
  domain::AuditEvent e;
  e.type = std::move(type);
  if (seg[0] == "projects" && seg.size() >= 2) {
    e.project_id = std::string(seg[1]);
  } else if (seg[0] == "projects") {
    e.project_id = target;
  } else if (seg[0] == "environments" && seg.size() >= 2) {
    e.environment_id = std::string(seg[1]);
    if (ctx.registry != nullptr) {
      if (auto snap = ctx.registry->FindById(e.environment_id)) e.project_id = snap->project_id;
    }
  }
  if (e.type.starts_with("client.") && seg.size() >= 4) {
    // The client's public client_id is what the audit filter and the OAuth events use.
    if (ctx.registry != nullptr && !e.environment_id.empty()) {
      if (auto snap = ctx.registry->FindById(e.environment_id)) {
        for (const auto& [cid, client] : snap->clients) {
          if (client->id == seg[3]) e.client_id = cid;
        }
      }
    }
  }
  if (e.type == "client.created") {
    boost::system::error_code ec;
    auto body = boost::json::parse(res.body(), ec);
    if (!ec && body.is_object()) {
      if (auto cid = body.as_object().if_contains("client_id"); cid && cid->is_string()) {
        e.client_id = std::string(cid->as_string());
      }
    }
  }
  e.actor = me.id;
  e.ip = req.source_ip;
  e.request_id = req.request_id;
  e.detail =
      boost::json::serialize(boost::json::object{{"target", target},
                                                 {"method", std::string(bhttp::to_string(method))},
                                                 {"path", std::string(req.path)},
                                                 {"account_email", me.email}});
  ctx.protection->audit().Record(std::move(e));
}

std::optional<Response> AdmitIp(ManagementContext& ctx, const Request& req, std::string_view name) {
  if (ctx.protection == nullptr) return std::nullopt;
  const auto& o = ctx.protection->options();
  const ratelimit::Limit& limit = name == "accounts" ? o.accounts
                                  : name == "login"  ? o.login
                                                     : o.management;
  std::string key(name);
  key.append("|").append(req.source_ip);
  return ctx.protection->Admit(name, key, limit, ErrorStyle::kManagement);
}

}  // namespace

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
    if (auto limited = AdmitIp(ctx, req, "management")) return Finish(std::move(*limited));
    auto account = Authenticate(req, ctx);
    if (!account) return Finish(Fail(std::move(account.error())));
    Response res = Finish(fn(req, *account));
    const auto m = req.method();
    if (ctx.protection != nullptr && res.result_int() < 300 && m != bhttp::verb::get &&
        m != bhttp::verb::head && !req.path.starts_with("/api/v1/sessions")) {
      AuditChange(ctx, req, *account, res);
    }
    return res;
  };
}

Handler Public(ManagementContext& ctx, std::string_view limit, PublicFn fn) {
  return [&ctx, limit, fn = std::move(fn)](Request& req) -> Response {
    if (auto limited = AdmitIp(ctx, req, limit)) return Finish(std::move(*limited));
    return Finish(fn(req));
  };
}

}  // namespace internal

void AddManagementRoutes(Router& router, ManagementContext& ctx) {
  internal::AddAccountRoutes(router, ctx);
  internal::AddProjectRoutes(router, ctx);
  internal::AddApiRoutes(router, ctx);
  internal::AddClientRoutes(router, ctx);
  internal::AddKeyRoutes(router, ctx);
  internal::AddSecurityRoutes(router, ctx);
}

}  // namespace gatehouse::http
