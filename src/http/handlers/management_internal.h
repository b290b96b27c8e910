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
Handler Public(PublicFn fn);
Response Finish(Result<Response> result);

void AddAccountRoutes(Router& router, ManagementContext& ctx);
void AddProjectRoutes(Router& router, ManagementContext& ctx);
void AddApiRoutes(Router& router, ManagementContext& ctx);
void AddClientRoutes(Router& router, ManagementContext& ctx);
void AddKeyRoutes(Router& router, ManagementContext& ctx);

}  // namespace gatehouse::http::internal
