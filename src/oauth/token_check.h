#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/access_token.h"
#include "snapshot/environment_snapshot.h"
#include "snapshot/revocations.h"

namespace gatehouse::oauth {

// Why a token is refused: the JOSE/JWT reasons of crypto::VerifyFailure plus what only the
// server knows. Reaches logs and audit; callers see invalid_token.
enum class TokenRefusal {
  kJwt,            // see `jwt`
  kUnknownApi,     // the audience is not (any more) an API of this environment
  kUnknownClient,  // the client was deleted
  kClientDisabled,
  kTokensRevoked,  // issued at or before the client's last revoke-tokens
  kRevoked,        // this jti was revoked (RFC 7009)
};

struct RefusedToken {
  TokenRefusal reason = TokenRefusal::kJwt;
  crypto::VerifyFailure jwt = crypto::VerifyFailure::kMalformed;
  std::string Name() const;         // "expired", "bad_signature", "revoked", ...
  std::string Description() const;  // for the caller: "the access token has expired", ...
};

struct CheckedToken {
  crypto::AccessTokenClaims claims;
  const snapshot::ClientEntry* client = nullptr;
  const snapshot::ApiEntry* api = nullptr;
};

// Everything that makes an access token of `env` valid for `audience` at `now`: the strict
// RFC 9068 checks (key-bound algorithm, signature, typ, iss, aud, exp/iat with leeway), then the
// API still exists, the client exists and is enabled, the token is newer than the client's
// revoke-tokens instant, and its jti is not revoked. Reads only the snapshot and the revocation
// list. An empty `audience` is refused.
std::expected<CheckedToken, RefusedToken> CheckAccessToken(
    std::string_view token, std::string_view audience, const snapshot::EnvironmentSnapshot& env,
    const snapshot::RevocationList& revocations, int64_t now, int64_t leeway);

// The audience a token claims, read without verifying anything (to pick what to verify it
// against when the caller does not say, as in introspection by a client). Empty when unreadable.
std::string PeekAudience(std::string_view token);

}  // namespace gatehouse::oauth
