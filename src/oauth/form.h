#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace gatehouse::oauth {

// An application/x-www-form-urlencoded body (RFC 6749 Appendix B), decoded.
class Form {
 public:
  // Refuses malformed percent-encoding (invalid_request).
  static Result<Form> Parse(std::string_view body);

  // The value of `name` when present exactly once; nullopt when absent. Empty values count as
  // absent (RFC 6749 §3.1: "parameters sent without a value MUST be treated as if they were
  // omitted").
  std::optional<std::string_view> Get(std::string_view name) const;
  int Count(std::string_view name) const;
  // invalid_request naming the first of `names` that appears more than once (RFC 6749 §3.1:
  // request parameters MUST NOT be included more than once).
  Status RejectDuplicates(std::initializer_list<std::string_view> names) const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace gatehouse::oauth
