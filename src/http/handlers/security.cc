#include <cstdio>
#include <ctime>

#include "http/handlers/management_internal.h"
#include "ratelimit/limiter.h"

namespace gatehouse::http::internal {
namespace {

// RFC 3339 date-time ("2026-11-23T14:09:18Z", fractions and offsets allowed).
std::optional<TimePoint> ParseRfc3339(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, n = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) !=
          6 ||
      n != 19) {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(text).substr(19);
  int64_t micros = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    int digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (digits < 6) micros = micros * 10 + (rest.front() - '0');
      ++digits;
      rest.remove_prefix(1);
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  int offset = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(std::string(rest.substr(1)).c_str(), "%2d:%2d", &oh, &om) != 2) {
      return std::nullopt;
    }
    offset = (rest[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const int64_t secs = static_cast<int64_t>(timegm(&tm)) - offset;
  return TimePoint(std::chrono::seconds(secs)) + std::chrono::microseconds(micros);
}

Result<std::optional<TimePoint>> TimeParam(const Request& req, const char* name) {
  auto value = req.Query(name);
  if (!value) return std::optional<TimePoint>();
  auto t = ParseRfc3339(*value);
  if (!t) {
    return Fail(Error::InvalidRequest(
        std::string(name) + ": must be an RFC 3339 date-time, e.g. 2026-11-23T14:09:18Z", name));
  }
  return std::optional<TimePoint>(*t);
}

boost::json::value ParseDetail(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? boost::json::value(boost::json::object{}) : v;
}

boost::json::object RenderAudit(const domain::AuditEvent& e) {
  auto nullable = [](const std::string& s) -> boost::json::value {
    return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
  };
  return {{"id", std::to_string(e.seq)},
          {"type", e.type},
          {"time", FormatTime(e.at)},
          {"project_id", nullable(e.project_id)},
          {"environment_id", nullable(e.environment_id)},
          {"actor", nullable(e.actor.empty() ? e.client_id : e.actor)},  // see Protection::Audit
          {"client_id", nullable(e.client_id)},
          {"ip", nullable(e.ip)},
          {"request_id", nullable(e.request_id)},
          {"detail", ParseDetail(e.detail)}};
}

boost::json::object RenderAlert(const domain::Alert& a) {
  return {{"id", a.id},
          {"type", a.type},
          {"project_id", a.project_id},
          {"environment_id", a.environment_id},
          {"message", a.message},
          {"detail", ParseDetail(a.detail)},
          {"created_at", FormatTime(a.created_at)}};
}

boost::json::object RenderBlock(const ratelimit::Block& b) {
  return {{"id", b.id},
          {"kind", b.kind},
          {"environment_id", b.environment_id},
          {"client_id",
           b.client_id.empty() ? boost::json::value(nullptr) : boost::json::value(b.client_id)},
          {"ip", b.ip},
          {"strikes", b.strikes},
          {"created_at", FormatTime(b.created_at)},
          {"expires_at", FormatTime(b.until)}};
}

boost::json::object RenderWebhook(const domain::Webhook& w) {
  boost::json::array events;
  for (const auto& e : w.events) events.emplace_back(e);
  return {{"id", w.id},
          {"project_id", w.project_id},
          {"url", w.url},
          {"events", std::move(events)},
          {"created_at", FormatTime(w.created_at)}};
}

boost::json::object RenderDelivery(const domain::WebhookDelivery& d) {
  return {
      {"id", d.id},
      {"webhook_id", d.webhook_id},
      {"event", d.event},
      {"state", d.state},
      {"attempts", d.attempts},
      {"last_status",
       d.last_status ? boost::json::value(*d.last_status) : boost::json::value(nullptr)},
      {"last_error",
       d.last_error.empty() ? boost::json::value(nullptr) : boost::json::value(d.last_error)},
      {"next_attempt_at", d.state == "pending" ? boost::json::value(FormatTime(d.next_attempt_at))
                                               : boost::json::value(nullptr)},
      {"created_at", FormatTime(d.created_at)}};
}

enum class AuditScope { kEnvironment, kProject, kAccount };

Result<Response> ListAudit(ManagementContext& ctx, Request& req, const domain::Account& me,
                           AuditScope scope) {
  domain::AuditFilter filter;
  if (scope == AuditScope::kEnvironment) filter.environment_id = req.params[0];
  if (scope == AuditScope::kProject) filter.project_id = req.params[0];
  filter.type = req.Query("type").value_or("");
  filter.client_id = req.Query("client_id").value_or("");
  GH_ASSIGN_OR_RETURN(filter.since, TimeParam(req, "since"));
  GH_ASSIGN_OR_RETURN(filter.until, TimeParam(req, "until"));
  GH_ASSIGN_OR_RETURN(auto page, ParsePage(req));
  GH_ASSIGN_OR_RETURN(auto events, ctx.security->Audit(me.id, filter, page));
  return JsonResponse(bhttp::status::ok, RenderPage(events, RenderAudit));
}

}  // namespace

Result<std::optional<domain::RateLimit>> ReadRateLimit(const boost::json::object& body,
                                                       const std::string& field) {
  auto it = body.find("rate_limit");
  if (it == body.end() || it->value().is_null()) return std::optional<domain::RateLimit>();
  const Error bad = Error::InvalidRequest(
      field + ": must be {\"requests_per_second\": number, \"burst\": integer} or null", field);
  if (!it->value().is_object()) return Fail(bad);
  const auto& o = it->value().as_object();
  for (const auto& m : o) {
    if (m.key() != "requests_per_second" && m.key() != "burst") return Fail(bad);
  }
  auto rps = o.if_contains("requests_per_second");
  auto burst = o.if_contains("burst");
  if (rps == nullptr || burst == nullptr || !rps->is_number() ||
      !(burst->is_int64() || burst->is_uint64())) {
    return Fail(bad);
  }
  domain::RateLimit limit{rps->to_number<double>(), burst->to_number<int64_t>()};
  GH_RETURN_IF_ERROR(mgmt::ValidateRateLimit(limit, field));
  return std::optional<domain::RateLimit>(limit);
}

void AddSecurityRoutes(Router& router, ManagementContext& ctx) {
  router.Add({bhttp::verb::get, "/api/v1/environments/{}/audit",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) {
                return ListAudit(ctx, req, me, AuditScope::kEnvironment);
              })});
  router.Add({bhttp::verb::get, "/api/v1/projects/{}/audit",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) {
                return ListAudit(ctx, req, me, AuditScope::kProject);
              })});
  router.Add({bhttp::verb::get, "/api/v1/accounts/me/audit",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) {
                return ListAudit(ctx, req, me, AuditScope::kAccount);
              })});
  router.Add({bhttp::verb::get, "/api/v1/environments/{}/alerts",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto page, ParsePage(req));
                GH_ASSIGN_OR_RETURN(auto alerts, ctx.security->Alerts(me.id, req.params[0], page));
                return JsonResponse(bhttp::status::ok, RenderPage(alerts, RenderAlert));
              })});
  router.Add({bhttp::verb::get, "/api/v1/environments/{}/blocks",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto blocks, ctx.security->Blocks(me.id, req.params[0],
                                                                      ratelimit::MonotonicNanos()));
                boost::json::array items;
                for (const auto& b : blocks) items.push_back(RenderBlock(b));
                return JsonResponse(
                    bhttp::status::ok,
                    boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
              })});
  router.Add({bhttp::verb::delete_, "/api/v1/environments/{}/blocks/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_RETURN_IF_ERROR(ctx.security->LiftBlock(me.id, req.params[0], req.params[1]));
                return NoContent();
              })});
  router.Add(
      {bhttp::verb::patch, "/api/v1/environments/{}",
       Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
         GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req, {"rate_limit"}));
         GH_ASSIGN_OR_RETURN(auto limit, ReadRateLimit(body, "rate_limit"));
         GH_ASSIGN_OR_RETURN(auto env, ctx.security->SetRateLimit(me.id, req.params[0], limit));
         auto snap = ctx.registry->FindById(env.id);
         return JsonResponse(bhttp::status::ok, RenderEnvironment(env, snap ? snap->issuer : ""));
       })});
  router.Add({bhttp::verb::post, "/api/v1/projects/{}/webhooks",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req, {"url", "events"}));
                mgmt::WebhookInput input;
                GH_ASSIGN_OR_RETURN(input.url, GetString(body, "url"));
                GH_ASSIGN_OR_RETURN(input.events, GetStringArray(body, "events"));
                GH_ASSIGN_OR_RETURN(auto created,
                                    ctx.security->CreateWebhook(me.id, req.params[0], input));
                auto out = RenderWebhook(created.webhook);
                out["secret"] = created.secret.Reveal();
                return JsonResponse(bhttp::status::created, out);
              })});
  router.Add({bhttp::verb::get, "/api/v1/projects/{}/webhooks",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto hooks, ctx.security->Webhooks(me.id, req.params[0]));
                boost::json::array items;
                for (const auto& h : hooks) items.push_back(RenderWebhook(h));
                return JsonResponse(
                    bhttp::status::ok,
                    boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
              })});
  router.Add({bhttp::verb::delete_, "/api/v1/projects/{}/webhooks/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_RETURN_IF_ERROR(
                    ctx.security->DeleteWebhook(me.id, req.params[0], req.params[1]));
                return NoContent();
              })});
  router.Add({bhttp::verb::get, "/api/v1/projects/{}/webhooks/{}/deliveries",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto page, ParsePage(req));
                GH_ASSIGN_OR_RETURN(auto deliveries, ctx.security->Deliveries(me.id, req.params[0],
                                                                              req.params[1], page));
                return JsonResponse(bhttp::status::ok, RenderPage(deliveries, RenderDelivery));
              })});
}

}  // namespace gatehouse::http::internal
