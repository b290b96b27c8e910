// What the verifier answers, and the RFC 6750 answer a protected API sends on refusal.
#pragma once

#include <string>
#include <string_view>

#include "gatehouse/claims.h"

namespace gatehouse::verifier {

enum class Outcome {
  kOk,                 // serve the request; `claims` is filled
  kInvalidToken,       // 401: missing, malformed, badly signed, expired, revoked, wrong aud/iss
  kInsufficientScope,  // 403: valid token without a required scope
  kUnavailable,        // 503: no usable keys / verify endpoint unreachable; fail closed
};

struct VerifyResult {
  Outcome outcome = Outcome::kUnavailable;
  // Precise machine-readable reason, for logs and tests, never for trust decisions:
  // "" when ok; "missing_token", "malformed", "unknown_kid", "alg_mismatch", "expired",
  // "wrong_audience", ... (every crypto failure), "rejected" (remote: the server said 401),
  // "insufficient_scope", "keys_unavailable", "verify_endpoint_unavailable".
  std::string reason{};
  std::string description{};     // human-readable; safe to show the caller
  std::string required_scope{};  // the scopes asked for (space-separated), for WWW-Authenticate
  Claims claims{};               // only meaningful when ok()

  bool ok() const { return outcome == Outcome::kOk; }
  // 200, 401, 403 or 503.
  int HttpStatus() const;
  // RFC 6750 §3.1 error code: "invalid_token", "insufficient_scope"; for kUnavailable
  // "temporarily_unavailable"; "" when ok.
  std::string_view ErrorCode() const;
};

// The RFC 6750 §3 WWW-Authenticate value for a refusal:
//   no token at all:    Bearer realm="<realm>"                     (§3.1: no error code)
//   invalid_token:      Bearer realm="<realm>", error="invalid_token", error_description="..."
//   insufficient_scope: Bearer realm="<realm>", error="insufficient_scope", scope="<required>"
// "" for kOk and kUnavailable. Characters RFC 6750 forbids in quoted values are dropped.
std::string BuildWwwAuthenticate(const VerifyResult& result, std::string_view realm);

// The token of an "Authorization: Bearer <token>" value (scheme case-insensitive, RFC 6750
// §2.1), or "" if the value is not a bearer credential.
std::string_view BearerToken(std::string_view authorization);

}  // namespace gatehouse::verifier
