// The claims of a verified RFC 9068 access token, as the verification library returns them.
//
// Plain value type: copyable, no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::verifier {

struct Claims {
  std::string issuer{};     // "iss"
  std::string subject{};    // "sub"
  std::string client_id{};  // "client_id": the consumer that asked for the token
  std::string jti{};        // "jti": log tokens by this, never by their value
  std::string scope{};      // "scope", space-separated (RFC 9068 §2.2.3); empty if absent
  std::vector<std::string> audience{};  // "aud"
  std::int64_t issued_at = 0;           // "iat", Unix seconds
  std::int64_t expires_at = 0;          // "exp", Unix seconds
  std::string kid{};                    // header "kid" of the key that signed (local mode only)
  std::string json{};                   // the whole payload, serialized JSON

  // Exact match of one space-separated scope token; false for an empty `scope`.
  bool HasScope(std::string_view wanted) const;
  bool HasAudience(std::string_view wanted) const;
};

}  // namespace gatehouse::verifier
