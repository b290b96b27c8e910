#pragma once

#include <string>

#include "http/router.h"
#include "metrics/metrics.h"

namespace gatehouse::http {

// GET /metrics: Prometheus text. With a non-empty `token`, only "Authorization: Bearer <token>"
// gets it (401 otherwise).
void AddMetricsRoute(Router& router, metrics::Metrics& metrics, std::string token);

}  // namespace gatehouse::http
