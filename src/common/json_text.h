// Writing small, fixed-shape JSON documents straight into a string, for the hot paths that
// would otherwise build a boost::json DOM only to serialise it (token claims, token responses).
// The output is what boost::json::serialize writes for the same members in the same order.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse {

// Appends `value` as a JSON string literal: quotes, `"` and `\` escaped, control characters as
// \b \f \n \r \t or \u00XX. Other bytes (UTF-8) pass through.
void AppendJsonString(std::string& out, std::string_view value);

// Appends `"name":` followed by the value; the caller writes `{`, `,` and `}`.
void AppendJsonMember(std::string& out, std::string_view name, std::string_view value);
void AppendJsonMember(std::string& out, std::string_view name, int64_t value);

}  // namespace gatehouse
