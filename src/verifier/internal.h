// Helpers shared by the verification library's local and remote modes. Not installed.
#pragma once

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/access_token.h"
#include "gatehouse/claims.h"
#include "gatehouse/http_fetcher.h"
#include "gatehouse/verify_result.h"

namespace gatehouse::verifier::internal {

Claims FromAccessTokenClaims(crypto::AccessTokenClaims&& claims);

// The claims of a verify endpoint answer (the token's payload as JSON); nullopt unless it is
// an object with string iss/sub/client_id and integer exp.
std::optional<Claims> ClaimsFromJson(std::string_view body);

// RFC 6750 §2.1 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
// Checked before a token goes anywhere near a header we send.
bool IsB64Token(std::string_view token);

// The first scope of `required` (space-separated) that `claims` lacks, or "" if none.
std::string MissingScope(const Claims& claims, std::string_view required);

VerifyResult Refusal(Outcome outcome, std::string reason, std::string description,
                     std::string_view required_scope);

// RFC 9111 §5.2.2.1 max-age of a Cache-Control value, clamped to [min_age, max_age];
// `fallback` (also clamped) when absent or unparsable; min_age for no-store / no-cache.
std::chrono::seconds CacheLifetime(std::string_view cache_control, std::chrono::seconds fallback,
                                   std::chrono::seconds min_age, std::chrono::seconds max_age);

struct Metadata {
  std::string jwks_uri;
  std::string verify_endpoint;
};

// GET {issuer}/.well-known/oauth-authorization-server. Its "issuer" must equal `issuer`
// exactly (RFC 8414 §3.3: otherwise an attacker's metadata could name its own keys).
std::expected<Metadata, std::string> FetchMetadata(HttpFetcher& fetcher, const std::string& issuer);

}  // namespace gatehouse::verifier::internal
