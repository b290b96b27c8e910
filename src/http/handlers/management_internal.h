#pragma once

#include <functional>

#include "http/handlers/management.h"
#include "http/handlers/render.h"
#include "http/json_body.h"

namespace gatehouse::http::internal {

using AuthedFn = std::function<Result<Response>(Request&, const domain::Account&)>;
using PublicFn = std::function<Result<Response>(Request&)>;

// Wraps a management handler: authenticates (for Authed), maps a failed Result to the error
// response, logs server errors' details, and marks every answer no-store.
Handler Authed(ManagementContext& ctx, AuthedFn fn);
// `limit` names the per-IP rate limit that applies: "accounts" or "login".
Handler Public(ManagementContext& ctx, std::string_view limit, PublicFn fn);
Response Finish(Result<Response> result);

void AddAccountRoutes(Router& router, ManagementContext& ctx);
void AddProjectRoutes(Router& router, ManagementContext& ctx);
void AddApiRoutes(Router& router, ManagementContext& ctx);
void AddClientRoutes(Router& router, ManagementContext& ctx);
void AddKeyRoutes(Router& router, ManagementContext& ctx);
void AddSecurityRoutes(Router& router, ManagementContext& ctx);

// The "rate_limit" member of a management body: absent or null gives nullopt.
Result<std::optional<domain::RateLimit>> ReadRateLimit(const boost::json::object& body,
                                                       const std::string& field);

}  // namespace gatehouse::http::internal
