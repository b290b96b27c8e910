#pragma once

#include "domain/security.h"

namespace gatehouse::alerts {

// Receives alerts on request paths; implementations must not block (they queue).
class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual void Raise(domain::Alert alert) = 0;
};

}  // namespace gatehouse::alerts
