#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace gatehouse {

// A secret (client secret, password, session token) in transit through the code. It prints as
// "[redacted]" so that a stray log line cannot leak it; `Reveal()` is the one explicit way out.
class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string value) : value_(std::move(value)) {}

  std::string_view Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

  friend std::ostream& operator<<(std::ostream& os, const SecretString&) {
    return os << "[redacted]";
  }

 private:
  std::string value_;
};

}  // namespace gatehouse
