#pragma once

#include <string>

#include "common/clock.h"
#include "http/protection.h"
#include "http/router.h"
#include "mgmt/account_service.h"
#include "mgmt/api_service.h"
#include "mgmt/client_service.h"
#include "mgmt/key_service.h"
#include "mgmt/project_service.h"
#include "mgmt/security_service.h"

namespace gatehouse::http {

struct ManagementContext {
  mgmt::AccountService& accounts;
  mgmt::ProjectService& projects;
  mgmt::ApiService& apis;
  mgmt::ClientService& clients;
  mgmt::KeyService& keys;
  const Clock& clock;
  std::string public_url;  // its origin is the only one allowed for cookie-authenticated writes
  bool secure_cookies = false;
  mgmt::SecurityService* security = nullptr;
  Protection* protection = nullptr;        // per-IP limits, login lockout, audit
  snapshot::Registry* registry = nullptr;  // environment -> project for audit events
};

// Adds every /api/v1 route of the management API. Handlers run on the blocking lane.
void AddManagementRoutes(Router& router, ManagementContext& ctx);

// The session token of a management request: "Authorization: Bearer" first, then the
// dashboard's cookie. A cookie-authenticated state-changing request must carry an Origin equal
// to the public URL's origin (CSRF defence on top of SameSite=Strict).
Result<domain::Account> Authenticate(const Request& req, ManagementContext& ctx);

}  // namespace gatehouse::http
