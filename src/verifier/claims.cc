#include "gatehouse/claims.h"

#include <algorithm>

namespace gatehouse::verifier {

bool Claims::HasScope(std::string_view wanted) const {
  if (wanted.empty()) return false;
  std::string_view rest = scope;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    if (rest.substr(0, space) == wanted) return true;
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  return false;
}

bool Claims::HasAudience(std::string_view wanted) const {
  return std::find(audience.begin(), audience.end(), wanted) != audience.end();
}

}  // namespace gatehouse::verifier
