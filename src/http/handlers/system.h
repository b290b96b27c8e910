#pragma once

#include <functional>

#include "http/router.h"

namespace gatehouse::http {

// GET /healthz (process alive), GET /readyz (database answers and snapshot loaded),
// GET /api/v1/openapi.json.
void AddSystemRoutes(Router& router, std::function<bool()> ready);

}  // namespace gatehouse::http
