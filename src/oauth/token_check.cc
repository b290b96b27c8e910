#include "oauth/token_check.h"

#include "crypto/jws.h"
#include "oauth/token_id.h"

namespace gatehouse::oauth {

std::string RefusedToken::Name() const {
  switch (reason) {
    case TokenRefusal::kJwt:
      return std::string(crypto::VerifyFailureName(jwt));
    case TokenRefusal::kUnknownApi:
      return "unknown_api";
    case TokenRefusal::kUnknownClient:
      return "unknown_client";
    case TokenRefusal::kClientDisabled:
      return "client_disabled";
    case TokenRefusal::kTokensRevoked:
      return "client_tokens_revoked";
    case TokenRefusal::kRevoked:
      return "revoked";
  }
  return "invalid";
}

std::string RefusedToken::Description() const {
  switch (reason) {
    case TokenRefusal::kUnknownApi:
      return "the token is not for an API of this issuer";
    case TokenRefusal::kUnknownClient:
    case TokenRefusal::kClientDisabled:
      return "the token's client is no longer authorized";
    case TokenRefusal::kTokensRevoked:
    case TokenRefusal::kRevoked:
      return "the access token has been revoked";
    case TokenRefusal::kJwt:
      break;
  }
  switch (jwt) {
    case crypto::VerifyFailure::kExpired:
      return "the access token has expired";
    case crypto::VerifyFailure::kWrongAudience:
      return "the access token is not for this audience";
    case crypto::VerifyFailure::kWrongIssuer:
      return "the access token is from another issuer";
    default:
      return "the access token is invalid";
  }
}

namespace {

RefusedToken Refuse(TokenRefusal reason) { return RefusedToken{reason, {}}; }

}  // namespace

std::expected<CheckedToken, RefusedToken> CheckAccessToken(
    std::string_view token, std::string_view audience, const snapshot::EnvironmentSnapshot& env,
    const snapshot::RevocationList& revocations, int64_t now, int64_t leeway) {
  // One cache per I/O thread: no lock, and a token checked again skips its signature.
  thread_local crypto::VerifiedTokenCache cache(4096);
  auto claims = crypto::VerifyAccessToken(token, env.published_keys,
                                          {env.issuer, audience, now, leeway}, cache);
  if (!claims) return std::unexpected(RefusedToken{TokenRefusal::kJwt, claims.error()});
  CheckedToken out;
  out.api = env.FindApi(audience);
  if (out.api == nullptr) return std::unexpected(Refuse(TokenRefusal::kUnknownApi));
  out.client = env.FindClient(claims->client_id);
  if (out.client == nullptr) return std::unexpected(Refuse(TokenRefusal::kUnknownClient));
  if (!out.client->enabled) return std::unexpected(Refuse(TokenRefusal::kClientDisabled));
  if (out.client->tokens_revoked_at_ms &&
      IssuedAtMillis(claims->jti, claims->iat) <= *out.client->tokens_revoked_at_ms) {
    return std::unexpected(Refuse(TokenRefusal::kTokensRevoked));
  }
  if (revocations.Contains(env.environment_id, claims->jti)) {
    return std::unexpected(Refuse(TokenRefusal::kRevoked));
  }
  out.claims = std::move(*claims);
  return out;
}

std::string PeekAudience(std::string_view token) {
  auto parsed = crypto::ParseCompactJws(token);
  if (!parsed) return {};
  const auto* aud = parsed->payload.if_contains("aud");
  if (aud == nullptr) return {};
  if (aud->is_string()) return std::string(aud->as_string());
  if (aud->is_array() && !aud->as_array().empty() && aud->as_array().front().is_string()) {
    return std::string(aud->as_array().front().as_string());
  }
  return {};
}

}  // namespace gatehouse::oauth
