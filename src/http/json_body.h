#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/message.h"

namespace gatehouse::http {

// Parses a management request body: 415 unless Content-Type is application/json, 400 for
// malformed JSON or a non-object, and 400 naming the first member not in `allowed`.
// An empty body is an empty object when `empty_ok`.
Result<boost::json::object> ParseJsonObject(const Request& req,
                                            std::initializer_list<std::string_view> allowed,
                                            bool empty_ok = false);

// Typed member access; absent (or, for optional members, null) gives nullopt; a member of the
// wrong type is a 400 naming it.
Result<std::optional<std::string>> GetString(const boost::json::object& obj, std::string_view key);
Result<std::optional<int64_t>> GetInt(const boost::json::object& obj, std::string_view key);
Result<std::optional<bool>> GetBool(const boost::json::object& obj, std::string_view key);
Result<std::optional<std::vector<std::string>>> GetStringArray(const boost::json::object& obj,
                                                               std::string_view key);

}  // namespace gatehouse::http
