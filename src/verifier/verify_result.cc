#include "gatehouse/verify_result.h"

#include <cctype>

namespace gatehouse::verifier {
namespace {

// RFC 6750 §3: error_description and scope values are %x20-21 / %x23-5B / %x5D-7E; anything
// else (quotes, backslashes, control and non-ASCII bytes) is dropped rather than escaped.
std::string QuotedValue(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u <= 0x7e && c != '"' && c != '\\') out += c;
  }
  out += '"';
  return out;
}

}  // namespace

int VerifyResult::HttpStatus() const {
  switch (outcome) {
    case Outcome::kOk:
      return 200;
    case Outcome::kInvalidToken:
      return 401;
    case Outcome::kInsufficientScope:
      return 403;
    case Outcome::kUnavailable:
      return 503;
  }
  return 503;
}

std::string_view VerifyResult::ErrorCode() const {
  switch (outcome) {
    case Outcome::kOk:
      return "";
    case Outcome::kInvalidToken:
      return "invalid_token";
    case Outcome::kInsufficientScope:
      return "insufficient_scope";
    case Outcome::kUnavailable:
      return "temporarily_unavailable";
  }
  return "temporarily_unavailable";
}

std::string BuildWwwAuthenticate(const VerifyResult& result, std::string_view realm) {
  std::string out = "Bearer realm=" + QuotedValue(realm);
  switch (result.outcome) {
    case Outcome::kOk:
    case Outcome::kUnavailable:
      return "";
    case Outcome::kInvalidToken:
      // RFC 6750 §3.1: a request without any credentials gets no error code.
      if (result.reason == "missing_token") return out;
      out += ", error=\"invalid_token\"";
      if (!result.description.empty()) {
        out += ", error_description=" + QuotedValue(result.description);
      }
      return out;
    case Outcome::kInsufficientScope:
      out += ", error=\"insufficient_scope\"";
      if (!result.required_scope.empty()) out += ", scope=" + QuotedValue(result.required_scope);
      return out;
  }
  return "";
}

std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

}  // namespace gatehouse::verifier
