#include "domain/security.h"

#include <algorithm>

namespace gatehouse::domain {

bool Webhook::Wants(const std::string& type) const {
  return std::any_of(events.begin(), events.end(),
                     [&](const std::string& e) { return e == "*" || e == type; });
}

}  // namespace gatehouse::domain
