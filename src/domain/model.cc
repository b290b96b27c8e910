#include "domain/model.h"

#include <algorithm>

namespace gatehouse::domain {

bool Api::HasScope(const std::string& scope) const {
  return std::any_of(scopes.begin(), scopes.end(), [&](const Scope& s) { return s.name == scope; });
}

}  // namespace gatehouse::domain
