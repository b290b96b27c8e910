#include "oauth/scope.h"

namespace gatehouse::oauth {

std::vector<std::string_view> ScopeTokens(std::string_view scope) {
  std::vector<std::string_view> tokens;
  while (!scope.empty()) {
    const auto space = scope.find(' ');
    if (space != 0) tokens.push_back(scope.substr(0, space));
    if (space == std::string_view::npos) break;
    scope.remove_prefix(space + 1);
  }
  return tokens;
}

}  // namespace gatehouse::oauth
