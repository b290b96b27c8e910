#include "mgmt/security_service.h"

#include <algorithm>
#include <boost/url/parse.hpp>

namespace gatehouse::mgmt {

const std::vector<std::string>& SecurityService::AlertTypes() {
  static const std::vector<std::string> kTypes = {"block.created", "verify.invalid_burst"};
  return kTypes;
}

Status ValidateRateLimit(const domain::RateLimit& limit, const std::string& field) {
  if (!(limit.requests_per_second > 0) || limit.requests_per_second > 100000) {
    return Fail(Error::InvalidRequest(
        field + ": requests_per_second must be a number above 0 and at most 100000", field));
  }
  if (limit.burst < 1 || limit.burst > 1000000) {
    return Fail(
        Error::InvalidRequest(field + ": burst must be an integer from 1 to 1000000", field));
  }
  return {};
}

std::string WebhookSealAad(const std::string& webhook_id) { return "webhook:" + webhook_id; }

Status SecurityService::OwnsEnvironment(const std::string& owner_id, const std::string& env_id) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  return {};
}

Status SecurityService::OwnsProject(const std::string& owner_id, const std::string& project_id) {
  auto project = deps_.store.GetProject(owner_id, project_id);
  if (!project) {
    if (project.error().kind == ErrorKind::kNotFound) {
      return Fail(Error::NotFound("project not found"));
    }
    return Fail(std::move(project.error()));
  }
  return {};
}

Result<store::Page<domain::AuditEvent>> SecurityService::Audit(const std::string& owner_id,
                                                               const domain::AuditFilter& filter,
                                                               store::PageRequest page) {
  if (!filter.environment_id.empty()) {
    GH_RETURN_IF_ERROR(OwnsEnvironment(owner_id, filter.environment_id));
  } else if (!filter.project_id.empty()) {
    GH_RETURN_IF_ERROR(OwnsProject(owner_id, filter.project_id));
  } else {
    domain::AuditFilter own = filter;
    own.actor = owner_id;  // an account sees only its own trail
    return deps_.store.ListAuditEvents(own, page);
  }
  return deps_.store.ListAuditEvents(filter, page);
}

Result<store::Page<domain::Alert>> SecurityService::Alerts(const std::string& owner_id,
                                                           const std::string& env_id,
                                                           store::PageRequest page) {
  GH_RETURN_IF_ERROR(OwnsEnvironment(owner_id, env_id));
  return deps_.store.ListAlerts(env_id, page);
}

Result<std::vector<ratelimit::Block>> SecurityService::Blocks(const std::string& owner_id,
                                                              const std::string& env_id,
                                                              int64_t now_ns) {
  GH_RETURN_IF_ERROR(OwnsEnvironment(owner_id, env_id));
  return lockout_.List(env_id, now_ns);
}

Status SecurityService::LiftBlock(const std::string& owner_id, const std::string& env_id,
                                  const std::string& block_id) {
  GH_RETURN_IF_ERROR(OwnsEnvironment(owner_id, env_id));
  if (!lockout_.Lift(env_id, block_id)) return Fail(Error::NotFound("block not found"));
  return {};
}

Result<domain::Environment> SecurityService::SetRateLimit(
    const std::string& owner_id, const std::string& env_id,
    const std::optional<domain::RateLimit>& limit) {
  GH_ASSIGN_OR_RETURN(auto env, deps_.store.GetEnvironment(owner_id, env_id));
  if (limit) GH_RETURN_IF_ERROR(ValidateRateLimit(*limit, "rate_limit"));
  env.rate_limit = limit;
  GH_ASSIGN_OR_RETURN(auto updated, deps_.store.UpdateEnvironment(owner_id, env));
  GH_RETURN_IF_ERROR(deps_.registry.Reload(env_id));
  return updated;
}

Result<WebhookWithSecret> SecurityService::CreateWebhook(const std::string& owner_id,
                                                         const std::string& project_id,
                                                         const WebhookInput& in) {
  GH_RETURN_IF_ERROR(OwnsProject(owner_id, project_id));
  if (!in.url) return Fail(Error::InvalidRequest("url: is required", "url"));
  auto url = boost::urls::parse_absolute_uri(*in.url);
  if (!url || (url->scheme() != "http" && url->scheme() != "https") ||
      url->encoded_host().empty() || url->has_fragment() || in.url->size() > 2048) {
    return Fail(Error::InvalidRequest("url: must be an absolute http(s) URL", "url"));
  }
  std::vector<std::string> events = in.events.value_or(std::vector<std::string>{"*"});
  if (events.empty()) {
    return Fail(Error::InvalidRequest("events: must name at least one event", "events"));
  }
  const auto& known = AlertTypes();
  for (const auto& e : events) {
    if (e != "*" && std::find(known.begin(), known.end(), e) == known.end()) {
      return Fail(Error::InvalidRequest("events: unknown event \"" + e + "\"", "events"));
    }
  }
  domain::Webhook hook;
  hook.id = deps_.NewId("whk_");
  hook.project_id = project_id;
  hook.url = *in.url;
  hook.events = std::move(events);
  hook.created_at = deps_.clock.Now();
  SecretString secret("whsec_" + deps_.NewSecret());
  // Stored sealed, not hashed: signing each delivery needs the secret itself.
  hook.sealed_secret = deps_.sealer.Seal(secret.Reveal(), WebhookSealAad(hook.id));
  GH_RETURN_IF_ERROR(deps_.store.CreateWebhook(hook));
  return WebhookWithSecret{std::move(hook), std::move(secret)};
}

Result<std::vector<domain::Webhook>> SecurityService::Webhooks(const std::string& owner_id,
                                                               const std::string& project_id) {
  GH_RETURN_IF_ERROR(OwnsProject(owner_id, project_id));
  return deps_.store.ListWebhooks(project_id);
}

Status SecurityService::DeleteWebhook(const std::string& owner_id, const std::string& project_id,
                                      const std::string& id) {
  GH_RETURN_IF_ERROR(OwnsProject(owner_id, project_id));
  return deps_.store.DeleteWebhook(project_id, id);
}

Result<store::Page<domain::WebhookDelivery>> SecurityService::Deliveries(
    const std::string& owner_id, const std::string& project_id, const std::string& webhook_id,
    store::PageRequest page) {
  GH_RETURN_IF_ERROR(OwnsProject(owner_id, project_id));
  GH_RETURN_IF_ERROR(deps_.store.GetWebhook(project_id, webhook_id));
  return deps_.store.ListDeliveries(webhook_id, page);
}

}  // namespace gatehouse::mgmt
