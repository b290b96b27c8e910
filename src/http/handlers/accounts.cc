#include "http/handlers/management_internal.h"

namespace gatehouse::http::internal {
namespace {

constexpr const char* kCookie = "gh_session";

struct Credentials {
  std::string email;
  std::string password;
};

Result<Credentials> ReadCredentials(const Request& req, bool allow_otp) {
  GH_ASSIGN_OR_RETURN(auto body, allow_otp ? ParseJsonObject(req, {"email", "password", "otp"})
                                           : ParseJsonObject(req, {"email", "password"}));
  GH_ASSIGN_OR_RETURN(auto email, GetString(body, "email"));
  GH_ASSIGN_OR_RETURN(auto password, GetString(body, "password"));
  if (!email) return Fail(Error::InvalidRequest("email: is required", "email"));
  if (!password) return Fail(Error::InvalidRequest("password: is required", "password"));
  return Credentials{std::move(*email), std::move(*password)};
}

}  // namespace

void AddAccountRoutes(Router& router, ManagementContext& ctx) {
  router.Add({bhttp::verb::post, "/api/v1/accounts",
              Public(ctx, "accounts", [&ctx](Request& req) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto creds, ReadCredentials(req, false));
                GH_ASSIGN_OR_RETURN(auto account,
                                    ctx.accounts.Register(creds.email, creds.password));
                ctx.protection->Audit("account.created", req, nullptr, {},
                                      {{"email", account.email}}, account.id);
                return JsonResponse(bhttp::status::created, RenderAccount(account));
              })});

  router.Add({bhttp::verb::get, "/api/v1/accounts/me",
              Authed(ctx, [](Request&, const domain::Account& account) -> Result<Response> {
                return JsonResponse(bhttp::status::ok, RenderAccount(account));
              })});

  router.Add({bhttp::verb::post, "/api/v1/sessions",
              Public(ctx, "login", [&ctx](Request& req) -> Result<Response> {
                // "otp" is accepted for forward compatibility with MFA; it is unused today.
                GH_ASSIGN_OR_RETURN(auto creds, ReadCredentials(req, true));
                Protection& guard = *ctx.protection;
                // Per account and address, with backoff: a guesser is slowed down, while the owner
                // logging in from elsewhere is not locked out.
                if (auto refused = guard.CheckLoginBlocked(creds.email, req))
                  return std::move(*refused);
                auto session = ctx.accounts.Login(creds.email, creds.password);
                if (!session) {
                  if (session.error().kind == ErrorKind::kUnauthorized) {
                    // The account's own audit trail shows attempts on it (actor: the account).
                    guard.Audit(audit::kLoginFailed, req, nullptr, {}, {{"email", creds.email}},
                                ctx.accounts.IdForEmail(creds.email).value_or(""));
                    guard.LoginFailed(creds.email, req);
                  }
                  return Fail(std::move(session.error()));
                }
                guard.Audit(audit::kLoginSucceeded, req, nullptr, {}, {{"email", creds.email}},
                            session->account_id);
                const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(
                                         session->expires_at - ctx.clock.Now())
                                         .count();
                Response res = JsonResponse(
                    bhttp::status::created,
                    boost::json::object{{"token", session->token.Reveal()},
                                        {"expires_at", FormatTime(session->expires_at)}});
                std::string cookie =
                    std::string(kCookie) + "=" + std::string(session->token.Reveal()) +
                    "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
                if (ctx.secure_cookies) cookie += "; Secure";
                res.set(bhttp::field::set_cookie, cookie);
                return res;
              })});

  router.Add({bhttp::verb::delete_, "/api/v1/sessions/current",
              Authed(ctx, [&ctx](Request& req, const domain::Account&) -> Result<Response> {
                std::string_view auth = req.Header(bhttp::field::authorization);
                std::string_view token = auth.size() > 7 ? auth.substr(7) : req.Cookie(kCookie);
                GH_RETURN_IF_ERROR(ctx.accounts.Logout(token));
                Response res = NoContent();
                std::string cookie =
                    std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
                if (ctx.secure_cookies) cookie += "; Secure";
                res.set(bhttp::field::set_cookie, cookie);
                return res;
              })});
}

}  // namespace gatehouse::http::internal
