#pragma once

#include <string_view>
#include <vector>

namespace gatehouse::oauth {

// The scope-tokens of an RFC 6749 §3.3 scope string, in order, views into `scope`. Empty tokens
// (from repeated spaces) are skipped.
std::vector<std::string_view> ScopeTokens(std::string_view scope);

}  // namespace gatehouse::oauth
